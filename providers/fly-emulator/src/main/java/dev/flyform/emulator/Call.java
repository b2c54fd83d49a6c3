package dev.flyform.emulator;

/**
 * One request the emulator answered, for tests and benchmarks to inspect.
 *
 * @param session   which start of the emulator answered it (bumped each time a data directory is loaded)
 * @param operation the GraphQL operation's name, for {@code POST /graphql}
 * @param status    the HTTP status sent; 0 when the connection was dropped without an answer
 * @param mutating  whether it asked for a change (REST: any method but GET; GraphQL: a mutation)
 * @param intent    the client's {@code x-flyform-intent} request header, when sent (a test aid: it
 *                  ties a create and the lookups that reconcile it together)
 */
public record Call(long sequence, long session, String method, String path, String operation, int status,
                   boolean mutating, String intent) {
}
