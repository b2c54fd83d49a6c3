package dev.flyform.provider.fly.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flyform.engine.provider.AttributeSchema;
import dev.flyform.engine.provider.AttributeType;
import dev.flyform.engine.provider.Structure;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * A machine's config as Fly's OpenAPI document types it ({@code fly.MachineConfig} and what it
 * reaches, kept in {@code machine-config.json}, which a test holds equal to the document): each
 * setting becomes an attribute, or a field of one, with its type, its fields and its enum, so
 * that everything Fly takes can be declared and is checked as Fly would check it.
 */
final class MachineConfigSpec {

    private static final JsonNode SCHEMAS = load().path("schemas");

    private MachineConfigSpec() {
    }

    private static JsonNode load() {
        try (InputStream in = MachineConfigSpec.class.getResourceAsStream("machine-config.json")) {
            if (in == null) {
                throw new IllegalStateException("machine-config.json is missing from the Fly provider");
            }
            return Attrs.JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every setting of a machine's config, by name, in the document's order. */
    static List<String> settings() {
        List<String> out = new ArrayList<>();
        SCHEMAS.path("fly.MachineConfig").path("properties").fieldNames().forEachRemaining(out::add);
        return out;
    }

    /** The optional attribute for config setting {@code name}, typed as the document types it. */
    static AttributeSchema setting(String name, String description) {
        JsonNode p = SCHEMAS.path("fly.MachineConfig").path("properties").get(name);
        if (p == null) {
            throw new IllegalArgumentException(name + " is no setting of a machine's config");
        }
        return attribute(name, p, description);
    }

    private static AttributeSchema attribute(String name, JsonNode property, String description) {
        JsonNode p = resolved(property);
        String type = p.has("enum") ? "string" : p.path("type").asText("object");
        return switch (type) {
            case "string" -> {
                AttributeSchema a = AttributeSchema.optional(name, AttributeType.STRING, description);
                if (p.has("enum")) {
                    List<String> values = new ArrayList<>();
                    p.get("enum").forEach(v -> values.add(v.asText()));
                    a = a.oneOf(values);
                }
                yield a;
            }
            case "integer", "number" -> AttributeSchema.optional(name, AttributeType.NUMBER, description);
            case "boolean" -> AttributeSchema.optional(name, AttributeType.BOOL, description);
            case "array" -> {
                JsonNode items = resolved(p.path("items"));
                AttributeSchema a = AttributeSchema.optional(name, AttributeType.LIST, description);
                yield items.has("properties") ? a.holding(Structure.object(fields(items, name)))
                        : a.holding(Structure.of(scalar(items)));
            }
            default -> {
                AttributeSchema a = AttributeSchema.optional(name, AttributeType.MAP, description);
                JsonNode values = p.path("additionalProperties");
                if (p.has("properties")) {
                    yield a.holding(Structure.object(fields(p, name)));
                }
                JsonNode element = resolved(values);
                if (element.has("properties")) {
                    yield a.holding(Structure.named(fields(element, name)));
                }
                yield values.path("type").asText().equals("string") ? a.holding(Structure.of(AttributeType.STRING)) : a;
            }
        };
    }

    private static AttributeSchema[] fields(JsonNode object, String path) {
        List<AttributeSchema> out = new ArrayList<>();
        object.path("properties").fields().forEachRemaining(f -> out.add(attribute(f.getKey(), f.getValue(),
                "`" + f.getKey() + "` of " + path + ", as Fly's Machines API takes it.")));
        return out.toArray(AttributeSchema[]::new);
    }

    /** A reference (also one wrapped in allOf) followed to the schema it names. */
    private static JsonNode resolved(JsonNode property) {
        JsonNode p = property;
        while (true) {
            if (p.has("$ref")) {
                String ref = p.get("$ref").asText();
                p = SCHEMAS.path(ref.substring(ref.lastIndexOf('/') + 1));
            } else if (p.has("allOf") && p.get("allOf").size() == 1) {
                p = p.get("allOf").get(0);
            } else {
                return p;
            }
        }
    }

    private static AttributeType scalar(JsonNode schema) {
        return switch (schema.path("type").asText()) {
            case "string" -> AttributeType.STRING;
            case "integer", "number" -> AttributeType.NUMBER;
            case "boolean" -> AttributeType.BOOL;
            case "array" -> AttributeType.LIST;
            default -> AttributeType.MAP;
        };
    }

    /** {@code structure} with its field {@code name} changed by {@code change}. */
    static Structure withField(Structure structure, String name, UnaryOperator<AttributeSchema> change) {
        AttributeSchema field = structure.fields().get(name);
        if (field == null) {
            throw new IllegalArgumentException(name + " is no field");
        }
        Map<String, AttributeSchema> fields = new LinkedHashMap<>(structure.fields());
        fields.put(name, change.apply(field));
        return new Structure(structure.element(), fields, structure.keyed(), structure.singular(), structure.positional());
    }

    /** {@code attribute} with its structure changed by {@code change}. */
    static AttributeSchema reshaped(AttributeSchema attribute, UnaryOperator<Structure> change) {
        return attribute.holding(change.apply(attribute.structure()));
    }

    /** An optional field made required (a port a service listens on, a mount's volume). */
    static AttributeSchema required(AttributeSchema field) {
        return new AttributeSchema(field.name(), field.type(), true, true, field.computed(), field.forcesReplacement(),
                field.sensitive(), field.description(), field.structure(), field.defaultValue(), field.allowed());
    }

    /** A field described in flyform's words. */
    static AttributeSchema described(AttributeSchema field, String description) {
        return new AttributeSchema(field.name(), field.type(), field.settable(), field.required(), field.computed(),
                field.forcesReplacement(), field.sensitive(), description, field.structure(), field.defaultValue(), field.allowed());
    }
}
