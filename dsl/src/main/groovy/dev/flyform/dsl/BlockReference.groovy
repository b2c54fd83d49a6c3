package dev.flyform.dsl

import dev.flyform.engine.addr.ResourceAddress
import dev.flyform.engine.config.Reference
import groovy.transform.CompileStatic

/**
 * A block named by its address from any file of the directory, declared before or after the
 * file that names it: {@code fly_app.web}. Given as a value it stands for the block as the block
 * itself would ({@code app = fly_app.web}); {@code fly_app.web.name} is one of its attributes.
 * The engine checks, with the line it was used on, that it names a declared block.
 */
@CompileStatic
final class BlockReference {

    final ResourceAddress blockAddress
    private final String referencedAttribute

    BlockReference(ResourceAddress blockAddress, String referencedAttribute) {
        this.blockAddress = blockAddress
        this.referencedAttribute = referencedAttribute
    }

    /** The block as a value: its referenced attribute. */
    Reference whole() {
        new Reference(blockAddress, referencedAttribute)
    }

    /** {@code fly_app.web.name}: an attribute, in the DSL's camelCase. */
    def propertyMissing(String name) {
        new Reference(blockAddress, ResourceBlock.snake(name))
    }

    @Override
    String toString() {
        blockAddress.toString()
    }
}
