package dev.flyform.emulator;

/** An app as the emulator keeps it. */
public record EmulatedApp(String id, String name, String orgSlug, String status, String network,
                          long internalNumericId, long createdAt) {
}
