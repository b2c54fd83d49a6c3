package dev.flyform.dsl

import dev.flyform.engine.addr.ResourceAddress
import dev.flyform.engine.diag.Diagnostic
import dev.flyform.engine.diag.Diagnostics
import dev.flyform.engine.diag.SourceLocation
import groovy.transform.CompileStatic

/** What all the scripts of one configuration declared, and the variables they read. */
@CompileStatic
class Declarations {

    final Map<ResourceAddress, ResourceBlock> blocks = new TreeMap<>()
    final Map<String, String> givenVariables
    final Map<String, SourceLocation> declaredVariables = new TreeMap<>()
    final Diagnostics diagnostics = new Diagnostics()

    Declarations(Map<String, String> givenVariables) {
        this.givenVariables = new TreeMap<>(givenVariables)
    }

    void add(ResourceBlock block) {
        ResourceBlock earlier = blocks.putIfAbsent(block.address, block)
        if (earlier != null) {
            throw new DslException(Diagnostic.error("Duplicate resource ${block.address}".toString(),
                    "It was first declared at ${earlier.location}. Each label must be unique within its type.".toString())
                    .at(block.location).forResource(block.address))
        }
    }
}
