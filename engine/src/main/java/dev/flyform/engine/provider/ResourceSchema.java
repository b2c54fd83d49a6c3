package dev.flyform.engine.provider;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The attributes of one resource type, in display order.
 *
 * @param deletedWith  a resource type whose deletion takes this one with it (Fly deletes an app's
 *                     IPs, certificates, secrets, volumes and machines with the app); null if none
 * @param identifiedBy attributes whose values together name one object of the API (an app's
 *                     name; an app and a secret's name): two declarations with the same values
 *                     declare the same object, which is an error. Empty when objects of the type
 *                     have no such name (IP addresses, volumes); a declaration that leaves one
 *                     of them unset is not compared.
 */
public record ResourceSchema(String type, Map<String, AttributeSchema> attributes, String deletedWith,
                             List<String> identifiedBy) {

    public ResourceSchema {
        attributes = Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
        identifiedBy = List.copyOf(identifiedBy);
    }

    /** The same type, its objects named by these attributes' values. */
    public ResourceSchema identifiedBy(String... attributes) {
        return new ResourceSchema(type, this.attributes, deletedWith, List.of(attributes));
    }

    public static ResourceSchema of(String type, List<AttributeSchema> attributes) {
        return of(type, attributes, null);
    }

    public static ResourceSchema of(String type, List<AttributeSchema> attributes, String deletedWith) {
        Map<String, AttributeSchema> byName = new LinkedHashMap<>();
        attributes.forEach(a -> byName.put(a.name(), a));
        return new ResourceSchema(type, byName, deletedWith, List.of());
    }

    public boolean isSensitive(String attribute) {
        AttributeSchema a = attributes.get(attribute);
        return a != null && a.sensitive();
    }

    /** Attributes a user may set in a block. */
    public List<String> settableNames() {
        return attributes.values().stream().filter(AttributeSchema::settable).map(AttributeSchema::name).toList();
    }
}
