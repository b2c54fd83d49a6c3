package dev.flyform.engine.apply;

import dev.flyform.engine.diag.Diagnostic;

import java.util.List;

/** Counts of what apply did, and what went wrong. */
public record ApplyResult(int added, int changed, int destroyed, List<Diagnostic> diagnostics) {

    public ApplyResult {
        diagnostics = List.copyOf(diagnostics);
    }

    public boolean succeeded() {
        return diagnostics.stream().noneMatch(Diagnostic::isError);
    }
}
