package dev.flyform.engine.addr;

import java.util.Comparator;
import java.util.regex.Pattern;

/**
 * Where a resource lives in the configuration: its type and the label the user gave it,
 * written {@code fly_app.web}. Plans, state and graph vertices are keyed by this value. A data
 * source (a read-only lookup of an object flyform does not manage) has the type
 * {@code data.TYPE}: {@code data.fly_app.legacy}.
 */
public record ResourceAddress(String module, String type, String name) implements Comparable<ResourceAddress> {

    private static final Pattern TYPE = Pattern.compile("(data\\.)?[a-z][a-z0-9_]*");
    private static final String DATA = "data.";
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_-]*");
    private static final Pattern MODULE = Pattern.compile("(module\\.[A-Za-z_][A-Za-z0-9_-]*)(\\.module\\.[A-Za-z_][A-Za-z0-9_-]*)*");
    private static final String MODULE_PREFIX = "module.";
    private static final Comparator<ResourceAddress> ORDER = Comparator.comparing(ResourceAddress::module)
            .thenComparing(ResourceAddress::type).thenComparing(ResourceAddress::name);

    /** An address of the root configuration, in no module. */
    public ResourceAddress(String type, String name) {
        this("", type, name);
    }

    public ResourceAddress {
        module = module == null ? "" : module;
        if (!module.isEmpty() && !MODULE.matcher(module).matches()) {
            throw new IllegalArgumentException("invalid module path: " + module);
        }
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

    /** The same block in the module at {@code modulePath} ({@code module.web}; empty: the root). */
    public ResourceAddress inModule(String modulePath) {
        return new ResourceAddress(modulePath, type, name);
    }

    /** A module's path below {@code parent} ({@code module.web}, {@code module.web.module.db}). */
    public static String modulePath(String parent, String moduleName) {
        return (parent == null || parent.isEmpty() ? "" : parent + ".") + MODULE_PREFIX + moduleName;
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

    /** Parses {@code type.name} (and {@code data.type.name}, each maybe below {@code module.NAME.}). */
    public static ResourceAddress parse(String text) {
        if (text != null && text.startsWith(MODULE_PREFIX)) {
            int second = text.indexOf('.', MODULE_PREFIX.length());
            if (second < 0) {
                throw new IllegalArgumentException("invalid resource address '" + text + "': expected module.NAME.TYPE.NAME");
            }
            String here = text.substring(0, second);
            ResourceAddress inner = parse(text.substring(second + 1));
            return new ResourceAddress(inner.module().isEmpty() ? here : here + "." + inner.module(), inner.type(), inner.name());
        }
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
        return new ResourceAddress(module, type, name + DEPOSED + id.replaceAll("[^A-Za-z0-9_-]", "_"));
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
        return (module.isEmpty() ? "" : module + ".") + type + "." + name;
    }
}
