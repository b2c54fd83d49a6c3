package dev.flyform.provider.fly.internal;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

/**
 * A lease flyform holds on a machine while it changes it, as flyctl takes one for every update
 * and destroy: while another client (a {@code fly deploy}) holds the machine, flyform waits for
 * it, bounded, and then proceeds; its own changes carry the lease's nonce.
 */
final class Lease implements AutoCloseable {

    static final int TTL_SECONDS = 60;

    private final MachinesApi api;
    private final String app;
    private final String machine;
    private final String nonce;
    /** Who held the machine while flyform waited for it (null: nobody did), and for how long. */
    final String waitedFor;
    final Duration waited;

    private Lease(MachinesApi api, String app, String machine, String nonce, String waitedFor, Duration waited) {
        this.api = api;
        this.app = app;
        this.machine = machine;
        this.nonce = nonce;
        this.waitedFor = waitedFor;
        this.waited = waited;
    }

    /**
     * Acquires the machine's lease, waiting up to {@code patience} while another client holds it
     * (and saying so to {@code progress}, naming the holder).
     *
     * @throws FlyApiException 404 when the machine is gone; 409 naming the holder when it is still
     *                         held once {@code patience} has run out
     */
    static Lease acquire(MachinesApi api, String app, String machine, Duration patience,
                         java.util.function.Consumer<String> progress) {
        // Marks the lease as this acquire's: an acquire resent after a lost answer meets its own lease.
        String mark = "flyform " + UUID.randomUUID();
        long start = System.nanoTime();
        long deadline = start + patience.toNanos();
        long pauseMillis = 250;
        String holder = null;
        while (true) {
            try {
                JsonNode answer = api.post(Map.of("ttl", TTL_SECONDS, "description", mark), "apps", app, "machines", machine, "lease");
                return new Lease(api, app, machine, answer.path("data").path("nonce").asText(), holder,
                        Duration.ofNanos(System.nanoTime() - start));
            } catch (FlyApiException e) {
                if (e.httpStatus() != 409) {
                    throw e;
                }
            }
            JsonNode held = current(api, app, machine);
            if (held != null && mark.equals(held.path("description").asText())) {
                return new Lease(api, app, machine, held.path("nonce").asText(), holder, Duration.ofNanos(System.nanoTime() - start));
            }
            if (held != null && !held.path("owner").asText("another client").equals(holder)) {
                holder = held.path("owner").asText("another client");
                progress.accept("the lease on machine " + machine + " held by " + holder);
            }
            if (System.nanoTime() > deadline) {
                throw new FlyApiException(409, "lease_held", "machine " + machine + " is leased by "
                        + (holder == null ? "another client" : holder) + "; waited " + patience.toSeconds() + " s for it", null);
            }
            Failures.pause(pauseMillis, "waiting for the lease of machine " + machine);
            pauseMillis = Math.min(pauseMillis * 2, 5_000);
        }
    }

    /** The lease held now, or null when there is none (it was released meanwhile). */
    private static JsonNode current(MachinesApi api, String app, String machine) {
        try {
            return api.get("apps", app, "machines", machine, "lease").path("data");
        } catch (FlyApiException e) {
            if (e.httpStatus() == 404) {
                return null;
            }
            throw e;
        }
    }

    /** The API, sending this lease's nonce. */
    MachinesApi api() {
        return api.withLease(nonce);
    }

    /** Releases the lease; should that fail, it expires on its own within {@value #TTL_SECONDS} s. */
    @Override
    public void close() {
        try {
            api.withLease(nonce).delete("apps", app, "machines", machine, "lease");
        } catch (FlyApiException | FlyUnreachableException ignored) {
            // Gone with its machine, or not reachable: the lease runs out by itself.
        }
    }
}
