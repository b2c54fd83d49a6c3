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
 * Fly's GraphQL API, for what REST does badly: reading many apps' children in one request.
 * Queries only: they are idempotent and go through the same retry policy.
 */
public final class GraphqlClient {

    private static final MediaType JSON_TYPE = MediaType.get("application/json");

    private final OkHttpClient http;
    private final HttpUrl url;
    private final RetryPolicy retry = new RetryPolicy(6, Duration.ofMillis(200), Duration.ofSeconds(8));
    private final ObjectMapper json = new ObjectMapper();
    private final Patience patience;

    public GraphqlClient(URI baseUrl, FlyToken token, String userAgent) {
        this(baseUrl, token, userAgent, new Patience(dev.flyform.provider.fly.Timeouts.DEFAULT));
    }

    public GraphqlClient(URI baseUrl, FlyToken token, String userAgent, Patience patience) {
        this.patience = patience;
        HttpUrl parsed = HttpUrl.parse(baseUrl.toString());
        if (parsed == null) {
            throw new IllegalArgumentException("not an http(s) URL: " + baseUrl);
        }
        this.url = parsed.newBuilder().addPathSegment("graphql").build();
        String authorization = token == null ? null : token.graphqlAuthorization();
        this.http = new OkHttpClient.Builder()
                .connectTimeout(Duration.ofSeconds(10))
                .readTimeout(patience.timeouts().request())
                .retryOnConnectionFailure(true)   // queries only: safe to resend on a connection closed while idle
                .addInterceptor(chain -> {
                    if (authorization == null) {
                        throw new IOException("no Fly API token (set FLY_API_TOKEN, or log in with flyctl)");
                    }
                    return chain.proceed(chain.request().newBuilder().header("Authorization", authorization)
                            .header("User-Agent", userAgent).build());
                })
                .addInterceptor(retry)
                .addNetworkInterceptor(new LoggingInterceptor(patience))
                .build();
        this.once = http.newBuilder()
                .retryOnConnectionFailure(false)
                .connectionPool(new okhttp3.ConnectionPool(0, 1, java.util.concurrent.TimeUnit.SECONDS))
                .build();
    }

    private final OkHttpClient once;

    public long retries() {
        return retry.retries();
    }

    /**
     * A mutation that makes something (an allocation): sent once, never again by a retry or on
     * another connection, since Fly may have made it with the answer lost. It goes on a
     * connection of its own, so it never meets one the server closed while it was idle. A lost
     * answer is an {@link FlyUnreachableException}: the caller reconciles.
     */
    public JsonNode mutateOnce(String document, Map<String, Object> variables) {
        return send(once, document, variables, false);
    }

    /** The whole answer: {@code data} and {@code errors}, as GraphQL sends them (200 even with errors). */
    public JsonNode query(String document, Map<String, Object> variables) {
        return send(http, document, variables, true);
    }

    private JsonNode send(OkHttpClient client, String document, Map<String, Object> variables, boolean idempotent) {
        byte[] body;
        try {
            body = json.writeValueAsBytes(Map.of("query", document, "variables", variables));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        Request.Builder builder = new Request.Builder().url(url).post(RequestBody.create(body, JSON_TYPE));
        if (idempotent) {
            builder.tag(RetryPolicy.Idempotent.class, RetryPolicy.Idempotent.YES);
        }
        okhttp3.Call call = client.newCall(builder.build());
        call.timeout().timeout(patience.callMillis("POST /graphql", url), java.util.concurrent.TimeUnit.MILLISECONDS);
        try (Response response = patience.noticing("POST /graphql", call::execute)) {
            String text = response.body().string();
            if (!response.isSuccessful()) {
                throw new FlyApiException(response.code(), null, text.isBlank() ? "HTTP " + response.code() : text.strip(),
                        response.header("fly-request-id"));
            }
            return json.readTree(text);
        } catch (IOException e) {
            throw patience.failure("POST /graphql", url, e);
        }
    }
}
