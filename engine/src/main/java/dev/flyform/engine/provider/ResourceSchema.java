package dev.flyform.engine.provider;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The attributes of one resource type, in display order. */
public record ResourceSchema(String type, Map<String, AttributeSchema> attributes) {

    public ResourceSchema {
        attributes = Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
    }

    public static ResourceSchema of(String type, List<AttributeSchema> attributes) {
        Map<String, AttributeSchema> byName = new LinkedHashMap<>();
        attributes.forEach(a -> byName.put(a.name(), a));
        return new ResourceSchema(type, byName);
    }

    /** Attributes a user may set in a block. */
    public List<String> settableNames() {
        return attributes.values().stream().filter(AttributeSchema::settable).map(AttributeSchema::name).toList();
    }
}
