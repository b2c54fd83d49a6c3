package dev.flyform.dsl

import dev.flyform.engine.diag.Diagnostic
import groovy.transform.CompileStatic

/** {@code module} in a script: the modules declared so far, by name ({@code module.web.url}). */
@CompileStatic
final class ModuleNamespace {

    private final Declarations declarations

    ModuleNamespace(Declarations declarations) {
        this.declarations = declarations
    }

    def propertyMissing(String name) {
        ModuleInstance m = declarations.modules[name]
        if (m == null) {
            throw new DslException(Diagnostic.error("No module named ${name} (yet)".toString(),
                    ("Declared so far: ${declarations.modules.keySet().join(', ') ?: 'none'}; a module is named after the file "
                            + "that declares it is read (files are read in name order).").toString()))
        }
        m
    }
}
