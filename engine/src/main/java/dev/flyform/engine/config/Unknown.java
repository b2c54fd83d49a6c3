package dev.flyform.engine.config;

/** A value that only the API will tell, after apply (an id, an address). */
public enum Unknown {
    AFTER_APPLY;

    @Override
    public String toString() {
        return "(known after apply)";
    }
}
