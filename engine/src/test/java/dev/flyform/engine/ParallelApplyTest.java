package dev.flyform.engine;

import dev.flyform.engine.addr.ResourceAddress;
import dev.flyform.engine.apply.ApplyResult;
import dev.flyform.engine.apply.Applier;
import dev.flyform.engine.apply.StateRecorder;
import dev.flyform.engine.config.Configuration;
import dev.flyform.engine.config.Reference;
import dev.flyform.engine.config.ResourceConfig;
import dev.flyform.engine.diag.SourceLocation;
import dev.flyform.engine.plan.Action;
import dev.flyform.engine.plan.Plan;
import dev.flyform.engine.plan.PlanOptions;
import dev.flyform.engine.plan.Planner;
import dev.flyform.engine.state.InMemoryStateStore;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The planner and applier at parallelism above 1 against a fake with lookup, prepare-create,
 * reconcile and failures: judged by what the fake ends up holding and what the state records.
 */
class ParallelApplyTest {

    private final ShelfProvider provider = new ShelfProvider();
    private final InMemoryStateStore store = new InMemoryStateStore();

    private static ResourceConfig shelf(String label) {
        return new ResourceConfig(new ResourceAddress(ShelfProvider.SHELF, label), Map.of("label", label),
                new SourceLocation("main.fly.groovy", 1));
    }

    private static ResourceConfig book(String label, String shelf) {
        return new ResourceConfig(new ResourceAddress(ShelfProvider.BOOK, label),
                Map.of("label", label, "shelf", new Reference(new ResourceAddress(ShelfProvider.SHELF, shelf), "id")),
                new SourceLocation("main.fly.groovy", 2));
    }

    private Configuration config() {
        List<ResourceConfig> all = new ArrayList<>();
        for (String s : List.of("a", "b", "c", "d")) {
            all.add(shelf(s));
            all.add(book("book_" + s, s));
        }
        return Configuration.of(all);
    }

    private Plan plan(Configuration config) {
        return new Planner(provider).plan(config, store.read(), PlanOptions.defaults());
    }

    private ApplyResult apply(Configuration config, int parallelism) {
        return new Applier(provider, parallelism).apply(plan(config), store.read(), new StateRecorder(store));
    }

    /** Every object on the fake is in the state, once, and nothing in the state is missing from the fake. */
    private void assertNoOrphanNoDuplicate(int expected) {
        assertEquals(expected, provider.remote.size(), provider.remote.toString());
        assertEquals(expected, provider.remote.values().stream().map(a -> a.get("label")).distinct().count(), "no label twice");
        assertEquals(provider.remote.keySet(), new java.util.TreeSet<>(store.read().resources().values().stream()
                .map(r -> r.id()).toList()).stream().collect(java.util.stream.Collectors.toSet()));
    }

    @Test
    void independentCreatesOverlapUpToTheLimitAndEachBookWaitsForItsShelf() {
        CyclicBarrier fourShelves = new CyclicBarrier(4);
        provider.duringCreate = label -> {
            if (!label.startsWith("book")) {
                try {
                    fourShelves.await(10, TimeUnit.SECONDS);   // breaks unless the four shelves are made at once
                } catch (InterruptedException | BrokenBarrierException | TimeoutException e) {
                    throw new IllegalStateException("the shelves were not created at the same time", e);
                }
            }
        };

        ApplyResult result = apply(config(), 4);

        assertTrue(result.diagnostics().isEmpty(), result.diagnostics().toString());
        assertEquals(8, result.added());
        for (String s : List.of("a", "b", "c", "d")) {
            assertTrue(provider.events.indexOf("end " + s) < provider.events.indexOf("start book_" + s), provider.events.toString());
        }
        assertNoOrphanNoDuplicate(8);
        assertFalse(plan(config()).hasWork(), "a second plan has nothing to do");
    }

    @Test
    void aRefusedShelfStopsWhatDependsOnItAndARunAfterConverges() {
        provider.refused.add("b");

        ApplyResult first = apply(config(), 2);

        assertFalse(first.diagnostics().isEmpty());
        assertFalse(provider.events.contains("start book_b"), "nothing on the refused shelf was tried");
        assertNoOrphanNoDuplicate(provider.remote.size());

        provider.refused.clear();
        ApplyResult second = apply(config(), 2);

        assertTrue(second.diagnostics().isEmpty(), second.diagnostics().toString());
        assertNoOrphanNoDuplicate(8);
    }

    @Test
    void aCreateWhoseAnswerWasLostIsReconciledNeverMadeAgain() {
        provider.answerLost.add("c");

        ApplyResult result = apply(config(), 3);

        assertTrue(store.intents().isEmpty(), "the lost answer was reconciled in the same run: " + store.intents());
        assertTrue(store.read().resource(new ResourceAddress(ShelfProvider.SHELF, "c")).isPresent(), result.diagnostics().toString());
        assertEquals(1, provider.events.stream().filter(e -> e.equals("start c")).count(), "c was created once");
        provider.answerLost.clear();
        apply(config(), 3);
        assertNoOrphanNoDuplicate(8);
        assertEquals(1, provider.events.stream().filter(e -> e.equals("start c")).count(), "and never again");
    }

    @Test
    void aShelfMadeByHandIsAdoptedByLookupNotCreated() {
        provider.remote.put("by-hand", new java.util.LinkedHashMap<>(Map.of("label", "a", "id", "by-hand", "type", ShelfProvider.SHELF)));

        Plan plan = plan(config());
        new Applier(provider, 4).apply(plan, store.read(), new StateRecorder(store));

        assertEquals(Action.ADOPT, plan.change(new ResourceAddress(ShelfProvider.SHELF, "a")).orElseThrow().action());
        assertFalse(provider.events.contains("start a"));
        assertEquals("by-hand", store.read().resource(new ResourceAddress(ShelfProvider.SHELF, "a")).orElseThrow().id());
        assertNoOrphanNoDuplicate(8);
    }
}
