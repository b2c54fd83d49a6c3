package dev.flyform.dsl

import dev.flyform.engine.diag.SourceLocation
import groovy.transform.CompileStatic

/** {@code output 'name', value}: shown after apply; the value may refer to computed attributes. */
@CompileStatic
record OutputDeclaration(String name, Object value, boolean sensitive, SourceLocation location) {
}
