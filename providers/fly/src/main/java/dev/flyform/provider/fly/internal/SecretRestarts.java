package dev.flyform.provider.fly.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flyform.engine.diag.Diagnostic;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Machines read their app's secrets when they boot. A secret set during an apply restarts the
 * app's started machines once, when the apply is done, but not those the same apply created or
 * updated after the secret was set: their new instance has it already. So a secret change and a
 * machine change in one apply boot the machine once, not twice.
 */
public final class SecretRestarts {

    private final MachinesApi api;
    /** app → when its last secret set was answered (nanoTime). */
    private final Map<String, Long> secretsSet = new ConcurrentHashMap<>();
    /** "app/machine" → when the request that booted its current instance was sent (nanoTime). */
    private final Map<String, Long> booted = new ConcurrentHashMap<>();

    public SecretRestarts(MachinesApi api) {
        this.api = api;
    }

    void secretSet(String app) {
        secretsSet.merge(app, System.nanoTime(), Math::max);
    }

    /** @param sentAt when the create or update was sent, before its answer */
    void booted(String app, String machine, long sentAt) {
        booted.merge(app + "/" + machine, sentAt, Math::max);
    }

    /** Restarts what still runs without the new secrets; problems come back as warnings. */
    public List<Diagnostic> restartPending() {
        List<Diagnostic> diags = new ArrayList<>();
        Map<String, Long> due = new TreeMap<>(secretsSet);
        secretsSet.clear();
        due.forEach((app, setAt) -> {
            try {
                for (JsonNode machine : api.get("apps", app, "machines")) {
                    String id = machine.path("id").asText();
                    if ("started".equals(machine.path("state").asText()) && booted.getOrDefault(app + "/" + id, Long.MIN_VALUE) < setAt) {
                        restart(app, id);
                    }
                }
            } catch (FlyApiException | FlyUnreachableException e) {
                diags.add(Diagnostic.warning("Machines of " + app + " were not all restarted after its secrets changed",
                        (e instanceof FlyApiException a ? a.describe() : e.getMessage())
                                + ". Running machines see the new values once restarted: fly apps restart " + app + "."));
            }
        });
        booted.clear();
        return diags;
    }

    private void restart(String app, String id) {
        try (Lease lease = Lease.acquire(api, app, id, MachineResource.LEASE_PATIENCE, message -> { })) {
            lease.api().post(null, "apps", app, "machines", id, "restart");
        } catch (FlyApiException e) {
            if (!Failures.notFound(e)) {
                throw e;
            }
        }
    }
}
