package dev.flyform.engine.plan;

import dev.flyform.engine.config.Reference;
import dev.flyform.engine.config.ResourceConfig;
import dev.flyform.engine.config.Unknown;
import dev.flyform.engine.diag.Diagnostic;
import dev.flyform.engine.diag.Diagnostics;
import dev.flyform.engine.diag.SourceLocation;
import dev.flyform.engine.diag.Suggestions;
import dev.flyform.engine.provider.AttributeSchema;
import dev.flyform.engine.provider.AttributeType;
import dev.flyform.engine.provider.ResourceSchema;
import dev.flyform.engine.provider.Structure;

import java.util.List;
import java.util.Map;

/**
 * The one place a declaration is checked against its type's schema: every attribute known and
 * settable, each value of its type, down through lists and maps to the fields of their objects
 * ({@code services[0].ports[1].port}), required ones given. Each problem names the line the
 * attribute was set on.
 */
final class SchemaCheck {

    private final ResourceConfig resource;
    private final ResourceSchema type;
    private final Diagnostics diags;

    private SchemaCheck(ResourceConfig resource, ResourceSchema type, Diagnostics diags) {
        this.resource = resource;
        this.type = type;
        this.diags = diags;
    }

    static void check(ResourceConfig resource, ResourceSchema type, Diagnostics diags) {
        new SchemaCheck(resource, type, diags).check();
    }

    private void check() {
        for (Map.Entry<String, Object> attr : resource.attributes().entrySet()) {
            AttributeSchema a = type.attributes().get(attr.getKey());
            if (a == null || !a.settable()) {
                String hint = Suggestions.didYouMean(attr.getKey(), type.settableNames());
                error(attr.getKey(), "Unsupported attribute `" + attr.getKey() + "` in " + type.type(),
                        (hint.isEmpty() ? "" : hint + " ") + "Attributes of " + type.type() + ": "
                                + String.join(", ", type.settableNames()) + ".");
            } else {
                value(attr.getKey(), attr.getKey(), a, attr.getValue());
                named(attr.getKey(), attr.getValue());
            }
        }
        for (AttributeSchema a : type.attributes().values()) {
            if (a.required() && resource.attributes().get(a.name()) == null) {
                diags.add(Diagnostic.error("Missing required attribute `" + a.name() + "` in " + type.type(),
                                a.description() == null ? "" : a.description())
                        .at(resource.location()).forResource(resource.address()).forAttribute(a.name()));
            }
        }
    }

    /** An attribute that names an object of a type ({@code app}) given a block of another type. */
    private void named(String attribute, Object value) {
        String names = type.names().get(attribute);
        if (names != null && value instanceof Reference ref && !ref.address().baseType().equals(names)) {
            error(attribute, "Attribute `" + attribute + "` of " + type.type() + " names a " + names + ", not a "
                    + ref.address().baseType(), "Got " + ref.address() + ". Give it a " + names + " block, or a name.");
        }
    }

    /** {@code value}, at {@code path} inside attribute {@code attribute}, against {@code a}. */
    private void value(String attribute, String path, AttributeSchema a, Object value) {
        if (value == null || value instanceof Unknown || value instanceof Reference) {
            return;
        }
        if (!a.type().accepts(value)) {
            error(attribute, (path.equals(attribute) ? "Attribute" : "Field") + " `" + path + "` of " + type.type() + " must be "
                    + expected(a.type()), "Got " + (a.sensitive() ? "a value of another type (not shown)" : describe(value)) + ".");
            return;
        }
        if (!a.allowed().isEmpty() && !a.allowed().contains(String.valueOf(value))) {
            String hint = Suggestions.didYouMean(String.valueOf(value), a.allowed());
            error(attribute, (path.equals(attribute) ? "Attribute" : "Field") + " `" + path + "` of " + type.type()
                    + " must be one of " + String.join(", ", a.allowed()), "Got " + describe(value) + "."
                    + (hint.isEmpty() ? "" : " " + hint));
            return;
        }
        Structure s = a.structure();
        if (s == null) {
            return;
        }
        if (value instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                element(attribute, path + "[" + i + "]", s, list.get(i));
            }
        } else if (value instanceof Map<?, ?> map) {
            if (s.hasFields() && !s.keyed()) {
                fields(attribute, path, s, map);
            } else {
                map.forEach((k, v) -> element(attribute, path + "." + k, s, v));
            }
        }
    }

    private void element(String attribute, String path, Structure s, Object value) {
        if (value == null || value instanceof Unknown || value instanceof Reference) {
            return;
        }
        if (s.hasFields()) {
            if (value instanceof Map<?, ?> map) {
                fields(attribute, path, s, map);
            } else {
                error(attribute, "Field `" + path + "` of " + type.type() + " must be a map of settings",
                        "Got " + describe(value) + ". Its settings: " + String.join(", ", s.fieldNames()) + ".");
            }
        } else if (s.element() != null && !s.element().accepts(value)) {
            error(attribute, "Field `" + path + "` of " + type.type() + " must be " + expected(s.element()),
                    "Got " + describe(value) + ".");
        }
    }

    private void fields(String attribute, String path, Structure s, Map<?, ?> map) {
        for (Map.Entry<?, ?> e : map.entrySet()) {
            String name = String.valueOf(e.getKey());
            AttributeSchema field = s.fields().get(name);
            if (field == null) {
                String hint = Suggestions.didYouMean(name, s.fieldNames());
                error(attribute, "Unknown setting `" + name + "` in " + path + " of " + type.type(),
                        (hint.isEmpty() ? "" : hint + " ") + "Settings of " + path + ": " + String.join(", ", s.fieldNames()) + ".");
            } else {
                value(attribute, path + "." + name, field, e.getValue());
            }
        }
        for (AttributeSchema field : s.fields().values()) {
            if (field.required() && map.get(field.name()) == null) {
                error(attribute, "Missing `" + field.name() + "` in " + path + " of " + type.type(),
                        field.description() == null ? "" : field.description());
            }
        }
    }

    private void error(String attribute, String summary, String detail) {
        SourceLocation where = resource.locationOf(attribute);
        diags.add(Diagnostic.error(summary, detail).at(where).forResource(resource.address()).forAttribute(attribute));
    }

    private static String expected(AttributeType type) {
        return switch (type) {
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOL -> "true or false";
            case LIST -> "a list";
            case MAP -> "a map";
        };
    }

    /** A value as a user would name what they wrote: never a Java class name. */
    static String describe(Object value) {
        if (value instanceof CharSequence) {
            return "the text '" + value + "'";
        }
        if (value instanceof Number) {
            return "the number " + value;
        }
        if (value instanceof Boolean) {
            return String.valueOf(value);
        }
        if (value instanceof List<?>) {
            return "a list " + value;
        }
        if (value instanceof Map<?, ?>) {
            return "a map " + value;
        }
        return "a value " + value;
    }
}
