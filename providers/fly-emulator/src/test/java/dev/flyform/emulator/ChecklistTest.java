package dev.flyform.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flyform.emulator.EmulatorClient.Answer;
import dev.flyform.emulator.contract.FlyContract;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The emulator checklist of fly-api/README.md §10, one test per item (items 2 to 4 are in
 * {@link AppsApiTest}), each asserting the answer and what the emulator holds afterwards.
 */
class ChecklistTest {

    private final FlyEmulator fly = FlyEmulator.start(0);
    private final FlyContract contract = FlyContract.attachTo(fly);
    private final EmulatorClient api = new EmulatorClient(fly);

    /** Off for a test that sends what no client of Fly's API would. */
    private boolean checkContract = true;

    @AfterEach
    void stop() {
        fly.close();
        if (checkContract) {
            contract.assertClean();
        }
    }

    private JsonNode inventory(String app) {
        return fly.inventory().path("apps").path(app);
    }

    /** A machine, once started: Fly answers a create with "created" and starts it a moment later. */
    private String machine(String app, String body) {
        Answer a = api.post("/v1/apps/" + app + "/machines", body);
        assertEquals(200, a.status(), a.body().toString());
        assertEquals(200, api.get("/v1/apps/" + app + "/machines/" + a.text("id") + "/wait?state=started&timeout=10").status());
        return a.text("id");
    }

    private void awaitDestroyed(String app, String id) {
        assertEquals(200, api.get("/v1/apps/" + app + "/machines/" + id + "/wait?state=destroyed&timeout=10").status());
    }

