package dev.flyform.engine;

import dev.flyform.engine.addr.ResourceAddress;
import dev.flyform.engine.apply.Cancellation;
import dev.flyform.engine.apply.ApplyListener;
import dev.flyform.engine.config.Configuration;
import dev.flyform.engine.config.ResourceConfig;
import dev.flyform.engine.diag.DiagnosticsException;
import dev.flyform.engine.diag.SourceLocation;
import dev.flyform.engine.plan.Plan;
import dev.flyform.engine.plan.PlanOptions;
import dev.flyform.engine.state.InMemoryStateStore;
import dev.flyform.engine.state.ResourceState;
import dev.flyform.engine.state.StateLock;
import dev.flyform.engine.state.StateTargetMismatchException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The engine's run over one state: its lock and target, saved plans, import. Judged by what the state holds. */
class EngineTest {

    private final ShelfProvider provider = new ShelfProvider();
    private final InMemoryStateStore store = new InMemoryStateStore();

    private static Configuration shelves(String... labels) {
        List<ResourceConfig> all = new ArrayList<>();
        for (String label : labels) {
            all.add(new ResourceConfig(new ResourceAddress(ShelfProvider.SHELF, label), Map.of("label", label),
                    new SourceLocation("main.fly.groovy", 1)));
        }
        return Configuration.of(all);
    }

    private void apply(Engine engine, Configuration config) {
        try (StateLock ignored = engine.lock("apply", Duration.ZERO)) {
            Plan plan = engine.plan(config, PlanOptions.defaults());
            assertTrue(engine.apply(plan, "apply", 2, new ApplyListener() { }, new Cancellation()).succeeded());
        }
    }

    @Test
    void aStateOfAnotherTargetIsRefusedWhenTheLockIsTakenAndTheLockIsLeftFree() {
        apply(new Engine(provider, store, "https://one.example"), shelves("a"));
        Engine other = new Engine(provider, store, "https://two.example");

        assertThrows(StateTargetMismatchException.class, () -> other.lock("apply", Duration.ZERO));
        // refused, and not left holding the lock: the right target takes it at once
        try (StateLock lock = new Engine(provider, store, "https://one.example").lock("plan", Duration.ZERO)) {
            assertTrue(lock.holder().startsWith("plan"));
        }
        assertEquals(List.of("a"), provider.remote.values().stream().map(m -> m.get("label")).toList());
    }

    @Test
    void aSavedPlanIsRefusedOnceTheStateMovedOn() {
        Engine engine = new Engine(provider, store, "t");
        String lineage = store.read().lineage();
        long serial = store.read().serial();
        engine.checkSaved(lineage, serial);   // nothing moved: accepted

        apply(engine, shelves("a"));

        DiagnosticsException stale = assertThrows(DiagnosticsException.class, () -> engine.checkSaved(lineage, serial));
        assertEquals("Saved plan is stale", stale.diagnostics().get(0).summary());
        assertThrows(DiagnosticsException.class, () -> engine.checkSaved("another-lineage", store.read().serial()));
    }

    @Test
    void aSavedPlanIsRefusedWhenAnObjectItWasPlannedAgainstChangedSince() {
        Engine engine = new Engine(provider, store, "t");
        apply(engine, shelves("a", "b"));
        Plan plan = engine.plan(shelves("a"), PlanOptions.defaults());   // deletes b
        engine.checkUnchanged(plan, "the plan");                          // b is as it was

        provider.remote.values().removeIf(m -> "b".equals(m.get("label")));   // deleted by hand

        DiagnosticsException gone = assertThrows(DiagnosticsException.class, () -> engine.checkUnchanged(plan, "the plan"));
        assertTrue(gone.diagnostics().get(0).summary().contains("test_shelf.b is gone"), gone.diagnostics().get(0).summary());
    }

    @Test
    void importRecordsNothingAndRunsNothingWhenOneObjectIsInTheStateAlready() {
        Engine engine = new Engine(provider, store, "t");
        apply(engine, shelves("a"));
        long serial = store.read().serial();
        ResourceState a = store.read().resource(new ResourceAddress(ShelfProvider.SHELF, "a")).orElseThrow();
        ResourceState c = new ResourceState(new ResourceAddress(ShelfProvider.SHELF, "c"), "shelf-c", Map.of("label", "c", "id", "shelf-c"));
        List<String> ran = new ArrayList<>();

        assertThrows(DiagnosticsException.class, () -> engine.recordImported(List.of(c, a), () -> ran.add("write")));
        assertEquals(List.of(), ran);
        assertEquals(serial, store.read().serial());

        engine.recordImported(List.of(c), () -> ran.add("write"));
        assertEquals(List.of("write"), ran);
        assertEquals("shelf-c", store.read().resource(c.address()).orElseThrow().id());
        assertEquals("t", store.read().target());
    }
}
