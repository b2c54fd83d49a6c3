package dev.flyform.emulator;

import dev.flyform.emulator.EmulatorClient.Answer;
import dev.flyform.emulator.contract.FlyContract;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Drives every endpoint the emulator serves, and checks each request and answer against Fly's
 * own OpenAPI document and GraphQL schema.
 */
class ContractTest {

    private final FlyEmulator fly = FlyEmulator.start(0);
    private final FlyContract contract = FlyContract.attachTo(fly);
    private final EmulatorClient api = new EmulatorClient(fly);

    @AfterEach
    void stop() {
        fly.close();
    }

    @Test
    void everyRestEndpointAnswersAsFlysSpecSays() {
        api.createApp("contract-app");
        api.createApp("contract-app");                         // 422 name_taken
        api.get("/v1/apps/contract-app");
        api.get("/v1/apps?org_slug=personal");

        Answer vol = api.post("/v1/apps/contract-app/volumes", "{\"name\":\"data\",\"region\":\"iad\",\"size_gb\":1}");
        String volId = vol.text("id");
        api.get("/v1/apps/contract-app/volumes");
        api.get("/v1/apps/contract-app/volumes/" + volId);
        api.put("/v1/apps/contract-app/volumes/" + volId, "{\"snapshot_retention\":7}");
        api.put("/v1/apps/contract-app/volumes/" + volId + "/extend", "{\"size_gb\":2}");

        Answer m = api.post("/v1/apps/contract-app/machines", """
                {"name":"web-1","region":"iad","config":{"image":"flyio/hellofly:latest","env":{"PORT":"8080"},
                 "guest":{"cpu_kind":"shared","cpus":1,"memory_mb":256},"metadata":{"owner":"flyform"},
                 "services":[{"protocol":"tcp","internal_port":8080,"ports":[{"port":443,"handlers":["tls","http"]}]}],
                 "mounts":[{"volume":"%s","path":"/data"}]}}""".formatted(volId));
        String id = m.text("id");
        api.get("/v1/apps/contract-app/machines");
        api.get("/v1/apps/contract-app/machines?region=iad&metadata.owner=flyform");
        api.get("/v1/apps/contract-app/machines/" + id);
        api.post("/v1/apps/contract-app/machines/" + id, "{\"config\":{\"image\":\"flyio/hellofly:v2\"}}");
        api.get("/v1/apps/contract-app/machines/" + id + "/wait?state=started&timeout=5");
        api.post("/v1/apps/contract-app/machines/" + id + "/metadata/role", "{\"value\":\"web\"}");
        api.get("/v1/apps/contract-app/machines/" + id + "/metadata");
        api.delete("/v1/apps/contract-app/machines/" + id + "/metadata/role");
        Answer lease = api.post("/v1/apps/contract-app/machines/" + id + "/lease", "{\"ttl\":30}");
        String nonce = lease.body().path("data").path("nonce").asText();
        api.get("/v1/apps/contract-app/machines/" + id + "/lease");
        api.send("DELETE", "/v1/apps/contract-app/machines/" + id + "/lease", null, nonce);
        api.post("/v1/apps/contract-app/machines/" + id + "/stop", "{}");
        api.post("/v1/apps/contract-app/machines/" + id + "/start", null);
        api.delete("/v1/apps/contract-app/machines/" + id + "?force=true");

        api.post("/v1/apps/contract-app/ip_assignments", "{\"type\":\"v6\"}");
        api.post("/v1/apps/contract-app/ip_assignments", "{\"type\":\"shared_v4\"}");
        Answer ips = api.get("/v1/apps/contract-app/ip_assignments");
        api.delete("/v1/apps/contract-app/ip_assignments/" + ips.body().path("ips").get(0).path("ip").asText());

        api.post("/v1/apps/contract-app/certificates/acme", "{\"hostname\":\"www.example.com\"}");
        api.post("/v1/apps/contract-app/certificates/acme", "{\"hostname\":\"www.example.com\"}");   // 422
        api.get("/v1/apps/contract-app/certificates");
        api.get("/v1/apps/contract-app/certificates/www.example.com");
        api.post("/v1/apps/contract-app/certificates/www.example.com/check", null);
        api.delete("/v1/apps/contract-app/certificates/www.example.com");

        api.post("/v1/apps/contract-app/secrets/DATABASE_URL", "{\"value\":\"postgres://x\"}");
        api.post("/v1/apps/contract-app/secrets", "{\"values\":{\"A\":\"1\",\"B\":\"2\"}}");
        api.get("/v1/apps/contract-app/secrets");
        api.get("/v1/apps/contract-app/secrets/A");
        api.delete("/v1/apps/contract-app/secrets/A");

        api.delete("/v1/apps/contract-app/volumes/" + volId);
        api.delete("/v1/apps/contract-app");
        api.get("/v1/apps/contract-app");                      // 404

        assertTrue(contract.checked() >= 40, "checked " + contract.checked());
        contract.assertClean();
    }

    /**
     * The emulator answers these documents on Fly's schema. The documents the provider itself
     * sends are checked where they are made: providers/fly GraphqlDocumentsContractTest.
     */
    @Test
    void theGraphqlFieldsTheEmulatorServesAnswerOnFlysSchema() {
        api.createApp("gql-app");
        api.graphql("query($slug: String!) { organization(slug: $slug) { id internalNumericId slug rawSlug name type billable } }",
                "{\"slug\":\"personal\"}");
        api.graphql("""
                mutation($input: AllocateIPAddressInput!) {
                  allocateIpAddress(input: $input) { ipAddress { id address type region createdAt } app { sharedIpAddress } }
                }""", "{\"input\":{\"appId\":\"gql-app\",\"type\":\"v6\"}}");
        api.graphql("""
                query($appName: String!) { app(name: $appName) {
                  ipAddresses { nodes { id address type region createdAt serviceName network { name } } totalCount }
                  sharedIpAddress certificates { nodes { hostname clientStatus createdAt } totalCount }
                  certificate(hostname: "www.example.com") { hostname }
                  secrets { name digest createdAt } } }""", "{\"appName\":\"gql-app\"}");

        assertTrue(contract.checked() >= 4);
        contract.assertClean();
    }

    @Test
    void aDocumentFlysSchemaRejectsIsAViolation() {
        api.createApp("gql-app");
        api.graphql("query { app(name: \"gql-app\") { noSuchField } }", null);

        assertEquals(1, contract.violations().size(), contract.violations().toString());
        assertTrue(contract.violations().get(0).contains("noSuchField"));
    }

    @Test
    void theSpecCopiesAreByteForByteThoseInShared() throws Exception {
        assertEquals("a270ca987ef12860314a39754d78191e5827f9e91e79585ce07b3c2e663ecda4",
                sha256(ContractTest.class.getResourceAsStream("/fly-api-spec/machines-openapi.json")));
        assertEquals("2f1a1d0f2f8940277e5e14002c78cb4f6404b3ea1ce9d0999d4d3b65c52f9480",
                sha256(FlyEmulator.class.getResourceAsStream("fly-schema.graphql")));
        Path shared = Path.of("../../../shared/fly-api/spec/schema.graphql");
        if (Files.exists(shared)) {
            assertEquals(sha256(Files.newInputStream(shared)), sha256(FlyEmulator.class.getResourceAsStream("fly-schema.graphql")));
        }
    }

    private static String sha256(InputStream in) throws Exception {
        try (in) {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(in.readAllBytes()));
        }
    }
}
