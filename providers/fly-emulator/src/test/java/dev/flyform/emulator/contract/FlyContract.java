package dev.flyform.emulator.contract;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.ValidationReport;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flyform.emulator.Exchange;
import dev.flyform.emulator.FlyEmulator;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Checks every exchange an emulator answers against what Fly wrote: REST requests and responses
 * against Fly's OpenAPI document ({@code machines-openapi.json}), GraphQL documents against
 * Fly's schema (the emulator executes them on it; a validation error there is a violation).
 * Known, documented differences are listed in {@link #DEVIATIONS}.
 */
public final class FlyContract implements Consumer<Exchange> {

    /** Kept short on purpose: each entry is a place where Fly's docs or clients overrule the spec. */
    public static final List<Deviation> DEVIATIONS = List.of(
            new Deviation("POST", "/v1/apps", "name_taken",
                    "Fly answers a taken app name with status name_taken; the spec's status enum lacks it",
                    "fly-api/README.md §1.4 and §3.2; superfly/fly-go flaps/flaps_error.go"),
            new Deviation("POST", "/v1/apps", "validation.response.body.unexpected",
                    "the docs show the create answer with a body ({id, created_at}); fly-go decodes it into App",
                    "fly-api/README.md §3.2 (create response)"),
            new Deviation("POST", "/v1/apps", "validation.response.status.unknown",
                    "422 for an invalid or taken name is documented; the spec lists only 201 and 400",
                    "fly-api/README.md §1.4, §3.2; superfly/docs machines/api/apps-resource"),
            new Deviation("*", "/v1/apps/.*", "validation.response.status.unknown",
                    "errors (401, 403, 404, 409, 412, 408, 422, 429, 5xx) are answered as Fly documents them; "
                            + "the spec declares few error statuses",
                    "fly-api/README.md §1.4, §6.4, §10"),
            new Deviation("*", "/v1/apps", "validation.response.status.unknown",
                    "errors as Fly documents them (401, 404 for an unknown organization)", "fly-api/README.md §1.4"),
            new Deviation("*", "/v1/apps/[^/]+/machines/[^/]+(/(start|stop|suspend|restart|cordon|uncordon|lease))?",
                    "validation.response.body.unexpected",
                    "Fly's docs show bodies for these answers ({\"ok\":true}, previous_state, the lease envelope) "
                            + "where the spec declares none", "fly-api/README.md §6.1, §6.4"),
            new Deviation("*", "/v1/apps/[^/]+/machines/[^/]+/lease", "[\"data\",\"status\"]",
                    "leases come in the documented envelope {status, data: {nonce, expires_at, ...}}, which fly-go "
                            + "decodes; the spec shows the lease flat", "fly-api/README.md §6.4; superfly/docs machines-resource"),
            new Deviation("POST", "/v1/apps/[^/]+/secrets", "Instance type (null)",
                    "a null value in a bulk update unsets that secret, as fly-go sends it; the spec types values as strings",
                    "fly-api/README.md §8.2; superfly/fly-go flaps/flaps_secrets.go"),
            new Deviation("GET", "/v1/apps/[^/]+", "[\"app_role\",\"cname_target\"]",
                    "the documented and fly-go app object carries cname_target and app_role; the spec's App lacks them",
                    "fly-api/README.md §3.2 (get response); superfly/fly-go flaps/flaps_apps.go"));

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final OpenApiInteractionValidator VALIDATOR = load();

    private final List<String> violations = new ArrayList<>();
    private int checked;

    private static OpenApiInteractionValidator load() {
        try (InputStream in = FlyContract.class.getResourceAsStream("/fly-api-spec/machines-openapi.json")) {
            if (in == null) {
                throw new IllegalStateException("fly-api-spec/machines-openapi.json is missing from the test resources");
            }
            ObjectNode spec = (ObjectNode) JSON.readTree(in);
            // The document gives PUT and PATCH .../metadata the same operationId, which the validator
            // refuses to load. Only the PATCH one is renamed, in memory; the file stays as Fly wrote it.
            JsonNode patch = spec.path("paths").path("/apps/{app_name}/machines/{machine_id}/metadata").path("patch");
            if (patch instanceof ObjectNode op && op.has("operationId")) {
                op.put("operationId", op.get("operationId").asText() + "_patch");
            }
            return OpenApiInteractionValidator.createForInlineApiSpecification(JSON.writeValueAsString(spec)).build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Checks everything {@code fly} answers from now on. */
    public static FlyContract attachTo(FlyEmulator fly) {
        FlyContract contract = new FlyContract();
        fly.observe(contract);
        return contract;
    }

    @Override
    public synchronized void accept(Exchange e) {
        if (e.status() == 0) {
            return;   // dropped on purpose by a fault: nothing was answered
        }
        checked++;
        if (e.path().equals("/graphql")) {
            checkGraphql(e);
            return;
        }
        ValidationReport report = VALIDATOR.validate(request(e), response(e));
        for (ValidationReport.Message m : report.getMessages()) {
            if (m.getLevel() != ValidationReport.Level.ERROR) {
                continue;
            }
            String path = URLDecoder.decode(e.path(), StandardCharsets.UTF_8);
            boolean known = DEVIATIONS.stream().anyMatch(d -> d.covers(e.method(), path, m.getKey(), m.getMessage()))
                    || allowedHere.stream().anyMatch(d -> d.covers(e.method(), path, m.getKey(), m.getMessage()));
            if (!known) {
                violations.add(e.method() + " " + e.path() + " -> " + e.status() + ": " + m.getKey() + ": " + m.getMessage());
            }
        }
    }

    private void checkGraphql(Exchange e) {
        try {
            JsonNode errors = JSON.readTree(e.responseBody()).path("errors");
            for (JsonNode error : errors) {
                String classification = error.path("extensions").path("classification").asText("");
                if (classification.equals("ValidationError") || classification.equals("InvalidSyntax")) {
                    violations.add("GraphQL document rejected by Fly's schema: " + error.path("message").asText()
                            + "\n  in: " + e.requestBody());
                }
            }
        } catch (IOException ex) {
            violations.add("GraphQL answer is not JSON: " + e.responseBody());
        }
    }

    private static SimpleRequest request(Exchange e) {
        SimpleRequest.Builder b = new SimpleRequest.Builder(Request.Method.valueOf(e.method().toUpperCase()), e.path());
        e.requestHeaders().forEach((k, v) -> b.withHeader(k, v));
        if (e.rawQuery() != null) {
            for (String pair : e.rawQuery().split("&")) {
                int eq = pair.indexOf('=');
                String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                b.withQueryParam(k, v);
            }
        }
        if (!e.requestBody().isEmpty()) {
            b.withBody(e.requestBody());
        }
        return b.build();
    }

    private static SimpleResponse response(Exchange e) {
        SimpleResponse.Builder b = SimpleResponse.Builder.status(e.status());
        for (Map.Entry<String, List<String>> h : e.responseHeaders().entrySet()) {
            b.withHeader(h.getKey(), h.getValue());
        }
        if (!e.responseBody().isEmpty()) {
            b.withBody(e.responseBody());
        }
        return b.build();
    }

    private final List<Deviation> allowedHere = new java.util.ArrayList<>();

    /**
     * One test's own departure from the document, on purpose (a Fly newer than the document it
     * was built from): covered exchanges are not violations.
     */
    public synchronized FlyContract allowing(Deviation deviation) {
        allowedHere.add(deviation);
        return this;
    }

    public synchronized List<String> violations() {
        return List.copyOf(violations);
    }

    /** How many exchanges were checked: a contract test that checked nothing proves nothing. */
    public synchronized int checked() {
        return checked;
    }

    public synchronized void assertClean() {
        if (checked == 0) {
            throw new AssertionError("no exchange was checked against Fly's contract");
        }
        if (!violations.isEmpty()) {
            throw new AssertionError(violations.size() + " exchange(s) break Fly's contract:\n  "
                    + String.join("\n  ", violations));
        }
    }
}
