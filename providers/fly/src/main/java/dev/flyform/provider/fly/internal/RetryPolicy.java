package dev.flyform.provider.fly.internal;

import okhttp3.Interceptor;
import okhttp3.Request;
import okhttp3.Response;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The one retry policy: requests marked {@link Idempotent} are retried with exponential backoff
 * and jitter on 408, 429, 5xx and I/O errors, honouring Retry-After. Anything else (a create) is
 * never resent here: its caller reconciles first.
 */
final class RetryPolicy implements Interceptor {

    /** Marks a request safe to send again (GET, PUT, DELETE, and POSTs that set rather than make). */
    static final class Idempotent {
        static final Idempotent YES = new Idempotent();

        private Idempotent() {
        }
    }

    private final int maxAttempts;
    private final Duration base;
    private final Duration cap;
    private final AtomicLong retries = new AtomicLong();
    private final java.util.function.Supplier<dev.flyform.provider.fly.ApiLog> log;

    RetryPolicy(int maxAttempts, Duration base, Duration cap) {
        this(maxAttempts, base, cap, () -> dev.flyform.provider.fly.ApiLog.OFF);
    }

    RetryPolicy(int maxAttempts, Duration base, Duration cap, java.util.function.Supplier<dev.flyform.provider.fly.ApiLog> log) {
        this.maxAttempts = maxAttempts;
        this.base = base;
        this.cap = cap;
        this.log = log;
    }

    long retries() {
        return retries.get();
    }

    @Override
    public Response intercept(Chain chain) throws IOException {
        Request request = chain.request();
        if (request.tag(Idempotent.class) == null) {
            return chain.proceed(request);
        }
        for (int attempt = 1; ; attempt++) {
            Response response;
            try {
                response = chain.proceed(request);
            } catch (IOException e) {
                if (attempt >= maxAttempts) {
                    throw e;
                }
                log.get().note("retrying " + request.method() + " " + request.url().encodedPath() + " (attempt " + (attempt + 1)
                        + " of " + maxAttempts + "): " + e.getMessage());
                pause(attempt, null);
                retries.incrementAndGet();
                continue;
            }
            if (!isTransient(response.code()) || attempt >= maxAttempts) {
                return response;
            }
            String retryAfter = response.header("Retry-After");
            response.close();
            log.get().note("retrying " + request.method() + " " + request.url().encodedPath() + " (attempt " + (attempt + 1)
                    + " of " + maxAttempts + ") after " + response.code() + (retryAfter == null ? "" : ", Retry-After " + retryAfter + " s"));
            pause(attempt, retryAfter);
            retries.incrementAndGet();
        }
    }

    static boolean isTransient(int status) {
        return status == 408 || status == 429 || status >= 500;
    }

    private void pause(int attempt, String retryAfter) throws IOException {
        long millis = Math.min(cap.toMillis(), base.toMillis() << Math.min(attempt - 1, 16));
        millis = millis / 2 + ThreadLocalRandom.current().nextLong(millis / 2 + 1);   // jitter
        if (retryAfter != null) {
            try {
                millis = Math.max(millis, Math.min(cap.toMillis(), Long.parseLong(retryAfter.strip()) * 1000));
            } catch (NumberFormatException httpDate) {
                // An HTTP date: the backoff stands.
            }
        }
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting to retry");
        }
    }
}
