package dev.flyform.engine;

import dev.flyform.engine.apply.GraphWalker;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The walk the applier makes: order, parallelism, stopping. Nothing here depends on how fast the machine is. */
class GraphWalkerTest {

    private final List<String> events = Collections.synchronizedList(new ArrayList<>());

    private boolean walk(int parallelism, List<String> items, Map<String, Set<String>> waits,
                         java.util.function.Predicate<String> work, java.util.function.BooleanSupplier stop) {
        return new GraphWalker<String>(parallelism).walk(items, waits, work, stop, () -> { });
    }

    @Test
    void eachStartsOnlyAfterWhatItWaitsForHasFinished() {
        Map<String, Set<String>> waits = Map.of("d", Set.of("a", "b"), "e", Set.of("d"), "f", Set.of("c"));

        assertTrue(walk(4, List.of("a", "b", "c", "d", "e", "f"), waits, item -> {
            events.add("start " + item);
            events.add("end " + item);
            return true;
        }, () -> false));

        waits.forEach((item, deps) -> deps.forEach(dep ->
                assertTrue(events.indexOf("end " + dep) < events.indexOf("start " + item), events.toString())));
        assertEquals(12, events.size());
    }

    @Test
    void independentItemsRunTogetherButNeverMoreThanTheLimit() {
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        CyclicBarrier three = new CyclicBarrier(3);

        assertTrue(walk(3, List.of("a", "b", "c", "d", "e", "f"), Map.of(), item -> {
            most.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            try {
                three.await(10, TimeUnit.SECONDS);   // only passes when three run at once
            } catch (Exception e) {
                throw new IllegalStateException("three items did not run at once", e);
            }
            inFlight.decrementAndGet();
            return true;
        }, () -> false));

        assertEquals(3, most.get());
    }

    @Test
    void afterAFailureNothingNewStartsAndWhatIsInFlightFinishes() {
        CountDownLatch aFailed = new CountDownLatch(1);

        boolean ok = walk(2, List.of("a", "b", "c"), Map.of(), item -> {
            events.add("start " + item);
            if (item.equals("a")) {
                aFailed.countDown();
                return false;
            }
            try {
                assertTrue(aFailed.await(10, TimeUnit.SECONDS));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            events.add("end " + item);
            return true;
        }, () -> false);

        assertFalse(ok);
        assertEquals(Set.of("start a", "start b", "end b"), Set.copyOf(events), "c never started");
        assertEquals(3, events.size());
    }

    @Test
    void aStopAskedForStartsNothingMore() {
        AtomicBoolean stop = new AtomicBoolean();

        boolean ok = walk(1, List.of("a", "b", "c"), Map.of(), item -> {
            events.add(item);
            stop.set(true);
            return true;
        }, stop::get);

        assertFalse(ok, "a walk stopped before the end is not complete");
        assertEquals(List.of("a"), events);
    }

    @Test
    void aBugIsThrownOnceWhatIsInFlightHasFinished() {
        CountDownLatch thrown = new CountDownLatch(1);
        IllegalStateException bug = new IllegalStateException("bug");

        IllegalStateException seen = assertThrows(IllegalStateException.class, () -> walk(2, List.of("a", "b"), Map.of(), item -> {
            if (item.equals("a")) {
                thrown.countDown();
                throw bug;
            }
            try {
                assertTrue(thrown.await(10, TimeUnit.SECONDS));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            events.add("end b");
            return true;
        }, () -> false));

        assertSame(bug, seen);
        assertEquals(List.of("end b"), events);
    }
}
