package dev.flyform.provider.fly.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flyform.provider.fly.CrashPoints;
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
import java.util.TreeMap;

/**
 * The Machines REST API over OkHttp. Cross-cutting behaviour lives in the interceptor chain:
 * authentication, the one retry policy (idempotent requests only), and the test-only crash
 * points. Creates are sent once; callers reconcile an ambiguous failure.
 */
public final class MachinesApi {

    /** Sent with a create and with the lookups that reconcile it: ties both to one intent in a call log. */
    public static final String INTENT_HEADER = "x-flyform-intent";
    /** Carries the nonce of the lease flyform holds on a machine. */
    public static final String LEASE_HEADER = "fly-machine-lease-nonce";
    private static final MediaType JSON_TYPE = MediaType.get("application/json");

    private final OkHttpClient http;
    /**
     * For requests that must not be resent (creates): a connection of their own each time. Fly's
     * edge closes idle keep-alive connections, and a create sent on one that was closed meanwhile
     * fails with no answer, which only a reconcile can settle.
     */
    private final OkHttpClient fresh;
    private final HttpUrl base;
    private final RetryPolicy retry;
    private final String intentId;
    private final String leaseNonce;
    private final Patience patience;
    private final ObjectMapper json = new ObjectMapper();

    /** @param token null when none is configured: every call then fails, naming the missing token */
    public MachinesApi(URI baseUrl, FlyToken token, String userAgent, CrashPoints crashPoints) {
        this(baseUrl, token, userAgent, crashPoints, new Patience(dev.flyform.provider.fly.Timeouts.DEFAULT));
    }

    public MachinesApi(URI baseUrl, FlyToken token, String userAgent, CrashPoints crashPoints, Patience patience) {
        HttpUrl parsed = HttpUrl.parse(baseUrl.toString());
        if (parsed == null) {
            throw new IllegalArgumentException("not an http(s) URL: " + baseUrl);
        }
        this.base = parsed;
        this.retry = new RetryPolicy(6, Duration.ofMillis(200), Duration.ofSeconds(8), patience::log);
        this.intentId = null;
        this.leaseNonce = null;
        this.patience = patience;
        String authorization = token == null ? null : token.restAuthorization();
        OkHttpClient.Builder builder = new OkHttpClient.Builder()
                .connectTimeout(Duration.ofSeconds(10))
                .readTimeout(patience.timeouts().request())
                .dispatcher(dispatcher())
                // Only idempotent requests use this client's pooled connections, so OkHttp may resend
                // one at once on a connection Fly's edge closed while it was idle.
                .retryOnConnectionFailure(true)
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
                .addInterceptor(retry)
                // Per attempt, retries included: every request that leaves keeps to Fly's limits.
                .addNetworkInterceptor(new RateLimit())
                .addNetworkInterceptor(new LoggingInterceptor(patience));
        if (crashPoints.any()) {
            builder.addNetworkInterceptor(new CrashInterceptor(crashPoints));
        }
        this.http = builder.build();
        this.fresh = http.newBuilder().connectionPool(new okhttp3.ConnectionPool(0, 1, java.util.concurrent.TimeUnit.SECONDS))
                .retryOnConnectionFailure(false)   // a create is never resent here: its caller reconciles
                .build();
    }

    /** Parallel apply sends many requests at once, several to the same host. */
    private static okhttp3.Dispatcher dispatcher() {
        okhttp3.Dispatcher d = new okhttp3.Dispatcher();
        d.setMaxRequestsPerHost(64);
        return d;
    }

    private MachinesApi(MachinesApi from, String intentId, String leaseNonce) {
        this.http = from.http;
        this.fresh = from.fresh;
        this.base = from.base;
        this.retry = from.retry;
        this.intentId = intentId;
        this.leaseNonce = leaseNonce;
        this.patience = from.patience;
    }

    /** How long one {@code /wait} call may ask Fly to wait: a little under the request timeout. */
    public long waitSeconds() {
        return Math.max(1, Math.min(30, patience.timeouts().request().toSeconds() - 5));
    }

    /** The same API, marking each request with an intent's id. */
    public MachinesApi forIntent(String id) {
        return new MachinesApi(this, id, leaseNonce);
    }

    /** The same API, sending the nonce of a lease held on a machine. */
    public MachinesApi withLease(String nonce) {
        return new MachinesApi(this, intentId, nonce);
    }

    /** Requests retried after transient failures so far. */
    public long retries() {
        return retry.retries();
    }

    public JsonNode get(String... path) {
        return send("GET", url(Map.of(), path), null, true);
    }

    /** GET with query parameters, e.g. {@code metadata.flyform_address=...}. */
    public JsonNode get(Map<String, String> query, String... path) {
        return send("GET", url(query, path), null, true);
    }

    /** A POST that makes something: sent once, never retried here. A null body sends none. */
    public JsonNode create(Object body, String... path) {
        return send("POST", url(Map.of(), path), body, false);
    }

    /** A POST that sets rather than makes (an update, an action, a secret's value): safe to resend. */
    public JsonNode post(Object body, String... path) {
        return send("POST", url(Map.of(), path), body, true);
    }

    public JsonNode put(Object body, String... path) {
        return send("PUT", url(Map.of(), path), body, true);
    }

    public JsonNode delete(String... path) {
        return send("DELETE", url(Map.of(), path), null, true);
    }

    public JsonNode delete(Map<String, String> query, String... path) {
        return send("DELETE", url(query, path), null, true);
    }

    private HttpUrl url(Map<String, String> query, String... path) {
        HttpUrl.Builder b = base.newBuilder().addPathSegment("v1");
        for (String segment : path) {
            b.addPathSegment(segment);
        }
        new TreeMap<>(query).forEach(b::addQueryParameter);
        return b.build();
    }

    private JsonNode send(String method, HttpUrl url, Object body, boolean idempotent) {
        RequestBody payload = method.equals("POST") || method.equals("PUT") ? RequestBody.create(new byte[0]) : null;
        if (body != null) {
            try {
                payload = RequestBody.create(json.writeValueAsBytes(body), JSON_TYPE);
            } catch (IOException e) {
                throw new IllegalStateException("cannot encode request body", e);
            }
        }
        Request.Builder request = new Request.Builder().url(url).method(method, payload);
        if (idempotent) {
            request.tag(RetryPolicy.Idempotent.class, RetryPolicy.Idempotent.YES);
        }
        if (intentId != null) {
            request.header(INTENT_HEADER, intentId);
        }
        if (leaseNonce != null) {
            request.header(LEASE_HEADER, leaseNonce);
        }
        String what = method + " " + url.encodedPath();
        okhttp3.Call call = (idempotent ? http : fresh).newCall(request.build());
        call.timeout().timeout(patience.callMillis(what, base), java.util.concurrent.TimeUnit.MILLISECONDS);
        try (Response response = patience.noticing(what, call::execute)) {
            String text = response.body().string();
            String requestId = response.header("fly-request-id");
            if (!response.isSuccessful()) {
                throw error(response.code(), text, requestId).waitingFor(response.header("Retry-After"));
            }
            if (text.isBlank()) {
                return json.createObjectNode();
            }
            return json.readTree(text);
        } catch (IOException e) {
            throw patience.failure(what, base, e);
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
