package dev.flyform.provider.fly.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flyform.engine.provider.AttributeSchema;
import dev.flyform.engine.provider.AttributeType;
import dev.flyform.engine.provider.Structure;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The machine config the provider declares is Fly's OpenAPI document's: the resource it reads
 * ({@code machine-config.json}) is that document's {@code fly.MachineConfig} and every schema it
 * reaches, types and enums only. A new spec that changes it fails here; run this test with
 * {@code -Dflyform.regenerate=true} to write the resource again.
 */
class MachineConfigSpecTest {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    /** The document's schemas that fly.MachineConfig reaches, with only what types a value: no prose, no examples. */
    static ObjectNode derived(JsonNode spec) {
        JsonNode schemas = spec.path("components").path("schemas");
        Map<String, JsonNode> reached = new TreeMap<>();
        Deque<String> todo = new ArrayDeque<>(Set.of("fly.MachineConfig"));
        while (!todo.isEmpty()) {
            String name = todo.pop();
            if (reached.containsKey(name)) {
                continue;
            }
            JsonNode kept = typesOnly(schemas.get(name));
            reached.put(name, kept);
            kept.findValues("$ref").forEach(r -> todo.push(r.asText().substring(r.asText().lastIndexOf('/') + 1)));
        }
        ObjectNode out = JSON.createObjectNode();
        out.put("root", "fly.MachineConfig");
        out.set("schemas", JSON.valueToTree(reached));
        return out;
    }

    private static JsonNode typesOnly(JsonNode schema) {
        if (!schema.isObject()) {
            return schema.deepCopy();
        }
        ObjectNode out = JSON.createObjectNode();
        for (Iterator<Map.Entry<String, JsonNode>> it = schema.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            switch (e.getKey()) {
                case "description", "example", "examples", "title", "x-enum-varnames" -> { }
                case "properties" -> {
                    ObjectNode props = out.putObject("properties");
                    e.getValue().fields().forEachRemaining(p -> props.set(p.getKey(), typesOnly(p.getValue())));
                }
                default -> out.set(e.getKey(), e.getValue().isObject() ? typesOnly(e.getValue()) : e.getValue().deepCopy());
            }
        }
        return out;
    }

    @Test
    void theResourceIsWhatFlysOpenApiDocumentSays() throws IOException {
        JsonNode spec;
        try (InputStream in = getClass().getResourceAsStream("/fly-api-spec/machines-openapi.json")) {
            assertNotNull(in, "the emulator's test jar holds Fly's OpenAPI document");
            spec = JSON.readTree(in);
        }
        String expected = JSON.writeValueAsString(derived(spec)) + "\n";
        if (Boolean.getBoolean("flyform.regenerate")) {
            Files.writeString(Path.of("src/main/resources/dev/flyform/provider/fly/internal/machine-config.json"), expected);
        }
        String actual;
        try (InputStream in = MachineConfigSpec.class.getResourceAsStream("machine-config.json")) {
            assertNotNull(in, "machine-config.json is missing: run this test with -Dflyform.regenerate=true");
            actual = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
        assertEquals(expected, actual, "machine-config.json is not the OpenAPI document's: run this test with -Dflyform.regenerate=true");
    }

    /** Every property of every schema reached is a field of the attribute schema, with its type and its enum. */
    @Test
    void everySettingOfTheDocumentIsAnAttributeOrAFieldOfTheMachineType() throws IOException {
        JsonNode spec = JSON.readTree(getClass().getResourceAsStream("/fly-api-spec/machines-openapi.json"));
        JsonNode schemas = spec.path("components").path("schemas");
        Map<String, AttributeSchema> attributes = new MachineResource(null, null, null).schema().attributes();
        Set<String> checked = new LinkedHashSet<>();
        schemas.path("fly.MachineConfig").path("properties").fields().forEachRemaining(p -> {
            AttributeSchema a = attributes.get(p.getKey());
            assertNotNull(a, "fly_machine has no attribute " + p.getKey());
            assertTrue(a.settable(), p.getKey() + " is settable");
            check(schemas, p.getKey(), p.getValue(), a, checked);
        });
        assertTrue(checked.size() > 150, "checked " + checked.size() + " settings");
    }

    private static void check(JsonNode schemas, String path, JsonNode property, AttributeSchema a, Set<String> checked) {
        checked.add(path);
        JsonNode p = resolved(schemas, property);
        String type = p.has("enum") ? "string" : p.path("type").asText("object");
        switch (type) {
            case "string" -> {
                assertEquals(AttributeType.STRING, a.type(), path);
                if (p.has("enum")) {
                    Set<String> values = new LinkedHashSet<>();
                    p.get("enum").forEach(v -> values.add(v.asText()));
                    assertEquals(values, new LinkedHashSet<>(a.allowed()), path + " takes the enum's values");
                }
            }
            case "integer", "number" -> assertEquals(AttributeType.NUMBER, a.type(), path);
            case "boolean" -> assertEquals(AttributeType.BOOL, a.type(), path);
            case "array" -> {
                assertEquals(AttributeType.LIST, a.type(), path);
                JsonNode items = resolved(schemas, p.path("items"));
                Structure s = a.structure();
                assertNotNull(s, path + " says what it holds");
                if (items.has("properties")) {
                    fields(schemas, path + "[]", items, s, checked);
                } else {
                    assertEquals(scalar(items.path("type").asText()), s.element(), path + "[]");
                }
            }
            default -> {
                assertEquals(AttributeType.MAP, a.type(), path);
                if (p.has("properties")) {
                    assertNotNull(a.structure(), path + " has fields");
                    fields(schemas, path, p, a.structure(), checked);
                } else if (p.path("additionalProperties").has("$ref")) {
                    assertTrue(a.structure().keyed(), path + " is a map of objects by name");
                    fields(schemas, path + ".*", resolved(schemas, p.get("additionalProperties")), a.structure(), checked);
                } else if (p.path("additionalProperties").path("type").asText().equals("string")) {
                    assertEquals(AttributeType.STRING, a.structure().element(), path + " holds strings");
                }
            }
        }
    }

    private static void fields(JsonNode schemas, String path, JsonNode object, Structure s, Set<String> checked) {
        object.path("properties").fields().forEachRemaining(f -> {
            AttributeSchema field = s.fields().get(f.getKey());
            if (field == null) {
                fail(path + " has no field " + f.getKey());
            }
            check(schemas, path + "." + f.getKey(), f.getValue(), field, checked);
        });
    }

    private static JsonNode resolved(JsonNode schemas, JsonNode property) {
        JsonNode p = property;
        while (p.has("$ref") || p.has("allOf")) {   // allOf of one schema: that schema (a description beside it)
            String ref = (p.has("$ref") ? p : p.get("allOf").get(0)).get("$ref").asText();
            p = schemas.get(ref.substring(ref.lastIndexOf('/') + 1));
        }
        return p;
    }

    private static AttributeType scalar(String type) {
        return switch (type) {
            case "string" -> AttributeType.STRING;
            case "integer", "number" -> AttributeType.NUMBER;
            case "boolean" -> AttributeType.BOOL;
            case "array" -> AttributeType.LIST;
            default -> AttributeType.MAP;
        };
    }
}
