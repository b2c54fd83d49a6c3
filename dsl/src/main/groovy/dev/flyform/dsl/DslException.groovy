package dev.flyform.dsl

import dev.flyform.engine.diag.Diagnostic
import groovy.transform.CompileStatic

/** A user's mistake found while a script runs; the loader turns it into a diagnostic. */
@CompileStatic
class DslException extends RuntimeException {

    final Diagnostic diagnostic

    DslException(Diagnostic diagnostic) {
        super(diagnostic.summary(), null, false, false)
        this.diagnostic = diagnostic
    }
}
