package dev.flyform.dsl

import dev.flyform.engine.diag.SourceLocation
import dev.flyform.engine.provider.AttributeSchema
import dev.flyform.engine.provider.AttributeType
import dev.flyform.engine.provider.Structure
import groovy.transform.CompileStatic

/**
 * How a script sets the attributes of a block, or the fields of an object inside one, from their
 * schema alone. Each is set as {@code name = value} or {@code name value}; a map as
 * {@code env KEY: 'value'} (repeatable, merged) or, when it is an object with fields, also as
 * {@code guest { cpus 2 }}; an element of a list or named map of objects one at a time by its
 * singular, its first field given without a name: {@code mount data, path: '/data'},
 * {@code check 'alive', type: 'tcp'}, {@code service(internalPort: 8080) { port 443 }}. Names are
 * camelCase here and snake_case in the schema. Values are not checked here: the engine checks
 * them once, against the same schema, at the line each was set on.
 */
@CompileStatic
final class Fields {

    /** Where set values go: a block's attributes, or one object's fields. */
    interface Target {
        Map<String, AttributeSchema> fields()

        Object current(String field)

        void put(String field, Object value)

        SourceLocation here()

        /** {@code fly_machine block "m"}, {@code service of fly_machine block "m"}: for messages. */
        String describeTarget()

        DslException error(String summary, String detail)
    }

    /** Returned by {@link #call} for a name that is neither a field nor a singular of one. */
    static final Object NOT_HANDLED = new Object()

    private Fields() {
    }

    /** The field a script names {@code name} (camelCase, or as the schema spells it), or null. */
    static AttributeSchema named(Map<String, AttributeSchema> fields, String name) {
        AttributeSchema a = fields.get(ResourceBlock.snake(name))
        a != null && a.settable() && (camel(a.name()) == name || a.name() == name) ? a : null
    }

    /** The field whose elements are declared one at a time as {@code singular}, or null. */
    static AttributeSchema withSingular(Map<String, AttributeSchema> fields, String singular) {
        fields.values().find { AttributeSchema a -> a.settable() && a.structure()?.singular() == singular }
    }

    /** Every name a script may use: fields, and the singulars of those set one at a time. */
    static List<String> vocabulary(Map<String, AttributeSchema> fields) {
        List<String> names = []
        fields.values().findAll { it.settable() }.each { AttributeSchema a ->
            names << camel(a.name())
            if (a.structure()?.singular() != null) {
                names << a.structure().singular()
            }
        }
        return names
    }

    /** {@code memory_mb} → {@code memoryMb}: the schema is snake_case, the DSL camelCase. */
    static String camel(String snake) {
        snake.replaceAll(/_([a-z0-9])/) { List<String> m -> m[1].toUpperCase() }
    }

    /** {@code name = value}: false when no field has that name. */
    static boolean assign(Target target, String name, Object value) {
        AttributeSchema a = named(target.fields(), name)
        if (a == null) {
            return false
        }
        target.put(a.name(), converted(a, value))
        return true
    }

    /** {@code name value}, {@code name KEY: value}, {@code name { ... }}, or a singular: what was set, or NOT_HANDLED. */
    static Object call(Target target, String name, Object[] args) {
        AttributeSchema a = named(target.fields(), name)
        if (a != null && args.length == 1) {
            Object value = args[0]
            Structure s = a.structure()
            if (value instanceof Closure && s != null && s.hasFields() && !s.keyed() && a.type() == AttributeType.MAP) {
                Map<String, Object> object = new LinkedHashMap<>(target.current(a.name()) instanceof Map
                        ? (Map<String, Object>) target.current(a.name()) : [:])
                NestedBlock.run(s, object, camel(a.name()), target, (Closure<?>) value)
                value = object
            } else if (a.type() == AttributeType.MAP && value instanceof Map) {
                // repeatable: env A: '1' then env B: '2' sets both
                Object earlier = target.current(a.name())
                Map<String, Object> merged = new LinkedHashMap<>(earlier instanceof Map ? (Map<String, Object>) earlier : [:])
                merged.putAll(converted(a, value) as Map<String, Object>)
                value = merged
            } else {
                value = converted(a, value)
            }
            target.put(a.name(), value)
            return value
        }
        AttributeSchema list = withSingular(target.fields(), name)
        if (list != null) {
            return element(target, list, name, args)
        }
        return NOT_HANDLED
    }

