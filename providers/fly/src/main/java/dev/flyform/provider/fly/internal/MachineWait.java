package dev.flyform.provider.fly.internal;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Fly changes a machine asynchronously: a create answers {@code created}, an update
 * {@code replacing}, a destroy {@code destroying}. flyform waits, as flyctl does, with Fly's
 * {@code /wait}, bounded by {@link #LIMIT}.
 */
final class MachineWait {

    static final Duration LIMIT = Duration.ofMinutes(5);

    private MachineWait() {
    }

    /**
     * Until this instance of the machine has settled (it is no longer in a transient state).
     *
     * @return the machine as Fly holds it then
     */
    static JsonNode settled(MachinesApi api, String app, String id, String instanceId) {
        await(api, app, id, "settled", instanceId);
        return api.get("apps", app, "machines", id);
    }

    /** Until the machine is destroyed (and its volumes free again). */
    static void destroyed(MachinesApi api, String app, String id) {
        try {
            await(api, app, id, "destroyed", null);
        } catch (FlyApiException e) {
            if (e.httpStatus() != 404) {
                throw e;
            }
        }
    }

    private static void await(MachinesApi api, String app, String id, String state, String instanceId) {
        long deadline = System.nanoTime() + LIMIT.toNanos();
        while (true) {
            long left = (deadline - System.nanoTime()) / 1_000_000_000L;
            if (left <= 0) {
                throw new FlyApiException(408, "timeout", "machine " + id + " did not become " + state + " within "
                        + LIMIT.toMinutes() + " minutes", null);
            }
            Map<String, String> query = new LinkedHashMap<>();
            query.put("state", state);
            query.put("timeout", String.valueOf(Math.min(left, api.waitSeconds())));
            if (instanceId != null && !instanceId.isEmpty()) {
                query.put("instance_id", instanceId);
            }
            try {
                api.get(query, "apps", app, "machines", id, "wait");
                return;
            } catch (FlyApiException e) {
                if (e.httpStatus() != 408) {
                    throw e;
                }
            }
        }
    }
}
