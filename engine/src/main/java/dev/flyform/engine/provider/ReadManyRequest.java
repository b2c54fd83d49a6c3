package dev.flyform.engine.provider;

import dev.flyform.engine.state.ResourceState;

import java.util.List;

/** Refreshes many objects at once: a provider may read them in a few batched calls. */
public record ReadManyRequest(List<ResourceState> priors) {

    public ReadManyRequest {
        priors = List.copyOf(priors);
    }
}
