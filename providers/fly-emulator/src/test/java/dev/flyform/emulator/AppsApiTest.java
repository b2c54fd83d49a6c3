package dev.flyform.emulator;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The emulator's apps endpoints, spoken to with the JDK's own HTTP client (no flyform code). */
class AppsApiTest {

    private final FlyEmulator fly = FlyEmulator.start(0);
    private final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void stop() {
        fly.close();
    }

    private HttpResponse<String> send(String method, String path, String token, String body) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(fly.baseUrl() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("Authorization", token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static final String MINE = "FlyV1 " + FlyEmulator.PERSONAL_TOKEN;
    private static final String THEIRS = "Bearer " + FlyEmulator.OTHER_TOKEN;

    @Test
    @DisplayName("§10.2 Bearer or FlyV1; 401 with a JSON error otherwise")
    void withoutAKnownTokenEveryCallIs401WithAJsonErrorAndARequestId() throws Exception {
        for (String token : new String[] {null, "Bearer nope", "Basic abc"}) {
            HttpResponse<String> r = send("GET", "/v1/apps/x", token, null);
            assertEquals(401, r.statusCode());
            assertTrue(r.body().startsWith("{\"error\""), r.body());
            assertTrue(r.headers().firstValue("fly-request-id").isPresent());
        }
    }

    @Test
    @DisplayName("§10.3 one global name space: 422 name_taken, 403 for another organization's app, 404 when absent")
    void appNamesAreGlobalAcrossOrganizations() throws Exception {
        assertEquals(201, send("POST", "/v1/apps", THEIRS, "{\"app_name\":\"shared\",\"org_slug\":\"other-org\"}").statusCode());

        HttpResponse<String> again = send("POST", "/v1/apps", MINE, "{\"name\":\"shared\",\"org_slug\":\"personal\"}");
        assertEquals(422, again.statusCode());
        assertTrue(again.body().contains("\"status\":\"name_taken\""), again.body());
        assertTrue(again.body().contains("Name has already been taken"), again.body());

        assertEquals(403, send("GET", "/v1/apps/shared", MINE, null).statusCode());
        assertEquals(403, send("DELETE", "/v1/apps/shared", MINE, null).statusCode());
        assertEquals(200, send("GET", "/v1/apps/shared", THEIRS, null).statusCode());
        assertEquals(404, send("GET", "/v1/apps/nobody-has-this", MINE, null).statusCode());
    }

    @Test
    @DisplayName("§10.4 create accepts app_name or name and answers 201")
    void createAcceptsAppNameOrNameAndGetShowsTheOrganization() throws Exception {
        HttpResponse<String> created = send("POST", "/v1/apps", MINE, "{\"app_name\":\"one\",\"org_slug\":\"personal\"}");
        assertEquals(201, created.statusCode());
        assertTrue(created.body().contains("\"created_at\""), created.body());
        assertEquals(201, send("POST", "/v1/apps", MINE, "{\"name\":\"two\",\"org_slug\":\"personal\"}").statusCode());

        HttpResponse<String> one = send("GET", "/v1/apps/one", MINE, null);
        assertEquals(200, one.statusCode());
        assertTrue(one.body().contains("\"slug\":\"personal\""), one.body());
        assertEquals(List.of("one", "two"), fly.apps().stream().map(EmulatedApp::name).toList());
    }

    @Test
    @DisplayName("§10.3 names are [a-z0-9-], at most 63 characters")
    void invalidNamesAndForeignOrganizationsAreRefused() throws Exception {
        for (String name : new String[] {"Upper", "under_score", "-lead", "trail-", "a".repeat(64)}) {
            HttpResponse<String> r = send("POST", "/v1/apps", MINE, "{\"app_name\":\"" + name + "\",\"org_slug\":\"personal\"}");
            assertEquals(422, r.statusCode(), name);
        }
        assertEquals(404, send("POST", "/v1/apps", MINE, "{\"app_name\":\"ok\",\"org_slug\":\"other-org\"}").statusCode());
        assertEquals(400, send("POST", "/v1/apps", MINE, "not json").statusCode());
        assertTrue(fly.apps().isEmpty());
    }

    @Test
    void deleteAnswers202AndTheAppLingersWithItsNameUntilItIsGone() throws Exception {
        send("POST", "/v1/apps", MINE, "{\"app_name\":\"doomed\",\"org_slug\":\"personal\"}");

        HttpResponse<String> deleted = send("DELETE", "/v1/apps/doomed", MINE, null);

        assertEquals(202, deleted.statusCode());
        assertEquals(200, send("GET", "/v1/apps/doomed", MINE, null).statusCode(), "still there at first");
        HttpResponse<String> again = send("POST", "/v1/apps", MINE, "{\"app_name\":\"doomed\",\"org_slug\":\"personal\"}");
        assertEquals(422, again.statusCode(), "its name stays taken while it goes");
        assertTrue(again.body().contains("name_taken"));
        Thread.sleep(FaultSettings.DEFAULT_APP_DELETION_MS + 100);
        assertEquals(404, send("GET", "/v1/apps/doomed", MINE, null).statusCode());
        assertEquals(404, send("DELETE", "/v1/apps/doomed", MINE, null).statusCode());
    }

    @Test
    void listingShowsOnlyTheCallersOrganization() throws Exception {
        send("POST", "/v1/apps", MINE, "{\"app_name\":\"mine\",\"org_slug\":\"personal\"}");
        send("POST", "/v1/apps", THEIRS, "{\"app_name\":\"theirs\",\"org_slug\":\"other-org\"}");

        String body = send("GET", "/v1/apps?org_slug=personal", MINE, null).body();

        assertTrue(body.contains("\"mine\""), body);
        assertFalse(body.contains("\"theirs\""), body);
    }

    @Test
    void theCallLogRecordsEachCallAndWhetherItMutated() throws Exception {
        send("GET", "/v1/apps/a", MINE, null);
        send("POST", "/v1/apps", MINE, "{\"app_name\":\"a\",\"org_slug\":\"personal\"}");
        send("GET", "/_emulator/calls", null, null);

        List<Call> calls = fly.calls();

        assertEquals(List.of("GET /v1/apps/a 404 false", "POST /v1/apps 201 true"),
                calls.stream().map(c -> c.method() + " " + c.path() + " " + c.status() + " " + c.mutating()).toList());
        assertTrue(send("GET", "/_emulator/inventory", null, null).body().contains("\"a\""));
    }

    @Test
    void withADataDirectoryAppsAndTheCallLogSurviveARestart(@TempDir Path data) throws Exception {
        try (FlyEmulator first = FlyEmulator.start(0, data)) {
            http.send(HttpRequest.newBuilder(URI.create(first.baseUrl() + "/v1/apps")).header("Authorization", MINE)
                    .POST(HttpRequest.BodyPublishers.ofString("{\"app_name\":\"kept\",\"org_slug\":\"personal\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
        }
        try (FlyEmulator second = FlyEmulator.start(0, data)) {
            assertEquals(List.of("kept"), second.apps().stream().map(EmulatedApp::name).toList());
            assertEquals(1, second.calls().size());
            assertTrue(second.callsThisSession().isEmpty());
        }
        assertEquals(2, FlyEmulator.savedSession(data));
    }
}
