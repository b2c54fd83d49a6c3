package dev.flyform.dsl

import dev.flyform.engine.diag.Diagnostic
import groovy.transform.CompileStatic

/** A module once read: its outputs, by name ({@code web.appName}, or {@code module.web.appName} from any file). */
@CompileStatic
final class ModuleInstance {

    final String name
    final String path
    private final Map<String, OutputDeclaration> outputs

    ModuleInstance(String name, String path, Map<String, OutputDeclaration> outputs) {
        this.name = name
        this.path = path
        this.outputs = outputs
    }

    def propertyMissing(String output) {
        OutputDeclaration o = outputs[output]
        if (o == null) {
            throw new DslException(Diagnostic.error("Module ${name} has no output `${output}`".toString(),
                    (outputs.isEmpty() ? 'It declares no output.' : "Its outputs: ${outputs.keySet().join(', ')}. "
                            + dev.flyform.engine.diag.Suggestions.didYouMean(output, outputs.keySet())).toString().trim()))
        }
        o.value()
    }

    @Override
    String toString() {
        path
    }
}
