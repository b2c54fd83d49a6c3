package dev.flyform.engine.provider;

import dev.flyform.engine.state.ResourceState;

/** Refreshes one object recorded in state. */
public record ReadRequest(ResourceState prior) {
}
