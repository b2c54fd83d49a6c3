package dev.flyform.emulator;

/** An organization of the emulated Fly, reached with its own token. */
public record Organization(String slug, String name, long internalNumericId, String token) {
}
