package dev.flyform.provider.fly;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ApiLogTest {

    @Test
    void aBodyIsWrittenWithEverySecretLookingValueHidden() {
        String rest = ApiLog.redacted("{\"value\":\"s3cret-1\",\"name\":\"DATABASE_URL\"}");
        String graphql = ApiLog.redacted("{\"query\":\"mutation\",\"variables\":{\"input\":{\"appId\":\"web\","
                + "\"secrets\":[{\"key\":\"A\",\"value\":\"s3cret-2\"}]}}}");
        String files = ApiLog.redacted("{\"config\":{\"files\":[{\"guest_path\":\"/x\",\"raw_value\":\"s3cret-3\"}],\"image\":\"i\"}}");

        assertEquals("{\"value\":\"(redacted)\",\"name\":\"DATABASE_URL\"}", rest);
        assertFalse(graphql.contains("s3cret-2"));
        assertTrue(graphql.contains("\"appId\":\"web\""));
        assertFalse(files.contains("s3cret-3"));
        assertTrue(files.contains("\"guest_path\":\"/x\""));
        assertEquals("(14 characters, not JSON: not shown)", ApiLog.redacted("token=s3cret-4"));
    }

    @Test
    void infoTellsChangesAndFailuresButNotReadsOrNotFound() {
        StringWriter text = new StringWriter();
        ApiLog log = new ApiLog(ApiLog.Level.INFO, new PrintWriter(text));
        log.exchange("GET", "/v1/apps/a", 200, "r1", 3, null, null);
        log.exchange("GET", "/v1/apps/b", 404, "r2", 3, null, null);
        log.exchange("POST", "/v1/apps", 201, "r3", 5, "{\"value\":\"x\"}", null);
        log.exchange("GET", "/v1/apps/c", 503, "r4", 7, null, null);

        String out = text.toString();
        assertFalse(out.contains("/v1/apps/a"));
        assertFalse(out.contains("/v1/apps/b"));
        assertTrue(out.contains("info: POST /v1/apps -> 201 in 5 ms (fly-request-id r3)"));
        assertTrue(out.contains("warn: GET /v1/apps/c -> 503"));
        assertFalse(out.contains("sent:"));
    }

    @Test
    void aLevelItDoesNotKnowIsRefusedNamingTheVariable() {
        assertEquals(ApiLog.Level.OFF, ApiLog.level(null));
        assertEquals(ApiLog.Level.TRACE, ApiLog.level("Trace"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ApiLog.level("loud"));
        assertEquals("FLYFORM_LOG=loud: give info, debug or trace", e.getMessage());
    }
}
