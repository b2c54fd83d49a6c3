package dev.flyform.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flyform.emulator.EmulatorClient.Answer;
import dev.flyform.emulator.contract.FlyContract;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The GraphQL operations flyform sends, each answered from the store REST uses. */
class GraphqlApiTest {

    private final FlyEmulator fly = FlyEmulator.start(0);
    private final FlyContract contract = FlyContract.attachTo(fly);
    private final EmulatorClient api = new EmulatorClient(fly);

    @AfterEach
    void stop() {
        fly.close();
        contract.assertClean();
    }

    private JsonNode data(Answer a) {
        assertEquals(200, a.status());
        assertFalse(a.body().has("errors"), a.body().toString());
        return a.body().path("data");
    }

    @Test
    void organizationBySlugIsOnlyTheCallersOwn() {
        JsonNode mine = data(api.graphql("query($slug: String!) { organization(slug: $slug) { slug name type } }",
                "{\"slug\":\"personal\"}"));
        JsonNode other = data(api.graphql("query($slug: String!) { organization(slug: $slug) { slug } }",
                "{\"slug\":\"other-org\"}"));

        assertEquals("personal", mine.path("organization").path("slug").asText());
        assertTrue(other.path("organization").isNull());
    }

    @Test
    void setAndUnsetSecretsBumpTheReleaseVersionAndNeverEchoValues() {
        api.createApp("gs-app");
        Answer set = api.graphql("mutation($input: SetSecretsInput!) { setSecrets(input: $input) { release { version } } }",
                "{\"input\":{\"appId\":\"gs-app\",\"secrets\":[{\"key\":\"TOKEN\",\"value\":\"very-secret\"},"
                        + "{\"key\":\"OTHER\",\"value\":\"x\"}]}}");
        int v1 = data(set).path("setSecrets").path("release").path("version").asInt();
        Answer unset = api.graphql("mutation($input: UnsetSecretsInput!) { unsetSecrets(input: $input) { release { version } } }",
                "{\"input\":{\"appId\":\"gs-app\",\"keys\":[\"OTHER\"]}}");

        assertTrue(data(unset).path("unsetSecrets").path("release").path("version").asInt() > v1);
        JsonNode rest = api.get("/v1/apps/gs-app/secrets").body().path("secrets");
        assertEquals(1, rest.size());
        assertEquals("TOKEN", rest.get(0).path("name").asText());
        assertFalse(set.raw().body().contains("very-secret"));
    }

    @Test
    void certificatesAddedAndDeletedOverGraphqlAreSeenOverRest() {
        api.createApp("gc-app");
        data(api.graphql("mutation { addCertificate(appId: \"gc-app\", hostname: \"www.example.org\") { certificate { hostname } } }", null));
        JsonNode one = data(api.graphql("query { app(name: \"gc-app\") { certificate(hostname: \"www.example.org\") "
                + "{ hostname dnsValidationHostname isWildcard } } }", null));

        assertEquals("_acme-challenge.www.example.org", one.path("app").path("certificate").path("dnsValidationHostname").asText());
        assertEquals(200, api.get("/v1/apps/gc-app/certificates/www.example.org").status());
        data(api.graphql("mutation { deleteCertificate(appId: \"gc-app\", hostname: \"www.example.org\") { certificate { hostname } } }", null));
        assertEquals(404, api.get("/v1/apps/gc-app/certificates/www.example.org").status());
    }

    @Test
    void anotherOrganizationsAppIsAnErrorLikeRests403() {
        api.as(EmulatorClient.THEIRS).post("/v1/apps", "{\"name\":\"theirs\",\"org_slug\":\"other-org\"}");

        Answer a = api.graphql("query { app(name: \"theirs\") { name } }", null);
        Answer missing = api.graphql("query { app(name: \"nobody\") { name } }", null);

        assertEquals("You are not authorized to access this app", a.body().path("errors").get(0).path("message").asText());
        assertTrue(missing.body().path("errors").get(0).path("message").asText().contains("Could not find App"));
        assertTrue(a.body().path("data").path("app").isNull());
    }

    @Test
    void mutationsAreLoggedAsMutatingWithTheirOperationName() {
        api.createApp("log-app");
        api.graphql("query Look { app(name: \"log-app\") { name } }", null);
        api.graphql("mutation Allocate { allocateIpAddress(input: {appId: \"log-app\", type: v6}) { ipAddress { address } } }", null);

        var calls = fly.calls();
        Call look = calls.get(calls.size() - 2);
        Call allocate = calls.get(calls.size() - 1);
        assertEquals("Look", look.operation());
        assertFalse(look.mutating());
        assertEquals("Allocate", allocate.operation());
        assertTrue(allocate.mutating());
        assertEquals(1, fly.ips("log-app").size());
    }
}
