package dev.flyform.provider.fly;

import java.util.Map;

/**
 * TEST ONLY. Halts the JVM at a chosen API call, to prove that a run killed at any instant is
 * followed by one that converges. Read from the environment:
 * {@code FLYFORM_TEST_HALT_BEFORE_REQUEST=N} halts right before the Nth HTTP request is sent;
 * {@code FLYFORM_TEST_HALT_AFTER_RESPONSE=N} halts right after the Nth response is received,
 * before anything else runs. Never set them outside tests.
 */
public record CrashPoints(long haltBeforeRequest, long haltAfterResponse) {

    public static final CrashPoints NONE = new CrashPoints(0, 0);
    /** The exit status of a halted JVM, so tests can tell a crash point from other failures. */
    public static final int HALT_STATUS = 86;

    public static CrashPoints from(Map<String, String> env) {
        return new CrashPoints(number(env, "FLYFORM_TEST_HALT_BEFORE_REQUEST"), number(env, "FLYFORM_TEST_HALT_AFTER_RESPONSE"));
    }

    private static long number(Map<String, String> env, String name) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            return 0;
        }
        try {
            return Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a number, got " + value);
        }
    }

    public boolean any() {
        return haltBeforeRequest > 0 || haltAfterResponse > 0;
    }
}