    /** One element of {@code list}, declared with its singular {@code name}. */
    private static Object element(Target target, AttributeSchema list, String name, Object[] given) {
        Structure s = list.structure()
        List<Object> args = given.toList()
        Closure<?> body = args && args.last() instanceof Closure ? (Closure<?>) args.remove(args.size() - 1) : null
        Map options = null
        boolean takesFirst = s.positional() != null || s.keyed()
        if (args && args[0] instanceof Map && (args.size() > 1 || !takesFirst)) {
            options = (Map) args.remove(0)
        }
        String form = s.keyed() ? "${name} 'NAME', setting: value" : s.positional() != null
                ? "${name} ${camel(s.positional())}, setting: value" : "${name}(setting: value)"
        if (args.size() > 1 || args.any { it instanceof Closure } || takesFirst && args.isEmpty()) {
            throw target.error("`${name}` in ${target.describeTarget()} takes ${takesFirst ? 'one value first' : 'named settings'}".toString(),
                    "Write ${form}${s.hasFields() ? '; its settings: ' + vocabulary(s.fields()).join(', ') : ''}.".toString())
        }
        Map<String, Object> element = new LinkedHashMap<>()
        if (s.positional() != null) {
            element[s.positional()] = args[0]
        }
        if (options != null) {
            element.putAll(fieldsOf(s, options))
        }
        if (body != null) {
            NestedBlock.run(s, element, name, target, body)
        }
        Object all
        if (s.keyed()) {
            if (!(args[0] instanceof CharSequence)) {
                throw target.error("`${name}` in ${target.describeTarget()} needs a name first".toString(),
                        "Got ${ResourceBlock.describe(args[0])}. Write ${form}.".toString())
            }
            Map<String, Object> named = new LinkedHashMap<>(target.current(list.name()) instanceof Map
                    ? (Map<String, Object>) target.current(list.name()) : [:])
            named[args[0].toString()] = element
            all = named
        } else {
            List<Object> elements = new ArrayList<>(target.current(list.name()) instanceof List ? (List<Object>) target.current(list.name()) : [])
            elements << element
            all = elements
        }
        target.put(list.name(), all)
        return element
    }

    /** A value as the schema spells it: the keys of its objects' fields in snake_case, all the way down. */
    static Object converted(AttributeSchema a, Object value) {
        Structure s = a.structure()
        if (s == null || !s.hasFields()) {
            return value
        }
        if (value instanceof List) {
            return ((List) value).collect { it instanceof Map ? fieldsOf(s, (Map) it) : it }
        }
        if (value instanceof Map) {
            if (s.keyed()) {
                Map<String, Object> out = new LinkedHashMap<>()
                ((Map) value).each { k, v -> out[String.valueOf(k)] = v instanceof Map ? fieldsOf(s, (Map) v) : v }
                return out
            }
            return fieldsOf(s, (Map) value)
        }
        return value
    }

    /** Named settings of one object, in the schema's spelling (an unknown one as given, for the engine to name). */
    static Map<String, Object> fieldsOf(Structure s, Map options) {
        Map<String, Object> out = new LinkedHashMap<>()
        options.each { k, v ->
            AttributeSchema field = named(s.fields(), String.valueOf(k))
            out[field != null ? field.name() : ResourceBlock.snake(String.valueOf(k))] = field != null ? converted(field, v) : v
        }
        return out
    }
}
