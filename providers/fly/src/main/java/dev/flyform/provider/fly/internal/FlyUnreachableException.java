package dev.flyform.provider.fly.internal;

/** No answer from the Fly API: refused, reset, timed out. */
public final class FlyUnreachableException extends RuntimeException {

    public FlyUnreachableException(String message) {
        super(message, null, false, false);
    }
}
