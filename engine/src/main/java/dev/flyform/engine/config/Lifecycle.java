package dev.flyform.engine.config;

import dev.flyform.engine.diag.SourceLocation;

import java.util.Set;
import java.util.TreeSet;

/**
 * What a declaration says of its object's life beside its attributes.
 *
 * @param ignoreChanges attributes whose value on the API is kept when it differs from the
 *                      declaration (changed there by another tool, as `fly deploy` changes an
 *                      image): reported as drift, never sent
 * @param ignoreAll     every attribute so
 * @param declaredAt    where the rule was written, for messages; null when there is none
 * @param protectedAt   where {@code preventDestroy true} was written: a plan that would destroy or
 *                      replace the object fails; null when it is not protected
 */
public record Lifecycle(Set<String> ignoreChanges, boolean ignoreAll, SourceLocation declaredAt, SourceLocation protectedAt) {

    public static final Lifecycle NONE = new Lifecycle(Set.of(), false, null, null);

    public Lifecycle {
        ignoreChanges = Set.copyOf(new TreeSet<>(ignoreChanges));
    }

    public boolean ignores(String attribute) {
        return ignoreAll || ignoreChanges.contains(attribute);
    }
}
