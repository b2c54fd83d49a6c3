package dev.flyform.engine.provider;

/** The value types a resource attribute can hold. */
public enum AttributeType {
    STRING,
    NUMBER,
    BOOL,
    LIST,
    MAP;

    public boolean accepts(Object value) {
        return switch (this) {
            case STRING -> value instanceof CharSequence;
            case NUMBER -> value instanceof Number;
            case BOOL -> value instanceof Boolean;
            case LIST -> value instanceof java.util.List<?>;
            case MAP -> value instanceof java.util.Map<?, ?>;
        };
    }
}
