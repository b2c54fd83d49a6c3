package dev.flyform.engine;

import dev.flyform.engine.addr.ResourceAddress;
import dev.flyform.engine.apply.Applier;
import dev.flyform.engine.apply.ApplyListener;
import dev.flyform.engine.apply.ApplyResult;
import dev.flyform.engine.apply.Cancellation;
import dev.flyform.engine.apply.StateRecorder;
import dev.flyform.engine.config.Configuration;
import dev.flyform.engine.config.ResourceConfig;
import dev.flyform.engine.diag.SourceLocation;
import dev.flyform.engine.plan.Plan;
import dev.flyform.engine.plan.PlanOptions;
import dev.flyform.engine.plan.Planner;
import dev.flyform.engine.plan.ResourceChange;
import dev.flyform.engine.provider.ApplyRequest;
import dev.flyform.engine.provider.ApplyResponse;
import dev.flyform.engine.provider.ImportRequest;
import dev.flyform.engine.provider.ImportResponse;
import dev.flyform.engine.provider.PlanRequest;
import dev.flyform.engine.provider.PlanResponse;
import dev.flyform.engine.provider.Provider;
import dev.flyform.engine.provider.ProviderSchema;
import dev.flyform.engine.provider.ReadRequest;
import dev.flyform.engine.provider.ReadResponse;
import dev.flyform.engine.provider.ValidateRequest;
import dev.flyform.engine.provider.ValidateResponse;
import dev.flyform.engine.state.InMemoryStateStore;
import dev.flyform.engine.state.ResourceState;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Apply returns only when nothing it started is still running: after a provider bug in one
 * change, or an interrupt, the changes in flight finish and are recorded first, so the caller
 * may close the state the moment apply returns.
 */
class ApplierInFlightTest {

    private final InMemoryStateStore store = new InMemoryStateStore();

    /** Boxes made one at a time by label: "boom" throws, "slow" takes until released. */
    private static final class SlowProvider implements Provider {
        private final BoxProvider boxes = new BoxProvider();
        final CountDownLatch slowStarted = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        @Override
        public ProviderSchema schema() {
            return boxes.schema();
        }

        @Override
        public ValidateResponse validate(ValidateRequest request) {
            return boxes.validate(request);
        }

        @Override
        public synchronized ReadResponse read(ReadRequest request) {
            return boxes.read(request);
        }

        @Override
        public synchronized PlanResponse plan(PlanRequest request) {
            return boxes.plan(request);
        }

        @Override
        public ApplyResponse apply(ApplyRequest request) {
            Object label = request.planned().get("label");
            if ("boom".equals(label)) {
                awaitQuietly(slowStarted);
                throw new IllegalStateException("a bug in the provider");
            }
            if ("slow".equals(label)) {
                slowStarted.countDown();
                awaitQuietly(release);
            }
            synchronized (this) {
                return boxes.apply(request);
            }
        }

        @Override
        public ImportResponse importResource(ImportRequest request) {
            return boxes.importResource(request);
        }

        private static void awaitQuietly(CountDownLatch latch) {
            try {
                latch.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static ResourceConfig box(String label) {
        return new ResourceConfig(new ResourceAddress(BoxProvider.TYPE, label), Map.of("label", label),
                new SourceLocation("main.fly.groovy", 1));
    }

    /** Counts what reaches the state, and whether anything reached it after apply returned. */
    private static final class Recorded implements ApplyListener {
        final AtomicInteger created = new AtomicInteger();
        volatile boolean returned;
        volatile boolean afterReturn;

        @Override
        public void created(ResourceChange change, ResourceState newState) {
            created.incrementAndGet();
            afterReturn |= returned;
        }
    }

    @Test
    void aProviderBugIsThrownOnlyOnceTheChangesInFlightAreRecorded() throws Exception {
        SlowProvider provider = new SlowProvider();
        Plan plan = new Planner(provider).plan(Configuration.of(List.of(box("boom"), box("slow"))), store.read(),
                PlanOptions.defaults());
        Recorded recorded = new Recorded();
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread applying = new Thread(() -> {
            try {
                new Applier(provider, 4).apply(plan, store.read(), ApplyListener.all(new StateRecorder(store), recorded));
            } catch (Throwable t) {
                thrown.set(t);
            } finally {
                recorded.returned = true;
            }
        });
        applying.start();
        assertTrue(provider.slowStarted.await(30, TimeUnit.SECONDS));
        Thread.sleep(200);   // boom has thrown by now; apply must still be waiting for slow
        boolean returnedEarly = recorded.returned;
        provider.release.countDown();
        applying.join(30_000);

        assertFalse(returnedEarly, "apply returned while a change was still in flight");
        assertTrue(thrown.get() instanceof IllegalStateException, String.valueOf(thrown.get()));
        assertEquals(1, recorded.created.get());
        assertTrue(store.read().resource(new ResourceAddress(BoxProvider.TYPE, "slow")).isPresent(), "slow is in the state");
        assertFalse(recorded.afterReturn);
    }

    @Test
    void anInterruptStopsNewWorkWaitsForWhatIsInFlightAndReturns() throws Exception {
        SlowProvider provider = new SlowProvider();
        Plan plan = new Planner(provider).plan(Configuration.of(List.of(box("slow"), box("tail"))), store.read(),
                PlanOptions.defaults());
        Recorded recorded = new Recorded();
        AtomicReference<ApplyResult> result = new AtomicReference<>();
        Thread applying = new Thread(() -> {
            result.set(new Applier(provider, 1).apply(plan, store.read(),
                    ApplyListener.all(new StateRecorder(store), recorded), Cancellation.never()));
            recorded.returned = true;
        });
        applying.start();
        assertTrue(provider.slowStarted.await(30, TimeUnit.SECONDS));
        applying.interrupt();
        Thread.sleep(200);
        provider.release.countDown();
        applying.join(30_000);

        assertFalse(applying.isAlive(), "apply spun after the interrupt instead of returning");
        assertTrue(result.get().interrupted(), String.valueOf(result.get()));
        assertEquals(1, recorded.created.get(), "slow finished and was recorded; tail never started");
        assertTrue(store.read().resource(new ResourceAddress(BoxProvider.TYPE, "tail")).isEmpty());
    }
}
