package dev.flyform.provider.fly.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flyform.provider.fly.FlyToken;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Map;

/**
 * The Machines REST API over OkHttp. Cross-cutting behaviour (authentication, and later retry
 * and rate limiting) lives in the interceptor chain, not in the callers.
 */
public final class MachinesApi {

    private static final MediaType JSON = MediaType.get("application/json");

    private final OkHttpClient http;
    private final HttpUrl base;
    private final ObjectMapper json = new ObjectMapper();

    /** @param token null when none is configured: every call then fails, naming the missing token */
    public MachinesApi(URI baseUrl, FlyToken token, String userAgent) {
        HttpUrl parsed = HttpUrl.parse(baseUrl.toString());
        if (parsed == null) {
            throw new IllegalArgumentException("not an http(s) URL: " + baseUrl);
        }
        this.base = parsed;
        String authorization = token == null ? null : token.restAuthorization();
        this.http = new OkHttpClient.Builder()
                .connectTimeout(Duration.ofSeconds(10))
                .readTimeout(Duration.ofSeconds(60))
                .callTimeout(Duration.ofSeconds(90))
                .addInterceptor(chain -> {
                    if (authorization == null) {
                        // validate needs no token; anything that reaches the API does.
                        throw new IOException("no Fly API token (set FLY_API_TOKEN, or log in with flyctl)");
                    }
                    return chain.proceed(chain.request().newBuilder()
                            .header("Authorization", authorization)
                            .header("User-Agent", userAgent)
                            .build());
                })
                .build();
    }

    public JsonNode get(String... path) {
        return send("GET", url(Map.of(), path), null);
    }

    /** GET with query parameters, e.g. {@code metadata.flyform_id=...}. */
    public JsonNode get(Map<String, String> query, String... path) {
        return send("GET", url(query, path), null);
    }

    /** POST; a null body sends none (actions such as restart take no body). */
    public JsonNode post(Object body, String... path) {
        return send("POST", url(Map.of(), path), body);
    }

    public JsonNode put(Object body, String... path) {
        return send("PUT", url(Map.of(), path), body);
    }

    public JsonNode delete(String... path) {
        return send("DELETE", url(Map.of(), path), null);
    }

    public JsonNode delete(Map<String, String> query, String... path) {
        return send("DELETE", url(query, path), null);
    }

    private HttpUrl url(Map<String, String> query, String... path) {
        HttpUrl.Builder b = base.newBuilder().addPathSegment("v1");
        for (String segment : path) {
            b.addPathSegment(segment);
        }
        new java.util.TreeMap<>(query).forEach(b::addQueryParameter);
        return b.build();
    }

    private JsonNode send(String method, HttpUrl url, Object body) {
        RequestBody payload = method.equals("POST") || method.equals("PUT") ? RequestBody.create(new byte[0]) : null;
        if (body != null) {
            try {
                payload = RequestBody.create(json.writeValueAsBytes(body), JSON);
            } catch (IOException e) {
                throw new IllegalStateException("cannot encode request body", e);
            }
        }
        Request request = new Request.Builder().url(url).method(method, payload).build();
        try (Response response = http.newCall(request).execute()) {
            String text = response.body().string();
            String requestId = response.header("fly-request-id");
            if (!response.isSuccessful()) {
                throw error(response.code(), text, requestId);
            }
            if (text.isBlank()) {
                return json.createObjectNode();
            }
            return json.readTree(text);
        } catch (IOException e) {
            throw new FlyUnreachableException(method + " " + url.encodedPath() + " at " + base + " failed: " + e.getMessage());
        }
    }

    private FlyApiException error(int status, String text, String requestId) {
        String message = text.isBlank() ? "HTTP " + status : text.strip();
        String code = null;
        try {
            JsonNode node = json.readTree(text);
            if (node != null && node.isObject()) {
                if (node.hasNonNull("message")) {
                    message = node.get("message").asText();
                } else if (node.hasNonNull("error")) {
                    message = node.get("error").asText();
                }
                if (node.hasNonNull("status")) {
                    code = node.get("status").asText();
                }
            }
        } catch (IOException notJson) {
            // Fly sometimes answers plain text; keep it as the message.
        }
        return new FlyApiException(status, code, message, requestId);
    }
}
