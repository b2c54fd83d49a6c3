package dev.flyform.emulator;

/**
 * One request the emulator answered, for tests and benchmarks to inspect.
 *
 * @param session  which start of the emulator answered it (bumped each time a data directory is loaded)
 * @param mutating whether it asked for a change (any method but GET and HEAD)
 */
public record Call(long sequence, long session, String method, String path, int status, boolean mutating) {
}
