package dev.flyform.provider.fly.internal;

import dev.flyform.engine.addr.ResourceAddress;
import dev.flyform.engine.diag.Diagnostic;

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
}
