package dev.flyform.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/**
 * Talks to the emulator the way a Fly client would, with the JDK's HTTP client: no flyform code,
 * so a misunderstanding in the provider cannot hide one in the emulator.
 */
public final class EmulatorClient {

    public static final String MINE = "FlyV1 " + FlyEmulator.PERSONAL_TOKEN;
    public static final String THEIRS = "Bearer " + FlyEmulator.OTHER_TOKEN;

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private final FlyEmulator fly;
    private String token = MINE;

    public EmulatorClient(FlyEmulator fly) {
        this.fly = fly;
    }

    public EmulatorClient as(String authorization) {
        EmulatorClient other = new EmulatorClient(fly);
        other.token = authorization;
        return other;
    }

    /** An answer: status and parsed body (an empty object when there was none). */
    public record Answer(int status, JsonNode body, HttpResponse<String> raw) {
        public String text(String field) {
            return body.path(field).asText();
        }
    }

    public Answer get(String path) {
        return send("GET", path, null);
    }

    public Answer post(String path, String json) {
        return send("POST", path, json);
    }

    public Answer put(String path, String json) {
        return send("PUT", path, json);
    }

    public Answer delete(String path) {
        return send("DELETE", path, null);
    }

    public Answer send(String method, String path, String json) {
        return send(method, path, json, null);
    }

    public Answer send(String method, String path, String json, String nonce) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(fly.baseUrl() + path))
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (token != null) {
            b.header("Authorization", token);
        }
        if (json != null) {
            b.header("Content-Type", "application/json");
        }
        if (nonce != null) {
            b.header("fly-machine-lease-nonce", nonce);
        }
        try {
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode body = r.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(r.body());
            return new Answer(r.statusCode(), body, r);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A GraphQL request: {@code {"query": ..., "variables": ...}}. */
    public Answer graphql(String query, String variablesJson) {
        String body = "{\"query\":" + quote(query) + (variablesJson == null ? "" : ",\"variables\":" + variablesJson) + "}";
        return post("/graphql", body);
    }

    public static String quote(String s) {
        try {
            return JSON.writeValueAsString(s);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public Answer createApp(String name) {
        return post("/v1/apps", "{\"name\":\"" + name + "\",\"org_slug\":\"personal\"}");
    }
}
