package dev.flyform.provider.fly.internal;

import dev.flyform.provider.fly.ApiLog;
import okhttp3.Interceptor;
import okhttp3.Request;
import okhttp3.Response;
import okio.Buffer;

import java.io.IOException;

/** Each request that leaves (each retry too), told to the run's {@link ApiLog}. */
final class LoggingInterceptor implements Interceptor {

    private final Patience patience;

    LoggingInterceptor(Patience patience) {
        this.patience = patience;
    }

    @Override
    public Response intercept(Chain chain) throws IOException {
        ApiLog log = patience.log();
        Request request = chain.request();
        if (!log.at(ApiLog.Level.INFO)) {
            return chain.proceed(request);
        }
        String path = request.url().encodedPath() + (request.url().encodedQuery() == null ? "" : "?" + request.url().encodedQuery());
        long started = System.nanoTime();
        Response response;
        try {
            response = chain.proceed(request);
        } catch (IOException e) {
            log.failed(request.method(), path, (System.nanoTime() - started) / 1_000_000, e.getMessage());
            throw e;
        }
        String sent = null;
        String got = null;
        if (log.at(ApiLog.Level.TRACE)) {
            if (request.body() != null) {
                Buffer buffer = new Buffer();
                request.body().writeTo(buffer);
                sent = buffer.readUtf8();
            }
            got = response.peekBody(256 * 1024).string();
        }
        log.exchange(request.method(), path, response.code(), response.header("fly-request-id"),
                (System.nanoTime() - started) / 1_000_000, sent, got);
        return response;
    }
}
