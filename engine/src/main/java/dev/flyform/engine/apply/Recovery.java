package dev.flyform.engine.apply;

import dev.flyform.engine.diag.Diagnostic;
import dev.flyform.engine.provider.Provider;
import dev.flyform.engine.provider.ReconcileRequest;
import dev.flyform.engine.provider.ReconcileResponse;
import dev.flyform.engine.state.Intent;
import dev.flyform.engine.state.ResourceState;
import dev.flyform.engine.state.State;
import dev.flyform.engine.state.StateStore;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Before planning, settles every intent an earlier run left open (it crashed, or lost an
 * answer): what the intent created is adopted into state; an intent that certainly created
 * nothing is dropped. The caller holds the state lock.
 */
public final class Recovery {

    /** What was settled: adopted addresses and dropped intents, and problems that stop the run. */
    public record Outcome(List<String> adopted, int dropped, List<Diagnostic> diagnostics) {
    }

    /** Where an intent keeps the dependencies its object will have in state. */
    static final String DEPENDENCIES = "flyform_dependencies";

    private Recovery() {
    }

    private static Set<dev.flyform.engine.addr.ResourceAddress> dependencies(Intent intent) {
        Set<dev.flyform.engine.addr.ResourceAddress> deps = new TreeSet<>();
        if (intent.data().get(DEPENDENCIES) instanceof List<?> list) {
            list.forEach(a -> deps.add(dev.flyform.engine.addr.ResourceAddress.parse(String.valueOf(a))));
        }
        return deps;
    }

    public static Outcome reconcile(Provider provider, StateStore store) {
        List<String> adopted = new ArrayList<>();
        List<Diagnostic> diags = new ArrayList<>();
        int dropped = 0;
        for (Intent intent : store.intents()) {
            State state = store.read();
            Set<String> owned = new TreeSet<>();
            state.resources().values().stream().filter(r -> r.address().type().equals(intent.address().type()))
                    .forEach(r -> owned.add(provider.identity(r)));
            java.util.Map<String, Object> data = new java.util.LinkedHashMap<>(intent.data());
            data.put("intent_id", intent.id());
            ReconcileResponse found = provider.reconcile(new ReconcileRequest(intent.address(), data, intent.planned(), owned));
            switch (found.outcome()) {
                case CREATED -> {
                    ResourceState existing = state.resources().get(intent.address());
                    if (existing != null && !existing.id().equals(found.found().id())) {
                        // The address has another object already: the found one is an orphan for plan to see.
                        diags.add(Diagnostic.warning("An earlier, interrupted create of " + intent.address() + " made "
                                + found.found().id() + ", but the state holds " + existing.id() + " there",
                                "flyform leaves " + found.found().id() + " alone; delete it by hand if it is not wanted."));
                        store.dropIntent(intent.id());
                        dropped++;
                    } else {
                        store.completeIntent(intent.id(), found.found().withDependencies(dependencies(intent)));
                        adopted.add(intent.address().toString());
                    }
                }
                case NOT_CREATED -> {
                    store.dropIntent(intent.id());
                    dropped++;
                }
                default -> diags.addAll(found.diagnostics().isEmpty()
                        ? List.of(Diagnostic.error("Cannot tell whether the interrupted create of " + intent.address()
                        + " made anything", "The intent is kept; run again when the Fly API answers."))
                        : found.diagnostics());
            }
        }
        return new Outcome(adopted, dropped, diags);
    }
}
