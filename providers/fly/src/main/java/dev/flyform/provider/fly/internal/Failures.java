package dev.flyform.provider.fly.internal;

import dev.flyform.engine.addr.ResourceAddress;
import dev.flyform.engine.diag.Diagnostic;
import dev.flyform.engine.provider.ApplyResponse;

/** How the Fly provider reports what went wrong with an API call: one wording everywhere. */
final class Failures {

    private Failures() {
    }

    static Diagnostic refused(String verb, ResourceAddress address, FlyApiException e) {
        return Diagnostic.error("Fly API refused to " + verb + " " + address, e.describe());
    }

    static Diagnostic unreachable(FlyUnreachableException e) {
        return Diagnostic.error("Cannot reach the Fly API", e.getMessage());
    }

    static boolean notFound(FlyApiException e) {
        return e.httpStatus() == 404;
    }

    /**
     * A create that failed this way may still have been made: a timeout, a 5xx, a 429 or a
     * dropped connection. It is reconciled before anything is sent again.
     */
    static ApplyResponse createFailed(String verb, ResourceAddress address, RuntimeException e) {
        if (e instanceof FlyUnreachableException u) {
            return ApplyResponse.ambiguous(unreachable(u));
        }
        FlyApiException api = (FlyApiException) e;
        Diagnostic d = refused(verb, address, api);
        return RetryPolicy.isTransient(api.httpStatus()) ? ApplyResponse.ambiguous(d) : ApplyResponse.failed(d);
    }
}
