package dev.flyform.engine.provider;

import dev.flyform.engine.diag.Diagnostic;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The proposed attributes ({@link dev.flyform.engine.config.Unknown} where only the API will
 * tell) and the attributes whose change forces replacement.
 */
public record PlanResponse(Map<String, Object> planned, Set<String> requiresReplace, List<Diagnostic> diagnostics) {

    public PlanResponse {
        planned = Collections.unmodifiableMap(new TreeMap<>(planned));
        requiresReplace = Collections.unmodifiableSet(new TreeSet<>(requiresReplace));
        diagnostics = List.copyOf(diagnostics);
    }
}
