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
 * @param names        attribute → the type of the object its value names (a volume's {@code app}
 *                     names a {@code fly_app} by its one identifying attribute): a name that a
 *                     declared object carries makes a dependency edge to it, as a reference does;
 *                     {@code list.field} names the objects a field of a list's elements names
 *                     ({@code mounts.volume}: a volume, by what a reference to one means, its id)
 * @param createdFirst a replacement makes the new object before it deletes the old one (Terraform's
 *                     create_before_destroy): for objects whose names may repeat, where losing the
 *                     old one first could lose data (a volume) when the new one is refused
 * @param referenced   the attribute another block means when given a block of this type as a
 *                     value ({@code app = web}: the app's name); null: see {@link #referencedBy()}
 * @param shortcuts    shorter ways to declare objects of other types inside a block of this one
 *                     (an app's {@code ip 'v6'})
 * @param madeAfter    type → attribute: an object of this type is made after every declared object
 *                     of that type with the same value of that attribute (a machine after its app's
 *                     secrets, so it starts with them and needs no restart)
 * @param holdsData    an object of this type keeps data of its users (a volume): destroying or
 *                     replacing one loses it, which a plan says plainly
 * @param rollout      how updates of objects of this type that share a parent roll out (a
 *                     machine's, within its app); null: all at once
 */
public record ResourceSchema(String type, Map<String, AttributeSchema> attributes, String deletedWith,
                             List<String> identifiedBy, Map<String, String> names, boolean createdFirst, String referenced,
                             List<Shortcut> shortcuts, Map<String, String> madeAfter, boolean holdsData,
                             Rollout rollout) {

    /**
     * Updates of objects with the same value of {@code parent} (an attribute that {@link #names}
     * an object) go a few at a time, in the order they are made, each finished (an update that
     * waits until its object is healthy) before the next starts; a failure stops the rest. The
     * object named says how: its {@code strategy} attribute ({@code immediate}: all at once) and
     * its {@code maxUnavailable} attribute (how many at a time, default 1).
     */
    public record Rollout(String parent, String strategy, String maxUnavailable) {
    }

    public ResourceSchema {
        attributes = Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
        identifiedBy = List.copyOf(identifiedBy);
        names = Map.copyOf(names);
        shortcuts = List.copyOf(shortcuts);
        madeAfter = Map.copyOf(madeAfter);
    }

    /** The same type, its objects holding data that destroying them loses. */
    public ResourceSchema holdingData() {
        return new ResourceSchema(type, attributes, deletedWith, identifiedBy, names, createdFirst, referenced, shortcuts, madeAfter, true, rollout);
    }

    /** The same type with a shortcut for declaring another type inside its blocks. */
    public ResourceSchema withShortcut(Shortcut shortcut) {
        List<Shortcut> more = new java.util.ArrayList<>(shortcuts);
        more.add(shortcut);
        return new ResourceSchema(type, attributes, deletedWith, identifiedBy, names, createdFirst, referenced, more, madeAfter, holdsData, rollout);
    }

    /** The same type, made after each declared {@code other} with the same value of {@code attribute}. */
    public ResourceSchema madeAfter(String other, String attribute) {
        Map<String, String> more = new LinkedHashMap<>(madeAfter);
        more.put(other, attribute);
        return new ResourceSchema(type, attributes, deletedWith, identifiedBy, names, createdFirst, referenced, shortcuts, more, holdsData, rollout);
    }

    /** The same type, its objects named by these attributes' values. */
    public ResourceSchema identifiedBy(String... attributes) {
        return new ResourceSchema(type, this.attributes, deletedWith, List.of(attributes), names, createdFirst, referenced, shortcuts, madeAfter, holdsData, rollout);
    }

    /** The same type, its {@code attribute} naming an object of {@code type}. */
    public ResourceSchema naming(String attribute, String type) {
        Map<String, String> more = new LinkedHashMap<>(names);
        more.put(attribute, type);
        return new ResourceSchema(this.type, attributes, deletedWith, identifiedBy, more, createdFirst, referenced, shortcuts, madeAfter, holdsData, rollout);
    }

    /** The same type, a block of it given as a value meaning its {@code attribute}. */
    public ResourceSchema referencedAs(String attribute) {
        return new ResourceSchema(type, attributes, deletedWith, identifiedBy, names, createdFirst, attribute, shortcuts, madeAfter, holdsData, rollout);
    }

    /** The same type, its updates rolled out within each {@code parent} (see {@link Rollout}). */
    public ResourceSchema rolledOutBy(String parent, String strategy, String maxUnavailable) {
        return new ResourceSchema(type, attributes, deletedWith, identifiedBy, names, createdFirst, referenced, shortcuts, madeAfter,
                holdsData, new Rollout(parent, strategy, maxUnavailable));
    }

    /** The same type, replaced by making the new object before the old one is deleted. */
    public ResourceSchema creatingFirst() {
        return new ResourceSchema(type, attributes, deletedWith, identifiedBy, names, true, referenced, shortcuts, madeAfter, holdsData, rollout);
    }

    public static ResourceSchema of(String type, List<AttributeSchema> attributes) {
        return of(type, attributes, null);
    }

    public static ResourceSchema of(String type, List<AttributeSchema> attributes, String deletedWith) {
        Map<String, AttributeSchema> byName = new LinkedHashMap<>();
        attributes.forEach(a -> byName.put(a.name(), a));
        return new ResourceSchema(type, byName, deletedWith, List.of(), Map.of(), false, null, List.of(), Map.of(), false, null);
    }

    public boolean isSensitive(String attribute) {
        AttributeSchema a = attributes.get(attribute);
        return a != null && a.sensitive();
    }

    /**
     * The attribute another block means when it is given a block of this type as a value
     * ({@code app = web}: the app's name): the one set with {@link #referencedAs}, else the one
     * attribute that identifies an object, else {@code id}, else the first attribute.
     */
    public String referencedBy() {
        if (referenced != null) {
            return referenced;
        }
        if (identifiedBy.size() == 1) {
            return identifiedBy.get(0);
        }
        return attributes.containsKey("id") ? "id" : attributes.keySet().iterator().next();
    }

    /** The name a block of this type has in the DSL without its provider's prefix: {@code fly_app} → {@code app}. */
    public String shortName() {
        int underscore = type.indexOf('_');
        return underscore < 0 ? type : type.substring(underscore + 1);
    }

    /** Attributes a user may set in a block. */
    public List<String> settableNames() {
        return attributes.values().stream().filter(AttributeSchema::settable).map(AttributeSchema::name).toList();
    }
}
