package dev.flyform.engine.addr;

import java.util.Comparator;
import java.util.regex.Pattern;

/**
 * Where a resource lives in the configuration: its type and the label the user gave it,
 * written {@code fly_app.web}. Plans, state and graph vertices are keyed by this value. A data
 * source (a read-only lookup of an object flyform does not manage) has the type
 * {@code data.TYPE}: {@code data.fly_app.legacy}.
 */
public record ResourceAddress(String type, String name) implements Comparable<ResourceAddress> {

    private static final Pattern TYPE = Pattern.compile("(data\\.)?[a-z][a-z0-9_]*");
    private static final String DATA = "data.";
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

    /** A data source's address: {@code data.fly_app.legacy}. */
    public static ResourceAddress data(String type, String name) {
        return new ResourceAddress(DATA + type, name);
    }

    /** Whether it is a data source's: read, never made or recorded. */
    public boolean isData() {
        return type.startsWith(DATA);
    }

    /** The type a provider knows it by: {@code fly_app} for {@code data.fly_app}. */
    public String baseType() {
        return isData() ? type.substring(DATA.length()) : type;
    }

    /** Parses {@code type.name} (and {@code data.type.name}). */
    public static ResourceAddress parse(String text) {
        if (text != null && text.startsWith(DATA)) {
            ResourceAddress inner = parse(text.substring(DATA.length()));
            return new ResourceAddress(DATA + inner.type(), inner.name());
        }
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
