package dev.flyform.provider.fly.internal;

import dev.flyform.engine.addr.ResourceAddress;
import dev.flyform.engine.diag.Diagnostic;
import dev.flyform.engine.provider.ApplyResponse;
import dev.flyform.engine.provider.LookupResponse;
import dev.flyform.engine.provider.ReadResponse;
import dev.flyform.engine.provider.ReconcileResponse;

import java.util.List;

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

    /**
     * Runs a reconcile's lookups: a 404 means the create made nothing; any other failure leaves
     * it unknown (the intent is kept, nothing is sent).
     */
    static ReconcileResponse reconciling(ResourceAddress address, java.util.function.Supplier<ReconcileResponse> lookups) {
        try {
            return lookups.get();
        } catch (FlyApiException e) {
            return e.httpStatus() == 404 ? ReconcileResponse.notCreated() : ReconcileResponse.unknown(refused("look up", address, e));
        } catch (FlyUnreachableException e) {
            return ReconcileResponse.unknown(unreachable(e));
        }
    }

    /** Reads one object of an app for {@code import}: as APP/ID. */
    interface AppScopedRead {
        dev.flyform.engine.state.ResourceState read(String app, String id);
    }

    /**
     * An import of an object that lives in an app, given as {@code APP/ID}: one wording for a
     * malformed id, an app that has no such object (404), a refusal and an unreachable API.
     *
     * @param kind   what it is, in words ({@code "certificate"})
     * @param idName how its id is written in the message ({@code "HOSTNAME"})
     */
    static dev.flyform.engine.provider.ImportResponse importing(dev.flyform.engine.provider.ImportRequest request, String kind,
                                                                String idName, AppScopedRead read) {
        String[] parts = request.id().split("/", 2);
        if (parts.length != 2 || parts[0].isEmpty() || parts[1].isEmpty()) {
            String article = "aeiou".indexOf(kind.charAt(0)) >= 0 ? "An " : "A ";
            return new dev.flyform.engine.provider.ImportResponse(List.of(), List.of(Diagnostic.error(
                    article + kind + " is imported as APP/" + idName, "Got \"" + request.id() + "\".")));
        }
        try {
            return new dev.flyform.engine.provider.ImportResponse(List.of(read.read(parts[0], parts[1])), List.of());
        } catch (FlyApiException e) {
            String what = e.httpStatus() == 404 ? "App " + parts[0] + " has no " + kind + " " + parts[1]
                    : "Cannot read the " + kind + ": " + e.describe();
            return new dev.flyform.engine.provider.ImportResponse(List.of(), List.of(Diagnostic.error(what, "").forResource(request.address())));
        } catch (FlyUnreachableException e) {
            return new dev.flyform.engine.provider.ImportResponse(List.of(), List.of(unreachable(e)));
        }
    }

    /** A delete of what is gone already is done: 404 is success, any other refusal is thrown. */
    static void deleting(Runnable call) {
        try {
            call.run();
        } catch (FlyApiException e) {
            if (!notFound(e)) {
                throw e;
            }
        }
    }

    /**
     * What an app held before a create, for the intent (IPs and volumes have no name to find
     * them by): none when the app does not exist yet; a refusal is a diagnostic.
     */
    static dev.flyform.engine.provider.PrepareCreateResponse listingBefore(ResourceAddress address, String what,
                                                                           java.util.function.Supplier<List<?>> list) {
        try {
            return new dev.flyform.engine.provider.PrepareCreateResponse(java.util.Map.of("before", list.get()), List.of());
        } catch (FlyApiException e) {
            return e.httpStatus() == 404
                    ? new dev.flyform.engine.provider.PrepareCreateResponse(java.util.Map.of("before", List.of()), List.of())
                    : new dev.flyform.engine.provider.PrepareCreateResponse(java.util.Map.of(), List.of(refused("list the " + what + " of", address, e)));
        } catch (FlyUnreachableException e) {
            return new dev.flyform.engine.provider.PrepareCreateResponse(java.util.Map.of(), List.of(unreachable(e)));
        }
    }

    /** Runs an adopt-first lookup: 404 or 403 (not ours to see) means there is nothing to adopt. */
    static LookupResponse lookingUp(ResourceAddress address, java.util.function.Supplier<LookupResponse> lookup) {
        try {
            return lookup.get();
        } catch (FlyApiException e) {
            return e.httpStatus() == 404 || e.httpStatus() == 403 ? LookupResponse.none()
                    : new LookupResponse(null, List.of(refused("look up", address, e)));
        } catch (FlyUnreachableException e) {
            return new LookupResponse(null, List.of(unreachable(e)));
        }
    }

    /** A refresh read: 404 means the object is gone; any other failure is reported, not guessed at. */
    static ReadResponse reading(ResourceAddress address, java.util.function.Supplier<ReadResponse> read) {
        try {
            return read.get();
        } catch (FlyApiException e) {
            return e.httpStatus() == 404 ? ReadResponse.gone() : new ReadResponse(null, List.of(refused("read", address, e)));
        } catch (FlyUnreachableException e) {
            return new ReadResponse(null, List.of(unreachable(e)));
        }
    }

    /** Sleeps between two tries at something; an interrupt ends the wait as if Fly could not be reached. */
    static void pause(long millis, String what) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FlyUnreachableException("interrupted while " + what);
        }
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
