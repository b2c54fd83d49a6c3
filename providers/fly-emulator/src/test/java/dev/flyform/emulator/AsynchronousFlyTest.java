package dev.flyform.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flyform.emulator.EmulatorClient.Answer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What makes the emulated Fly as unkind as Fly: machines that settle later, apps that linger
 * after their deletion, and the faults Fly shows only sometimes (lists with items missing,
 * partial GraphQL answers, 401 for a new app, idle connections closed, another client's lease).
 */
class AsynchronousFlyTest {

    private final FlyEmulator fly = FlyEmulator.start(0);
    private final EmulatorClient api = new EmulatorClient(fly);

    @AfterEach
    void stop() {
        fly.close();
    }

    private String machine(String app, String image) {
        Answer a = api.post("/v1/apps/" + app + "/machines", "{\"region\":\"iad\",\"config\":{\"image\":\"" + image + "\"}}");
        assertEquals(200, a.status(), a.body().toString());
        return a.text("id");
    }

    @Test
    @DisplayName("a new machine answers created, passes through starting, and is started a moment later")
    void machinesStartAsynchronously() {
        api.createApp("async");
        Answer created = api.post("/v1/apps/async/machines", "{\"region\":\"iad\",\"config\":{\"image\":\"nginx\"}}");
        String id = created.text("id");
        String base = "/v1/apps/async/machines/" + id;

        assertEquals("created", created.text("state"));
        List<String> seen = new ArrayList<>();
        long deadline = System.currentTimeMillis() + 5_000;
        while (!seen.contains("started") && System.currentTimeMillis() < deadline) {
            String state = api.get(base).text("state");
            if (seen.isEmpty() || !seen.get(seen.size() - 1).equals(state)) {
                seen.add(state);
            }
        }
        assertEquals(List.of("created", "starting", "started"), seen);
    }

    @Test
    @DisplayName("wait takes every state of the spec (settled and failed too), several at once, and a version")
    void waitTakesSettledFailedListsAndVersions() {
        api.createApp("waits");
        String id = machine("waits", "nginx");
        String base = "/v1/apps/waits/machines/" + id + "/wait";

        Answer settled = api.get(base + "?state=settled&timeout=5");
        assertEquals(200, settled.status());
        assertEquals("started", settled.text("state"));
        String version = api.get("/v1/apps/waits/machines/" + id).text("instance_id");
        assertEquals(200, api.get(base + "?state=stopped,started&version=" + version + "&timeout=5").status());
        assertEquals(200, api.get(base + "?state=suspended&state=started&timeout=5").status());
        assertEquals(408, api.get(base + "?state=started&version=01NOTTHISVERSION0000000000&timeout=1").status(),
                "a version that is not the machine's never matches");
        assertEquals(400, api.get(base + "?state=running").status());

        Answer updated = api.post("/v1/apps/waits/machines/" + id, "{\"config\":{\"image\":\"nginx:2\"}}");
        assertEquals("replacing", updated.text("state"), "an update settles later");
        assertNotEquals(version, updated.text("instance_id"));
        assertEquals(200, api.get(base + "?state=settled&version=" + updated.text("instance_id") + "&timeout=5").status());
        assertEquals("started", api.get("/v1/apps/waits/machines/" + id).text("state"));
    }

    @Test
    @DisplayName("a machine whose image fails ends failed, which wait reports")
    void failingImagesFail() {
        fly.faults(FaultSettings.NONE.toBuilder().failingImages(Set.of("broken:1")).build());
        api.createApp("fails");
        String id = machine("fails", "broken:1");

        Answer settled = api.get("/v1/apps/fails/machines/" + id + "/wait?state=settled&timeout=5");
        assertEquals("failed", settled.text("state"));
        assertEquals(408, api.get("/v1/apps/fails/machines/" + id + "/wait?state=started&timeout=1").status());
    }

    @Test
    @DisplayName("an update carrying a current_version that is no longer the machine's is refused")
    void staleVersionsAreRefused() {
        api.createApp("versions");
        String id = machine("versions", "nginx");
        String version = api.get("/v1/apps/versions/machines/" + id).text("instance_id");
        api.post("/v1/apps/versions/machines/" + id, "{\"config\":{\"image\":\"nginx:2\"}}");

        Answer stale = api.post("/v1/apps/versions/machines/" + id,
                "{\"current_version\":\"" + version + "\",\"config\":{\"image\":\"nginx:3\"}}");

        assertEquals(412, stale.status());
        assertEquals("nginx:2", api.get("/v1/apps/versions/machines/" + id).body().path("config").path("image").asText());
    }

    @Test
    @DisplayName("with list omissions, lists leave items out at random while direct reads still find them")
    void listsLeaveItemsOut() {
        api.createApp("lossy");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            ids.add(machine("lossy", "nginx"));
        }
        fly.faults(FaultSettings.NONE.toBuilder().seed(3).listOmissionRate(0.5).build());

        int listed = api.get("/v1/apps/lossy/machines").body().size();
        JsonNode graphql = api.graphql("query($n: String) { app(name: $n) { machines { nodes { id } } } }",
                "{\"n\":\"lossy\"}").body();

        assertTrue(listed > 0 && listed < 10, "listed " + listed + " of 10");
        int nodes = graphql.path("data").path("app").path("machines").path("nodes").size();
        assertTrue(nodes < 10, "GraphQL listed " + nodes + " of 10");
        for (String id : ids) {
            assertEquals(200, api.get("/v1/apps/lossy/machines/" + id).status());
        }
    }

    @Test
    @DisplayName("a partial GraphQL answer nulls the app beside an error whose path points into it")
    void partialGraphqlAnswers() {
        api.createApp("partial");
        api.createApp("whole");
        fly.faults(FaultSettings.NONE.toBuilder().partialGraphqlApps(Set.of("partial")).build());

        JsonNode answer = api.graphql("query($a: String, $b: String) { a0: app(name: $a) { name machines { nodes { id } } } "
                + "a1: app(name: $b) { name machines { nodes { id } } } }", "{\"a\":\"partial\",\"b\":\"whole\"}").body();

        assertTrue(answer.path("data").path("a0").isNull());
        assertEquals("whole", answer.path("data").path("a1").path("name").asText());
        JsonNode error = answer.path("errors").get(0);
        assertEquals("a0", error.path("path").get(0).asText());
        assertEquals("machines", error.path("path").get(1).asText());
        assertEquals(200, api.get("/v1/apps/partial").status(), "REST still reads it");
    }

    @Test
    @DisplayName("a new app can answer 401 for a moment after its create")
    void unauthorizedRightAfterCreate() throws InterruptedException {
        fly.faults(FaultSettings.NONE.toBuilder().unauthorizedAfterCreateMs(300).build());

        assertEquals(201, api.createApp("fresh").status());
        assertEquals(401, api.get("/v1/apps/fresh").status());
        Thread.sleep(350);
        assertEquals(200, api.get("/v1/apps/fresh").status());
    }

    @Test
    @DisplayName("a request sent on a connection the server closed while idle is never seen and gets no answer")
    void idleConnectionsAreClosed() throws Exception {
        api.createApp("idle");
        fly.faults(FaultSettings.NONE.toBuilder().idleCloseMs(200).build());
        String request = "POST /v1/apps/idle/ip_assignments HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: "
                + EmulatorClient.MINE + "\r\nContent-Type: application/json\r\nContent-Length: 15\r\n\r\n{\"type\":\"v6\"}  ";

        try (Socket socket = new Socket("127.0.0.1", fly.port())) {
            socket.setSoTimeout(5_000);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            out.write(request.getBytes(StandardCharsets.UTF_8));
            out.flush();
            String first = readResponse(in);
            assertTrue(first.startsWith("HTTP/1.1 200"), first);
            Thread.sleep(400);
            out.write(request.getBytes(StandardCharsets.UTF_8));
            out.flush();
            assertNull(readResponse(in), "the connection ends with no answer");
        }
        assertEquals(1, fly.ips("idle").size(), "the second request made nothing");
    }

    /** One response with a Content-Length body, or null when the connection ended first. */
    private static String readResponse(InputStream in) throws Exception {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1) {
            head.write(b);
            if (head.toString(StandardCharsets.UTF_8).endsWith("\r\n\r\n")) {
                break;
            }
        }
        if (b == -1) {
            return null;
        }
        String text = head.toString(StandardCharsets.UTF_8);
        int length = 0;
        for (String line : text.split("\r\n")) {
            if (line.toLowerCase().startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(15).strip());
            }
        }
        return text + new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }

    @Test
    @DisplayName("with foreign leases on, the first change to a machine meets another client's lease until it expires")
    void anotherClientHoldsTheLease() throws InterruptedException {
        api.createApp("contested");
        String id = machine("contested", "nginx");
        assertEquals(200, api.get("/v1/apps/contested/machines/" + id + "/wait?state=started&timeout=5").status());
        fly.faults(FaultSettings.NONE.toBuilder().foreignLeaseSeconds(1).build());

        Answer refused = api.post("/v1/apps/contested/machines/" + id + "/lease", "{\"ttl\":30}");

        assertEquals(409, refused.status());
        assertTrue(refused.text("error").contains("lease currently held by deploy@flyctl.example"));
        assertEquals("deploy@flyctl.example", api.get("/v1/apps/contested/machines/" + id + "/lease").body()
                .path("data").path("owner").asText());
        Thread.sleep(2_100);
        assertEquals(201, api.post("/v1/apps/contested/machines/" + id + "/lease", "{\"ttl\":30}").status());
    }
}
