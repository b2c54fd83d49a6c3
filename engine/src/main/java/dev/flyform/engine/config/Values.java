package dev.flyform.engine.config;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Equality of attribute values as the user means it: 1, 1L and 1.0 are one number, whichever
 * of the DSL, JSON or the state store produced them.
 */
public final class Values {

    private Values() {
    }

    public static boolean same(Object a, Object b) {
        if (a instanceof Number x && b instanceof Number y) {
            return new BigDecimal(x.toString()).compareTo(new BigDecimal(y.toString())) == 0;
        }
        if (a instanceof CharSequence x && b instanceof CharSequence y) {
            return x.toString().equals(y.toString());
        }
        if (a instanceof List<?> x && b instanceof List<?> y) {
            if (x.size() != y.size()) {
                return false;
            }
            Iterator<?> i = x.iterator();
            Iterator<?> j = y.iterator();
            while (i.hasNext()) {
                if (!same(i.next(), j.next())) {
                    return false;
                }
            }
            return true;
        }
        if (a instanceof Map<?, ?> x && b instanceof Map<?, ?> y) {
            if (!x.keySet().equals(y.keySet())) {
                return false;
            }
            return x.entrySet().stream().allMatch(e -> same(e.getValue(), y.get(e.getKey())));
        }
        return Objects.equals(a, b);
    }

    /** Replaces every {@link Reference} in {@code value}, however deeply nested in lists and maps. */
    public static Object resolve(Object value, Function<Reference, Object> lookup) {
        if (value instanceof Reference r) {
            return lookup.apply(r);
        }
        if (value instanceof List<?> list) {
            List<Object> out = new ArrayList<>(list.size());
            list.forEach(v -> out.add(resolve(v, lookup)));
            return out;
        }
        if (value instanceof Map<?, ?> map) {
            Map<Object, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> out.put(k, resolve(v, lookup)));
            return out;
        }
        return value;
    }

    /** Resolves each attribute of a resource. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> resolveAll(Map<String, Object> attributes, Function<Reference, Object> lookup) {
        Map<String, Object> out = new LinkedHashMap<>();
        attributes.forEach((k, v) -> out.put(k, resolve(v, lookup)));
        return out;
    }

    /** Every reference in {@code value}. */
    public static Set<Reference> references(Object value) {
        Set<Reference> found = new TreeSet<>((a, b) -> a.toString().compareTo(b.toString()));
        collect(value, found);
        return found;
    }

    private static void collect(Object value, Set<Reference> found) {
        if (value instanceof Reference r) {
            found.add(r);
        } else if (value instanceof List<?> list) {
            list.forEach(v -> collect(v, found));
        } else if (value instanceof Map<?, ?> map) {
            map.values().forEach(v -> collect(v, found));
        }
    }

    /** Whether {@code value} holds anything only apply will tell. */
    public static boolean containsUnknown(Object value) {
        if (value instanceof Unknown) {
            return true;
        }
        if (value instanceof List<?> list) {
            return list.stream().anyMatch(Values::containsUnknown);
        }
        if (value instanceof Map<?, ?> map) {
            return map.values().stream().anyMatch(Values::containsUnknown);
        }
        return false;
    }

    /**
     * {@code remote} cut to the shape of {@code shape}: map keys {@code shape} does not have are
     * dropped (what an API adds by itself is not what was declared), lists are projected element by element.
     * With no shape, {@code remote} is kept whole.
     */
    public static Object project(Object remote, Object shape) {
        if (shape instanceof Map<?, ?> s && remote instanceof Map<?, ?> r) {
            Map<Object, Object> out = new LinkedHashMap<>();
            for (Object key : s.keySet()) {
                if (r.containsKey(key)) {
                    out.put(key, project(r.get(key), s.get(key)));
                }
            }
            return out;
        }
        if (shape instanceof List<?> s && remote instanceof List<?> r) {
            List<Object> out = new ArrayList<>();
            for (int i = 0; i < r.size(); i++) {
                out.add(project(r.get(i), i < s.size() ? s.get(i) : null));
            }
            return out;
        }
        return remote;
    }
}
