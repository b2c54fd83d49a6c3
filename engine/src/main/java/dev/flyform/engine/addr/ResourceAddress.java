package dev.flyform.engine.addr;

import java.util.Comparator;
import java.util.regex.Pattern;

/**
 * Where a resource lives in the configuration: its type and the label the user gave it,
 * written {@code fly_app.web}. Plans, state and graph vertices are keyed by this value.
 */
public record ResourceAddress(String type, String name) implements Comparable<ResourceAddress> {

    private static final Pattern TYPE = Pattern.compile("[a-z][a-z0-9_]*");
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_-]*");
    private static final Comparator<ResourceAddress> ORDER =
            Comparator.comparing(ResourceAddress::type).thenComparing(ResourceAddress::name);

    public ResourceAddress {
        if (type == null || !TYPE.matcher(type).matches()) {
            throw new IllegalArgumentException("invalid resource type: " + type);
        }
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(
                    "invalid resource label '" + name + "': use letters, digits, '_' and '-', starting with a letter or '_'");
        }
    }

    public static boolean isValidName(String name) {
        return name != null && NAME.matcher(name).matches();
    }

    /** Parses {@code type.name}. */
    public static ResourceAddress parse(String text) {
        int dot = text == null ? -1 : text.indexOf('.');
        if (dot <= 0 || dot == text.length() - 1) {
            throw new IllegalArgumentException("invalid resource address '" + text + "': expected TYPE.NAME, e.g. fly_app.web");
        }
        return new ResourceAddress(text.substring(0, dot), text.substring(dot + 1));
    }

    private static final String DEPOSED = "-deposed-";

    /**
     * Where the state keeps an object replaced by one made before it was deleted, until it is
     * deleted: a run that stops in between leaves it there, and the next run deletes it.
     */
    public ResourceAddress deposed(String id) {
        return new ResourceAddress(type, name + DEPOSED + id.replaceAll("[^A-Za-z0-9_-]", "_"));
    }

    /** An object kept only until it is deleted ({@link #deposed}). */
    public boolean isDeposed() {
        return name.contains(DEPOSED);
    }

    @Override
    public int compareTo(ResourceAddress other) {
        return ORDER.compare(this, other);
    }

    @Override
    public String toString() {
        return type + "." + name;
    }
}
