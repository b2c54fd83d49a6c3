package dev.flyform.engine.provider;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a list or map attribute holds, when it is more than "anything": its elements' type, or
 * objects with named fields (a machine's services, each with ports; its checks, by name).
 *
 * @param element    the type of each element (each value of a map) when they are plain values; null
 *                   when they are objects with {@code fields}
 * @param fields     the fields of each object, in display order; empty for plain values
 * @param keyed      a map whose values are objects, one per name ({@code checks}); false for a map
 *                   that is itself one object ({@code guest}) or a list of objects
 * @param singular   how one element is declared on its own, in a configuration language
 *                   ({@code service} for {@code services}); null when elements are set all at once
 * @param positional the field given first, without its name ({@code mount data, path: '/data'}: the
 *                   volume); for a keyed map, null means the name of the element
 */
public record Structure(AttributeType element, Map<String, AttributeSchema> fields, boolean keyed, String singular,
                        String positional) {

    public Structure {
        fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }

    /** Every element of this type: {@code env} holds strings. */
    public static Structure of(AttributeType element) {
        return new Structure(element, Map.of(), false, null, null);
    }

    /** One object with these fields ({@code guest}), or, for a list, each element one. */
    public static Structure object(AttributeSchema... fields) {
        Map<String, AttributeSchema> byName = new LinkedHashMap<>();
        for (AttributeSchema f : fields) {
            byName.put(f.name(), f);
        }
        return new Structure(null, byName, false, null, null);
    }

    /** Objects with these fields, one per name: a map of name → object ({@code checks}). */
    public static Structure named(AttributeSchema... fields) {
        Structure s = object(fields);
        return new Structure(null, s.fields, true, null, null);
    }

    /** The same, each element declared on its own as {@code singular} ({@code service(...) { ... }}). */
    public Structure declaredAs(String singular) {
        return new Structure(element, fields, keyed, singular, positional);
    }

    /** The same, {@code field} given first without its name ({@code port 443, handlers: [...]}). */
    public Structure givenFirst(String field) {
        if (!fields.containsKey(field)) {
            throw new IllegalArgumentException(field + " is no field");
        }
        return new Structure(element, fields, keyed, singular, field);
    }

    /** Objects with fields, rather than plain values. */
    public boolean hasFields() {
        return !fields.isEmpty();
    }

    /** Fields a user may set. */
    public List<String> fieldNames() {
        return List.copyOf(fields.keySet());
    }
}
