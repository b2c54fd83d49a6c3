package dev.flyform.engine.plan;

import dev.flyform.engine.addr.ResourceAddress;

import java.util.Set;

/**
 * @param refresh read every object in state from the API before planning (Terraform's default)
 * @param targets when not empty, plan only these and what they depend on (deletes: these and
 *                what depends on them)
 * @param replace plan these as replacements although nothing forces it
 * @param destroy plan the deletion of everything in the state
 * @param adopt   take these over although another flyform state marked them as its own
 */
public record PlanOptions(boolean refresh, Set<ResourceAddress> targets, Set<ResourceAddress> replace, boolean destroy,
                          Set<ResourceAddress> adopt) {

    public PlanOptions {
        targets = Set.copyOf(targets);
        replace = Set.copyOf(replace);
        adopt = Set.copyOf(adopt);
    }

    public PlanOptions(boolean refresh, Set<ResourceAddress> targets, Set<ResourceAddress> replace, boolean destroy) {
        this(refresh, targets, replace, destroy, Set.of());
    }

    public PlanOptions(boolean refresh) {
        this(refresh, Set.of(), Set.of(), false);
    }

    public static PlanOptions defaults() {
        return new PlanOptions(true);
    }
}
