package dev.flyform.dsl

import dev.flyform.engine.config.Reference
import groovy.transform.CompileStatic

/** The block of a {@code module(...)} call: each {@code name = value} is an input, read by the module's {@code variable('name')}. */
@CompileStatic
final class ModuleInputs {

    final Map<String, Object> values = new LinkedHashMap<>()

    def propertyMissing(String name, Object value) {
        values[name] = converted(value)
    }

    def methodMissing(String name, Object args) {
        Object[] given = args instanceof Object[] ? (Object[]) args : [args] as Object[]
        if (given.length != 1) {
            throw new MissingMethodException(name, ModuleInputs, given)
        }
        values[name] = converted(given[0])
    }

    /** A block given is the block as a value ({@code app = web}: the app's name), as in any block. */
    private static Object converted(Object value) {
        if (value instanceof ResourceBlock) {
            return new Reference(((ResourceBlock) value).blockAddress, ((ResourceBlock) value).referenceAttribute())
        }
        if (value instanceof BlockReference) {
            return ((BlockReference) value).whole()
        }
        value instanceof CharSequence ? value.toString() : value
    }
}
