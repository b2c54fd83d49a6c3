package dev.flyform.engine.diag;

/** A place in a user's file, printed as {@code path:line}. Paths are as the user sees them. */
public record SourceLocation(String file, int line) {

    public SourceLocation {
        if (file == null || file.isBlank()) {
            throw new IllegalArgumentException("file is required");
        }
    }

    @Override
    public String toString() {
        return line > 0 ? file + ":" + line : file;
    }
}
