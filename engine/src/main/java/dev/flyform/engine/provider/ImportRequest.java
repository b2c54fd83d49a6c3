package dev.flyform.engine.provider;

import dev.flyform.engine.addr.ResourceAddress;

/** Reads an existing object by its import id (an app name, {@code app/hostname}...) into {@code address}. */
public record ImportRequest(ResourceAddress address, String id) {
}
