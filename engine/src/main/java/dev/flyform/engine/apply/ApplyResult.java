package dev.flyform.engine.apply;

import dev.flyform.engine.diag.Diagnostic;

import java.util.List;

/**
 * Counts of what apply did, and what went wrong.
 *
 * @param recreated creates sent again after a reconcile showed the first attempt made nothing
 * @param interrupted apply stopped early because it was asked to
 */
public record ApplyResult(int added, int changed, int destroyed, int adopted, int recreated, boolean interrupted,
                          List<Diagnostic> diagnostics) {

    public ApplyResult {
        diagnostics = List.copyOf(diagnostics);
    }

    public boolean succeeded() {
        return diagnostics.stream().noneMatch(Diagnostic::isError);
    }
}
