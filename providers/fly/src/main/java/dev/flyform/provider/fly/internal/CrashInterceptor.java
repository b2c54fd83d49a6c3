package dev.flyform.provider.fly.internal;

import dev.flyform.provider.fly.CrashPoints;
import okhttp3.Interceptor;
import okhttp3.Response;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicLong;

/** TEST ONLY: halts the JVM at the crash points given ({@link CrashPoints}). Counts every request sent. */
final class CrashInterceptor implements Interceptor {

    private final CrashPoints points;
    private final AtomicLong sent = new AtomicLong();

    CrashInterceptor(CrashPoints points) {
        this.points = points;
    }

    @Override
    public Response intercept(Chain chain) throws IOException {
        long n = sent.incrementAndGet();
        if (n == points.haltBeforeRequest()) {
            Runtime.getRuntime().halt(CrashPoints.HALT_STATUS);
        }
        Response response = chain.proceed(chain.request());
        if (n == points.haltAfterResponse()) {
            response.peekBody(Long.MAX_VALUE);   // the answer is fully received, then nothing else runs
            Runtime.getRuntime().halt(CrashPoints.HALT_STATUS);
        }
        return response;
    }
}
