package dev.flyform.engine.provider;

/**
 * One attribute of a resource type.
 *
 * @param settable          the user may set it in a block
 * @param required          the user must set it
 * @param computed          the API sets it (alone, or as a default when the user does not)
 * @param forcesReplacement changing it cannot be done in place: the object is replaced
 * @param sensitive         never shown, never stored in clear
 * @param structure         what a list or map holds (element type, or objects with fields); null: anything
 * @param defaultValue      what the attribute is when it is left out, when that is one fixed value (an
 *                          IP's region: global); null when there is none or the API picks it
 * @param allowed           the only values a string may take (an API's enum); empty: any
 */
public record AttributeSchema(
        String name,
        AttributeType type,
        boolean settable,
        boolean required,
        boolean computed,
        boolean forcesReplacement,
        boolean sensitive,
        String description,
        Structure structure,
        Object defaultValue,
        java.util.List<String> allowed) {

    public AttributeSchema {
        allowed = allowed == null ? java.util.List.of() : java.util.List.copyOf(allowed);
        if (required && !settable) {
            throw new IllegalArgumentException(name + ": a required attribute must be settable");
        }
        if (structure != null && type != AttributeType.LIST && type != AttributeType.MAP) {
            throw new IllegalArgumentException(name + ": only a list or a map holds a structure");
        }
    }

    public static AttributeSchema required(String name, AttributeType type, String description) {
        return new AttributeSchema(name, type, true, true, false, false, false, description, null, null, null);
    }

    public static AttributeSchema optional(String name, AttributeType type, String description) {
        return new AttributeSchema(name, type, true, false, false, false, false, description, null, null, null);
    }

    /** Set by the API only (an id, a status). */
    public static AttributeSchema readOnly(String name, AttributeType type, String description) {
        return new AttributeSchema(name, type, false, false, true, false, false, description, null, null, null);
    }

    public AttributeSchema forcingReplacement() {
        return new AttributeSchema(name, type, settable, required, computed, true, sensitive, description, structure, defaultValue, allowed);
    }

    /** Never shown, never stored in clear: state keeps a keyed digest. */
    public AttributeSchema asSensitive() {
        return new AttributeSchema(name, type, settable, required, computed, forcesReplacement, true, description, structure, defaultValue, allowed);
    }

    /** The user may leave it out and the provider or API picks the value. */
    public AttributeSchema withDefault() {
        return new AttributeSchema(name, type, settable, required, true, forcesReplacement, sensitive, description, structure, defaultValue, allowed);
    }

    /** Left out, it is {@code value}: the provider plans it so, and a written declaration may leave it out. */
    public AttributeSchema defaultingTo(Object value) {
        return new AttributeSchema(name, type, settable, required, true, forcesReplacement, sensitive, description, structure, value, allowed);
    }

    /** A string that takes only these values. */
    public AttributeSchema oneOf(java.util.Collection<String> values) {
        if (type != AttributeType.STRING) {
            throw new IllegalArgumentException(name + ": only a string takes one of some values");
        }
        return new AttributeSchema(name, type, settable, required, computed, forcesReplacement, sensitive, description, structure,
                defaultValue, java.util.List.copyOf(values));
    }

    /** The same attribute, holding {@code structure}: its elements' type, or objects with fields. */
    public AttributeSchema holding(Structure structure) {
        return new AttributeSchema(name, type, settable, required, computed, forcesReplacement, sensitive, description, structure, defaultValue, allowed);
    }
}
