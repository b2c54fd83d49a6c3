package dev.flyform.engine.diag;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** Collects every problem of one run, so the user sees them all at once. */
public final class Diagnostics {

    private final List<Diagnostic> items = new ArrayList<>();

    public Diagnostics add(Diagnostic diagnostic) {
        items.add(diagnostic);
        return this;
    }

    public Diagnostics addAll(Collection<Diagnostic> diagnostics) {
        items.addAll(diagnostics);
        return this;
    }

    public boolean hasErrors() {
        return items.stream().anyMatch(Diagnostic::isError);
    }

    public List<Diagnostic> all() {
        return List.copyOf(items);
    }

    public boolean isEmpty() {
        return items.isEmpty();
    }

    /** Throws if any error was collected; warnings pass. */
    public void throwIfErrors() {
        if (hasErrors()) {
            throw new DiagnosticsException(all());
        }
    }
}
