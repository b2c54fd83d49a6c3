package dev.flyform.cli;

import dev.flyform.engine.addr.ResourceAddress;
import dev.flyform.engine.provider.AttributeSchema;
import dev.flyform.engine.provider.ProviderSchema;
import dev.flyform.engine.provider.ResourceSchema;
import dev.flyform.engine.provider.Shortcut;
import dev.flyform.engine.provider.Structure;
import dev.flyform.engine.state.ResourceState;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Writes the {@code .fly.groovy} for imported objects from their types' schemas alone, in the
 * forms the DSL reads: the root object (an app) first, with the objects its schema has shortcuts
 * for declared inside it ({@code ip 'v6'}), then each other object in the order given, an
 * attribute that names another imported object written as a reference to its block
 * ({@code app = app_web}, {@code mount volume_web_data, path: '/data'}). What a schema says an
 * attribute is when left out is left out. A sensitive value, which Fly never gives back, is read
 * from an environment variable named after its root and itself. The labels are those the DSL
 * gives the same declarations, so the file declares exactly what was recorded.
 */
final class ConfigWriter {

    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    /**
     * @param text      the file
     * @param variables for each object, the environment variable each of its sensitive attributes is read from
     */
    record Written(String text, Map<ResourceAddress, Map<String, String>> variables) {
    }

    /**
     * The root declared by a provider's reader of another tool's file instead of a block of its
     * own ({@code flyToml('fly.toml', image: '...') { ... }}): {@code call} is written in place of
     * the root block's head, {@code covered} (what the reader declares) is not written again, and
     * {@code closing} are the lines the call's closure ends with.
     */
    record FromFile(String call, java.util.Set<ResourceAddress> covered, List<String> closing) {
    }

    private final ProviderSchema schema;

    ConfigWriter(ProviderSchema schema) {
        this.schema = schema;
    }

    /** A label for an app name: app names may start with a digit, labels may not. */
    static String appLabel(String appName) {
        return ResourceAddress.isValidName(appName) ? appName : "app_" + appName;
    }

    static String childLabel(String appLabel, String name) {
        return appLabel + "_" + name.replaceAll("[^A-Za-z0-9_-]", "_");
    }

    /**
     * The label of an app's child of {@code type} that Fly names {@code hint}: the one the app's
     * shortcut for the type gives it in the DSL ({@code ip 'v6'}: {@code web_v6}), else
     * {@code <app>_<hint>}.
     */
    static String childLabel(ProviderSchema schema, String appLabel, String type, String hint) {
        return schema.resourceType("fly_app").orElseThrow().shortcuts().stream().filter(s -> s.type().equals(type))
                .findFirst().map(s -> s.label(appLabel, Collections.nCopies(s.positional().size(), hint)))
                .orElse(childLabel(appLabel, hint));
    }

