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

    @Override
    public int compareTo(ResourceAddress other) {
        return ORDER.compare(this, other);
    }

    @Override
    public String toString() {
        return type + "." + name;
    }
}
