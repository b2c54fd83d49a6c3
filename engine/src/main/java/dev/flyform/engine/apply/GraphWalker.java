package dev.flyform.engine.apply;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/**
 * Walks items in dependency order: each starts once everything it waits for is done, up to
 * {@code parallelism} at a time, ties in the order given. After a failure, or once a stop is
 * asked for, nothing new starts; what is in flight finishes. An exception thrown by the work (a
 * bug, not a refusal) is thrown again once what is still in flight has finished.
 *
 * @param <T> what is walked (resource addresses, in the applier)
 */
public final class GraphWalker<T> {

    private final int parallelism;

    public GraphWalker(int parallelism) {
        if (parallelism < 1) {
            throw new IllegalArgumentException("parallelism must be at least 1");
        }
        this.parallelism = parallelism;
    }

    /**
     * @param waitsFor      for each item, the items it starts after (others are ignored)
     * @param work          does one item; false when it failed
     * @param stopRequested asked before anything new starts: true stops the walk there
     * @param interrupted   called when the walking thread is interrupted (nothing new starts then)
     * @return false when an item failed, or the walk was stopped or interrupted before the end
     */
    public boolean walk(List<T> items, Map<T, Set<T>> waitsFor, Predicate<T> work, BooleanSupplier stopRequested,
                        Runnable interrupted) {
        if (items.isEmpty()) {
            return true;
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(parallelism, items.size()), r -> {
            Thread t = new Thread(r, "flyform-apply");
            t.setDaemon(true);
            return t;
        });
        ExecutorCompletionService<Map.Entry<T, Boolean>> done = new ExecutorCompletionService<>(pool);
        Set<T> finished = new HashSet<>();
        Set<T> started = new HashSet<>();
        boolean failed = false;
        boolean wasInterrupted = false;
        RuntimeException bug = null;
        int inFlight = 0;
        try {
            while (true) {
                if (!failed && !stopRequested.getAsBoolean()) {
                    for (T item : items) {
                        if (inFlight >= parallelism) {
                            break;
                        }
                        if (!started.contains(item) && finished.containsAll(waitsFor.getOrDefault(item, Set.of()))) {
                            started.add(item);
                            inFlight++;
                            done.submit(() -> Map.entry(item, work.test(item)));
                        }
                    }
                } else if (!failed) {
                    failed = true;   // stopped: what is left is not done
                }
                if (inFlight == 0) {
                    break;
                }
                Future<Map.Entry<T, Boolean>> next;
                try {
                    next = done.take();
                } catch (InterruptedException e) {
                    // Nothing new starts; what is in flight is waited for. The flag is set again once
                    // nothing is left: set now, take() would throw at once, forever.
                    wasInterrupted = true;
                    interrupted.run();
                    failed = true;
                    continue;
                }
                inFlight--;
                try {
                    Map.Entry<T, Boolean> result = next.get();
                    finished.add(result.getKey());
                    failed |= !result.getValue();
                } catch (ExecutionException e) {
                    if (bug == null) {
                        bug = e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
                    }
                    failed = true;
                } catch (InterruptedException e) {
                    wasInterrupted = true;   // get() of a finished task does not wait; kept for completeness
                }
            }
        } finally {
            pool.shutdown();
            if (wasInterrupted) {
                Thread.currentThread().interrupt();
            }
        }
        if (bug != null) {
            throw bug;
        }
        return !failed && finished.size() == items.size();
    }
}