    /** A deleted app reads and holds its name for a while: wait until Fly says 404. */
    private void awaitAppGone(String app) {
        long deadline = System.currentTimeMillis() + 10_000;
        while (api.get("/v1/apps/" + app).status() != 404) {
            assertTrue(System.currentTimeMillis() < deadline, app + " was never deleted");
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
    }

    @Test
    @DisplayName("§10.1 /v1 base path, JSON errors with {error}, fly-request-id on every answer")
    void basePathJsonErrorsAndRequestIds() {
        checkContract = false;
        Answer unknown = api.get("/v1/no-such-thing");
        Answer outside = api.get("/apps");

        assertEquals(404, unknown.status());
        assertTrue(unknown.body().has("error"));
        assertEquals(404, outside.status());
        for (Answer a : List.of(unknown, outside, api.createApp("base-app"))) {
            assertTrue(a.raw().headers().firstValue("fly-request-id").isPresent());
            assertTrue(a.raw().headers().firstValue("content-type").orElse("").startsWith("application/json"));
        }
    }

    @Test
    @DisplayName("§10.5 deleting an app answers 202 and takes machines, volumes, IPs, certificates and secrets with it")
    void deletingAnAppCascades() {
        api.createApp("doomed");
        String vol = api.post("/v1/apps/doomed/volumes", "{\"name\":\"data\",\"region\":\"iad\"}").text("id");
        machine("doomed", "{\"region\":\"iad\",\"config\":{\"image\":\"nginx\",\"mounts\":[{\"volume\":\"" + vol + "\",\"path\":\"/d\"}]}}");
        api.post("/v1/apps/doomed/ip_assignments", "{\"type\":\"v4\"}");
        api.post("/v1/apps/doomed/certificates/acme", "{\"hostname\":\"doomed.example.com\"}");
        api.post("/v1/apps/doomed/secrets/KEY", "{\"value\":\"v\"}");

        assertEquals(202, api.delete("/v1/apps/doomed").status());
        awaitAppGone("doomed");
        assertTrue(fly.inventory().path("apps").isEmpty());

        api.createApp("doomed");
        for (String child : List.of("machines", "volumes")) {
            assertEquals(0, api.get("/v1/apps/doomed/" + child).body().size(), child);
        }
        assertEquals(0, api.get("/v1/apps/doomed/ip_assignments").body().path("ips").size());
        assertEquals(0, api.get("/v1/apps/doomed/certificates").body().path("total_count").asInt());
        assertEquals(0, api.get("/v1/apps/doomed/secrets").body().path("secrets").size());
    }

    @Test
    @DisplayName("§10.6 machines: whole-config update, immutable name and region")
    void machineUpdatesReplaceTheWholeConfig() {
        api.createApp("m-app");
        String id = machine("m-app", "{\"name\":\"web-1\",\"region\":\"iad\",\"config\":{\"image\":\"nginx\",\"env\":{\"A\":\"1\"},"
                + "\"metadata\":{\"owner\":\"me\"}}}");

        Answer updated = api.post("/v1/apps/m-app/machines/" + id, "{\"config\":{\"image\":\"nginx:2\"}}");
        assertEquals(200, updated.status());
        JsonNode config = api.get("/v1/apps/m-app/machines/" + id).body().path("config");
        assertEquals("nginx:2", config.path("image").asText());
        assertFalse(config.has("env"), "an update replaces the config: env left out is gone");

        Answer rename = api.post("/v1/apps/m-app/machines/" + id, "{\"name\":\"web-2\",\"config\":{\"image\":\"nginx\"}}");
        Answer move = api.post("/v1/apps/m-app/machines/" + id, "{\"region\":\"ams\",\"config\":{\"image\":\"nginx\"}}");
        assertEquals(400, rename.status());
        assertEquals(400, move.status());
        JsonNode after = inventory("m-app").path("machines").get(0);
        assertEquals("web-1", after.path("name").asText());
        assertEquals("iad", after.path("region").asText());
    }

    @Test
    @DisplayName("§10.6 machines: list filters region, include_deleted and metadata.KEY=VALUE")
    void machineListFilters() {
        api.createApp("f-app");
        String a = machine("f-app", "{\"region\":\"iad\",\"config\":{\"image\":\"nginx\",\"metadata\":{\"flyform\":\"id-a\"}}}");
        machine("f-app", "{\"region\":\"ams\",\"config\":{\"image\":\"nginx\",\"metadata\":{\"flyform\":\"id-b\"}}}");
        String c = machine("f-app", "{\"region\":\"iad\",\"config\":{\"image\":\"nginx\"}}");
        api.delete("/v1/apps/f-app/machines/" + c + "?force=true");
        awaitDestroyed("f-app", c);

        assertEquals(1, api.get("/v1/apps/f-app/machines?region=iad").body().size());
        assertEquals(a, api.get("/v1/apps/f-app/machines?metadata.flyform=id-a").body().get(0).path("id").asText());
        assertEquals(0, api.get("/v1/apps/f-app/machines?metadata.flyform=id-a&region=ams").body().size());
        assertEquals(2, api.get("/v1/apps/f-app/machines").body().size());
        Answer all = api.get("/v1/apps/f-app/machines?include_deleted=true");
        assertEquals(3, all.body().size());
        assertEquals("destroyed", all.body().get(2).path("state").asText());
    }

    @Test
    @DisplayName("§10.6 machines: while leased, mutating calls need the nonce; a second acquire is 409")
    void leasesAreEnforced() {
        api.createApp("l-app");
        String id = machine("l-app", "{\"region\":\"iad\",\"config\":{\"image\":\"nginx\"}}");
        Answer lease = api.post("/v1/apps/l-app/machines/" + id + "/lease", "{\"ttl\":60}");
        assertEquals(201, lease.status());
        String nonce = lease.body().path("data").path("nonce").asText();

        Answer stopWithout = api.post("/v1/apps/l-app/machines/" + id + "/stop", "{}");
        assertEquals(409, stopWithout.status());
        assertTrue(stopWithout.text("error").contains("lease currently held by"));
        assertEquals(409, api.post("/v1/apps/l-app/machines/" + id + "/lease", "{\"ttl\":60}").status());
        assertEquals(409, api.delete("/v1/apps/l-app/machines/" + id + "?force=true").status());
        assertEquals("started", inventory("l-app").path("machines").get(0).path("state").asText());

        assertEquals(200, api.send("POST", "/v1/apps/l-app/machines/" + id + "/stop", "{}", nonce).status());
        assertEquals(200, api.send("DELETE", "/v1/apps/l-app/machines/" + id + "/lease", null, nonce).status());
        assertEquals(200, api.post("/v1/apps/l-app/machines/" + id + "/start", null).status());
        assertEquals(200, api.get("/v1/apps/l-app/machines/" + id + "/wait?state=started&timeout=10").status());
        assertEquals("started", inventory("l-app").path("machines").get(0).path("state").asText());
    }

    @Test
    @DisplayName("§10.6 machines: wait takes at most 60 s and answers 408 when the state is not reached")
    void waitIsBoundedAndTimesOut() {
        api.createApp("w-app");
        String id = machine("w-app", "{\"region\":\"iad\",\"config\":{\"image\":\"nginx\"}}");
        String base = "/v1/apps/w-app/machines/" + id + "/wait";

        assertEquals(200, api.get(base + "?state=started&timeout=5").status());
        assertEquals(400, api.get(base + "?state=started&timeout=61").status());
        assertEquals(400, api.get(base + "?state=stopped").status(), "stopped needs instance_id");
        long t0 = System.nanoTime();
        Answer timedOut = api.get(base + "?state=suspended&timeout=1");
        assertEquals(408, timedOut.status());
        assertTrue(System.nanoTime() - t0 >= 900_000_000L, "it waited for the timeout");
    }

    @Test
    @DisplayName("§10.6 machines: a started machine is not deleted without force")
    void startedMachinesNeedForce() {
        api.createApp("d-app");
        String id = machine("d-app", "{\"region\":\"iad\",\"config\":{\"image\":\"nginx\"}}");

        assertEquals(412, api.delete("/v1/apps/d-app/machines/" + id).status());
        assertEquals(200, api.delete("/v1/apps/d-app/machines/" + id + "?force=true").status());
        awaitDestroyed("d-app", id);
        assertEquals(404, api.delete("/v1/apps/d-app/machines/" + id + "?force=true").status());
        assertEquals(0, api.get("/v1/apps/d-app/machines").body().size());
    }

    @Test
    @DisplayName("§10.7 volumes: names are not unique, extend only grows, delete answers destroyed")
    void volumes() {
        api.createApp("v-app");
        String body = "{\"name\":\"data\",\"region\":\"iad\",\"size_gb\":1}";
        String first = api.post("/v1/apps/v-app/volumes", body).text("id");
        String second = api.post("/v1/apps/v-app/volumes", body).text("id");
        assertFalse(first.equals(second));
        assertEquals(2, inventory("v-app").path("volumes").size());

        assertEquals(400, api.put("/v1/apps/v-app/volumes/" + first + "/extend", "{\"size_gb\":1}").status());
        Answer grown = api.put("/v1/apps/v-app/volumes/" + first + "/extend", "{\"size_gb\":4}");
        assertEquals(4, grown.body().path("volume").path("size_gb").asInt());
        assertEquals(4, api.get("/v1/apps/v-app/volumes/" + first).body().path("size_gb").asInt());

        Answer deleted = api.delete("/v1/apps/v-app/volumes/" + second);
        assertEquals(200, deleted.status());
        assertEquals("destroyed", deleted.text("state"));
        assertEquals(404, api.delete("/v1/apps/v-app/volumes/" + second).status());
        List<String> states = new ArrayList<>();
        api.get("/v1/apps/v-app/volumes").body().forEach(v -> states.add(v.path("state").asText()));
        assertEquals(List.of("created", "pending_destroy"), states, "Fly lists volumes on their way out");
    }

    @Test
    @DisplayName("§10.7 volumes: a mounted volume is attached, and must be in the machine's region")
    void mountsAttachVolumes() {
        api.createApp("mv-app");
        String vol = api.post("/v1/apps/mv-app/volumes", "{\"name\":\"data\",\"region\":\"ams\"}").text("id");
        Answer wrongRegion = api.post("/v1/apps/mv-app/machines",
                "{\"region\":\"iad\",\"config\":{\"image\":\"nginx\",\"mounts\":[{\"volume\":\"" + vol + "\",\"path\":\"/d\"}]}}");
        assertEquals(400, wrongRegion.status());
        String id = machine("mv-app", "{\"region\":\"ams\",\"config\":{\"image\":\"nginx\",\"mounts\":[{\"volume\":\"" + vol + "\",\"path\":\"/d\"}]}}");

        assertEquals(id, api.get("/v1/apps/mv-app/volumes/" + vol).text("attached_machine_id"));
        assertEquals(412, api.delete("/v1/apps/mv-app/volumes/" + vol).status());
        api.delete("/v1/apps/mv-app/machines/" + id + "?force=true");
        assertEquals(id, api.get("/v1/apps/mv-app/volumes/" + vol).text("attached_machine_id"), "attached while destroying");
        awaitDestroyed("mv-app", id);
        assertFalse(api.get("/v1/apps/mv-app/volumes/" + vol).body().has("attached_machine_id"));
    }

    @Test
    @DisplayName("§10.8 IPs: REST and GraphQL share one store; every allocation is new except shared_v4")
    void ipsShareOneStore() {
        api.createApp("ip-app");
        api.post("/v1/apps/ip-app/ip_assignments", "{\"type\":\"v6\"}");
        api.post("/v1/apps/ip-app/ip_assignments", "{\"type\":\"v6\"}");
        Answer shared1 = api.post("/v1/apps/ip-app/ip_assignments", "{\"type\":\"shared_v4\"}");
        Answer gql = api.graphql("mutation($input: AllocateIPAddressInput!) { allocateIpAddress(input: $input) "
                + "{ ipAddress { address } app { sharedIpAddress } } }", "{\"input\":{\"appId\":\"ip-app\",\"type\":\"shared_v4\"}}");

        JsonNode payload = gql.body().path("data").path("allocateIpAddress");
        assertTrue(payload.path("ipAddress").isNull(), "shared_v4 answers no IPAddress node");
        assertEquals(shared1.text("ip"), payload.path("app").path("sharedIpAddress").asText());
        assertEquals(3, fly.ips("ip-app").size(), "two v6 and one shared v4");

        JsonNode listed = api.graphql("query { app(name: \"ip-app\") { ipAddresses { nodes { address type } } sharedIpAddress } }", null)
                .body().path("data").path("app");
        assertEquals(2, listed.path("ipAddresses").path("nodes").size(), "the shared address is not a node");
        String v6 = listed.path("ipAddresses").path("nodes").get(0).path("address").asText();
        api.graphql("mutation($input: ReleaseIPAddressInput!) { releaseIpAddress(input: $input) { clientMutationId } }",
                "{\"input\":{\"appId\":\"ip-app\",\"ip\":\"" + v6 + "\"}}");
        assertEquals(2, api.get("/v1/apps/ip-app/ip_assignments").body().path("ips").size());
        assertEquals(204, api.delete("/v1/apps/ip-app/ip_assignments/" + shared1.text("ip")).status());
        assertEquals(1, fly.ips("ip-app").size());
    }

    @Test
    @DisplayName("§10.9 certificates: REST and GraphQL shapes over one store; a duplicate hostname is 422")
    void certificates() {
        api.createApp("c-app");
        api.post("/v1/apps/c-app/ip_assignments", "{\"type\":\"shared_v4\"}");
        Answer added = api.post("/v1/apps/c-app/certificates/acme", "{\"hostname\":\"www.example.com\"}");
        assertEquals(201, added.status());
        assertEquals("pending_validation", added.text("status"));
        assertEquals("_acme-challenge.www.example.com",
                added.body().path("dns_requirements").path("acme_challenge").path("name").asText());
        assertEquals(1, added.body().path("dns_requirements").path("a").size());
        assertEquals("c-app.fly.dev", added.body().path("dns_requirements").path("cname").asText());

        Answer again = api.post("/v1/apps/c-app/certificates/acme", "{\"hostname\":\"www.example.com\"}");
        assertEquals(422, again.status());
        Answer viaGraphql = api.graphql("mutation { addCertificate(appId: \"c-app\", hostname: \"api.example.com\") "
                + "{ certificate { hostname dnsValidationTarget } } }", null);
        assertTrue(viaGraphql.body().path("data").path("addCertificate").path("certificate").path("dnsValidationTarget")
                .asText().endsWith(".flydns.net"));
        assertEquals(2, api.get("/v1/apps/c-app/certificates").body().path("total_count").asInt());
        assertEquals(1, api.get("/v1/apps/c-app/certificates?filter=api").body().path("total_count").asInt());
        assertEquals(2, inventory("c-app").path("certificates").size());
        assertEquals(204, api.delete("/v1/apps/c-app/certificates/www.example.com").status());
        assertEquals(404, api.get("/v1/apps/c-app/certificates/www.example.com").status());
    }

    @Test
    @DisplayName("§10.10 secrets: values are never returned; every change bumps the version")
    void secrets() {
        api.createApp("s-app");
        Answer set = api.post("/v1/apps/s-app/secrets/DATABASE_URL", "{\"value\":\"postgres://secret-value\"}");
        assertEquals(201, set.status());
        long v1 = set.body().path("version").asLong();
        long v2 = api.post("/v1/apps/s-app/secrets/DATABASE_URL", "{\"value\":\"postgres://secret-value\"}").body().path("version").asLong();
        assertTrue(v2 > v1, "setting the same value again still bumps the version");

        for (String path : List.of("/v1/apps/s-app/secrets?show_secrets=true", "/v1/apps/s-app/secrets/DATABASE_URL?show_secrets=true")) {
            Answer a = api.get(path);
            assertFalse(a.raw().body().contains("secret-value"), path);
            assertFalse(a.raw().body().contains("\"value\""), path);
        }
        Answer gql = api.graphql("query { app(name: \"s-app\") { secrets { name digest } } }", null);
        assertFalse(gql.raw().body().contains("secret-value"));
        assertFalse(fly.inventory().toString().contains("secret-value"));

        Answer bulk = api.post("/v1/apps/s-app/secrets", "{\"values\":{\"A\":\"1\",\"DATABASE_URL\":null}}");
        assertEquals(List.of("A"), List.of(bulk.body().path("secrets").get(0).path("name").asText()));
        assertTrue(bulk.body().path("version").asLong() > v2);
        assertEquals(404, api.delete("/v1/apps/s-app/secrets/DATABASE_URL").status());
    }

    @Test
    @DisplayName("§10.11 faults after commit: the change is made, and the answer is a 503 or never comes")
    void faultsAfterCommit() {
        fly.faults(FaultSettings.NONE.failingAfterCommit(1L));
        Answer failed = api.createApp("committed-anyway");
        assertEquals(503, failed.status());
        assertTrue(fly.app("committed-anyway").isPresent(), "the app exists although the answer was 503");

        fly.faults(FaultSettings.NONE.droppingAfterCommit(1L));
        try {
            api.createApp("dropped-answer");
            throw new AssertionError("the connection should have been dropped");
        } catch (java.io.UncheckedIOException expected) {
            // no answer at all
        }
        assertTrue(fly.app("dropped-answer").isPresent());
        Call last = fly.calls().get(fly.calls().size() - 1);
        assertEquals(0, last.status());
        assertTrue(last.mutating());
    }

    @Test
    @DisplayName("§10.12 rate limits: Fly's documented buckets, 429 with a JSON error and Retry-After")
    void rateLimits() {
        api.createApp("r-app");
        api.createApp("r-other");
        fly.faults(FaultSettings.NONE.withRateLimits(true));
        fly.rateClock(() -> 42L);   // time stands still: only the burst counts
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            statuses.add(api.post("/v1/apps/r-app/ip_assignments", "{\"type\":\"v6\"}").status());
        }
        assertEquals(List.of(200, 200, 200, 429), statuses, "1/s with bursts of 3");
        assertEquals(3, fly.ips("r-app").size(), "the refused call made nothing");
        Answer limited = api.post("/v1/apps/r-app/ip_assignments", "{\"type\":\"v6\"}");
        assertEquals("1", limited.raw().headers().firstValue("retry-after").orElse(""));
        assertTrue(limited.body().has("error"));

        String id = machine("r-app", "{\"region\":\"iad\",\"config\":{\"image\":\"nginx\"}}");
        int ok = 0;
        for (int i = 0; i < 12; i++) {
            if (api.get("/v1/apps/r-app/machines/" + id).status() == 200) {
                ok++;
            }
        }
        assertEquals(10, ok, "Get Machine bursts to 10");

        // Scoped per app, not per object: four secrets of one app share a bucket, and the same
        // names in another app have their own.
        for (String app : List.of("r-app", "r-other")) {
            List<Integer> secrets = new ArrayList<>();
            for (String name : List.of("ONE", "TWO", "THREE", "FOUR")) {
                secrets.add(api.post("/v1/apps/" + app + "/secrets/" + name, "{\"value\":\"v\"}").status());
            }
            assertEquals(List.of(201, 201, 201, 429), secrets, app);
        }
    }
}