    /**
     * The environment variable a sensitive value of the root named {@code rootName} is read from:
     * {@code acme-web}'s secret {@code API_KEY}, {@code ACME_WEB_API_KEY}; the same name in two
     * apps reads two variables.
     */
    static String variable(String rootName, String name) {
        return rootName.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]+", "_") + "_" + name;
    }

    /** @param objects the root first, then what belongs to it, in the order Fly listed them */
    Written write(List<ResourceState> objects) {
        return new Writing(objects, null).write();
    }

    /** The same, the root and what {@code from} covers declared by a reader's call. */
    Written write(List<ResourceState> objects, FromFile from) {
        return new Writing(objects, from).write();
    }

    /** One file being written. */
    private final class Writing {

        private final List<ResourceState> objects;
        private final ResourceState root;
        private final ResourceSchema rootType;
        private final Object rootValue;
        private final Map<ResourceAddress, String> blockVariables = new LinkedHashMap<>();
        private final Map<ResourceAddress, Map<String, String>> envVariables = new LinkedHashMap<>();
        private final StringBuilder out = new StringBuilder();
        private final FromFile from;

        Writing(List<ResourceState> objects, FromFile from) {
            this.from = from;
            this.objects = objects;
            this.root = objects.get(0);
            this.rootType = type(root);
            this.rootValue = root.attributes().get(rootType.referencedBy());
        }

        Written write() {
            blockVariables.put(root.address(), blockVariable(root));
            for (ResourceState o : objects) {
                for (ResourceState target : referencedBy(o)) {
                    blockVariables.putIfAbsent(target.address(), blockVariable(target));
                }
            }
            List<ResourceState> inside = new ArrayList<>();
            List<ResourceState> after = new ArrayList<>();
            for (ResourceState o : objects.subList(1, objects.size())) {
                if (from != null && from.covered().contains(o.address())) {
                    continue;
                }
                (shortcutFor(o) != null ? inside : after).add(o);
            }
            StringBuilder body = new StringBuilder();
            block(body, root, inside);
            after.forEach(o -> block(body, o, List.of()));
            out.append("// Imported from Fly with `flyform import app ").append(rootValue).append("`.\n");
            if (!envVariables.isEmpty()) {
                out.append("// Fly never shows secret values: each is read from an environment variable named after its app and itself.\n");
            }
            out.append(body);
            return new Written(out.substring(0), envVariables);
        }

        private void block(StringBuilder b, ResourceState o, List<ResourceState> inside) {
            ResourceSchema t = type(o);
            b.append('\n');
            String var = blockVariables.get(o.address());
            if (var != null) {
                b.append("def ").append(var).append(" = ");
            }
            if (from != null && o == root) {
                b.append(from.call()).append(" {\n");
            } else {
                b.append(callName(t)).append('(').append(str(o.address().name())).append(") {\n");
                attributes(b, o, t, "    ");
            }
            for (ResourceState child : inside) {
                shortcutLine(b, child, shortcutFor(child));
            }
            if (from != null && o == root) {
                from.closing().forEach(line -> b.append("    ").append(line).append('\n'));
            }
            b.append("}\n");
        }

        private void attributes(StringBuilder b, ResourceState o, ResourceSchema t, String indent) {
            for (AttributeSchema a : t.attributes().values()) {
                if (!a.settable()) {
                    continue;
                }
                Object v = o.attributes().get(a.name());
                if (a.sensitive()) {
                    b.append(indent).append(camel(a.name())).append(" = ")
                            .append(env(o, a.name(), variable(String.valueOf(rootValue), o.address().name() + "_" + a.name()))).append('\n');
                    continue;
                }
                if (v == null || isDefault(a, v)) {
                    continue;
                }
                String ref = reference(t.names().get(a.name()), v);
                Structure s = a.structure();
                if (ref != null) {
                    b.append(indent).append(camel(a.name())).append(" = ").append(ref).append('\n');
                } else if (s != null && s.singular() != null && (v instanceof List<?> || v instanceof Map<?, ?>)) {
                    elements(b, t, a, v, indent);
                } else if (v instanceof Map<?, ?> m && !m.isEmpty()) {
                    b.append(indent).append(camel(a.name())).append(' ').append(namedArgs(m, s)).append('\n');
                } else {
                    b.append(indent).append(camel(a.name())).append(" = ").append(literal(v, s)).append('\n');
                }
            }
        }

        /** Each element of a list (or named map) of objects, by its singular: {@code port 443, handlers: [...]}. */
        private void elements(StringBuilder b, ResourceSchema t, AttributeSchema a, Object value, String indent) {
            Structure s = a.structure();
            if (value instanceof Map<?, ?> named) {
                named.forEach((k, e) -> element(b, t, a.name(), s, asMap(e), str(k), indent));
            } else {
                for (Object e : (List<?>) value) {
                    Map<String, Object> element = asMap(e);
                    String first = s.positional() == null ? null
                            : Objects.requireNonNullElse(reference(t.names().get(a.name() + "." + s.positional()), element.get(s.positional())),
                            literal(element.get(s.positional()), null));
                    element(b, t, a.name(), s, element, first, indent);
                }
            }
        }

        private void element(StringBuilder b, ResourceSchema t, String attribute, Structure s, Map<String, Object> e, String first,
                             String indent) {
            List<String> args = new ArrayList<>();
            if (first != null) {
                args.add(first);
            }
            Map<String, Object> nested = new LinkedHashMap<>();
            e.forEach((k, v) -> {
                AttributeSchema field = s.fields().get(k);
                if (k.equals(s.positional())) {
                    return;
                }
                if (field != null && field.structure() != null && field.structure().singular() != null) {
                    nested.put(k, v);
                } else {
                    args.add(key(camel(k)) + ": " + literal(v, field == null ? null : field.structure()));
                }
            });
            b.append(indent).append(s.singular());
            boolean nestedElements = nested.values().stream().anyMatch(v -> !(v instanceof List<?> l && l.isEmpty()));
            if (first != null && !nestedElements) {
                b.append(' ').append(String.join(", ", args)).append('\n');
                return;
            }
            b.append('(').append(String.join(", ", args)).append(')');
            if (nestedElements) {
                b.append(" {\n");
                nested.forEach((k, v) -> elements(b, t, s.fields().get(k), v, indent + "    "));
                b.append(indent).append('}');
            }
            b.append('\n');
        }

        /** {@code ip 'v6', region: 'ams'} inside the root's block. */
        private void shortcutLine(StringBuilder b, ResourceState child, Shortcut s) {
            ResourceSchema t = type(child);
            List<String> args = new ArrayList<>();
            List<Object> values = new ArrayList<>();
            for (String p : s.positional()) {
                Object v = child.attributes().get(p);
                values.add(v);
                args.add(t.attributes().get(p).sensitive()
                        ? env(child, p, variable(String.valueOf(rootValue), String.valueOf(values.get(0))))
                        : literal(v, null));
            }
            if (!child.address().name().equals(s.label(root.address().name(), values))) {
                args.add("label: " + str(child.address().name()));
            }
            for (AttributeSchema a : t.attributes().values()) {
                Object v = child.attributes().get(a.name());
                if (a.settable() && !a.name().equals(s.parentAttribute()) && !s.positional().contains(a.name())
                        && v != null && !isDefault(a, v)) {
                    args.add(key(camel(a.name())) + ": " + literal(v, a.structure()));
                }
            }
            b.append("    ").append(s.name()).append(' ').append(String.join(", ", args)).append('\n');
        }

        private String env(ResourceState o, String attribute, String variable) {
            envVariables.computeIfAbsent(o.address(), k -> new LinkedHashMap<>()).put(attribute, variable);
            return "env(" + str(variable) + ")";
        }

        /** The shortcut of the root's type that declares {@code o} inside the root's block, or null. */
        private Shortcut shortcutFor(ResourceState o) {
            return rootType.shortcuts().stream()
                    .filter(s -> s.type().equals(o.address().type()) && Objects.equals(o.attributes().get(s.parentAttribute()), rootValue))
                    .findFirst().orElse(null);
        }

        /** What {@code o} refers to by the schema's names: its attributes, and the fields of its lists' objects. */
        private List<ResourceState> referencedBy(ResourceState o) {
            List<ResourceState> found = new ArrayList<>();
            type(o).names().forEach((path, targetType) -> {
                String[] parts = path.split("\\.", 2);
                Object v = o.attributes().get(parts[0]);
                List<Object> values = new ArrayList<>();
                if (parts.length == 1) {
                    values.add(v);
                } else if (v instanceof List<?> list) {
                    list.forEach(e -> values.add(asMap(e).get(parts[1])));
                }
                for (Object value : values) {
                    ResourceState target = named(targetType, value);
                    if (target != null && !target.address().equals(o.address())) {
                        found.add(target);
                    }
                }
            });
            return found;
        }

        /** The block variable of the imported object of {@code type} that {@code value} names, or null. */
        private String reference(String type, Object value) {
            ResourceState target = type == null ? null : named(type, value);
            return target == null ? null : blockVariables.get(target.address());
        }

        private ResourceState named(String type, Object value) {
            if (value == null) {
                return null;
            }
            ResourceSchema t = schema.resourceType(type).orElse(null);
            return t == null ? null : objects.stream().filter(x -> x.address().type().equals(type)
                    && value.equals(x.attributes().get(t.referencedBy()))).findFirst().orElse(null);
        }

        private String blockVariable(ResourceState o) {
            return type(o).shortName() + "_" + o.address().name().replaceAll("[^A-Za-z0-9_]", "_");
        }
    }

    private ResourceSchema type(ResourceState o) {
        return schema.resourceType(o.address().type()).orElseThrow();
    }

    /** A block is called by its type's short name, unless another provider's type has it too. */
    private String callName(ResourceSchema t) {
        long same = schema.resourceTypes().values().stream().filter(o -> o.shortName().equals(t.shortName())).count();
        return same == 1 ? t.shortName() : t.type();
    }

    private static boolean isDefault(AttributeSchema a, Object v) {
        return a.defaultValue() != null && same(a.defaultValue(), v);
    }

    /** Equal as values: 5 and 5L are the same number. */
    private static boolean same(Object a, Object b) {
        if (a instanceof Number x && b instanceof Number y) {
            return new java.math.BigDecimal(x.toString()).compareTo(new java.math.BigDecimal(y.toString())) == 0;
        }
        if (a instanceof Map<?, ?> x && b instanceof Map<?, ?> y) {
            return x.size() == y.size() && x.entrySet().stream().allMatch(e -> y.containsKey(e.getKey()) && same(e.getValue(), y.get(e.getKey())));
        }
        if (a instanceof List<?> x && b instanceof List<?> y) {
            if (x.size() != y.size()) {
                return false;
            }
            for (int i = 0; i < x.size(); i++) {
                if (!same(x.get(i), y.get(i))) {
                    return false;
                }
            }
            return true;
        }
        return Objects.equals(a, b);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(Object o) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (o instanceof Map<?, ?> m) {
            m.forEach((k, v) -> out.put(String.valueOf(k), v));
        }
        return out;
    }

    /**
     * {@code key: value, ...} as Groovy named arguments: an object's fields in camelCase, the keys
     * of a plain map (env, metadata) as they are, since they are the user's own.
     */
    private static String namedArgs(Map<?, ?> values, Structure s) {
        boolean fields = s != null && s.hasFields() && !s.keyed();
        List<String> parts = new ArrayList<>();
        values.forEach((k, v) -> {
            String name = String.valueOf(k);
            AttributeSchema field = fields ? s.fields().get(name) : null;
            parts.add(key(fields ? camel(name) : name) + ": " + literal(v, field == null ? null : field.structure()));
        });
        return String.join(", ", parts);
    }

    private static String key(String key) {
        return IDENTIFIER.matcher(key).matches() ? key : str(key);
    }

    private static String literal(Object v, Structure s) {
        if (v instanceof String text) {
            return str(text);
        }
        if (v instanceof List<?> list) {
            List<String> items = new ArrayList<>();
            list.forEach(i -> items.add(literal(i, s != null && s.hasFields() ? s : null)));
            return "[" + String.join(", ", items) + "]";
        }
        if (v instanceof Map<?, ?> map) {
            return map.isEmpty() ? "[:]" : "[" + namedArgs(map, s) + "]";
        }
        return String.valueOf(v);
    }

    static String str(Object s) {
        return "'" + String.valueOf(s).replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    private static String camel(String snake) {
        StringBuilder out = new StringBuilder();
        boolean upper = false;
        for (char c : snake.toCharArray()) {
            if (c == '_') {
                upper = true;
            } else {
                out.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return out.toString();
    }
}
