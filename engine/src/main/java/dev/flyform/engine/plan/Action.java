package dev.flyform.engine.plan;

/** What apply will do to one resource. */
public enum Action {
    NO_OP("", "no changes"),
    CREATE("+", "will be created"),
    UPDATE("~", "will be updated in-place"),
    REPLACE("-/+", "must be replaced"),
    DELETE("-", "will be destroyed"),
    /** It exists on Fly already (found by its natural key or tag): record it, send nothing. */
    ADOPT("=", "will be adopted");

    private final String symbol;
    private final String description;

    Action(String symbol, String description) {
        this.symbol = symbol;
        this.description = description;
    }

    public String symbol() {
        return symbol;
    }

    public String description() {
        return description;
    }

    public boolean mutates() {
        return this != NO_OP;
    }
}
