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
 * @param createFirstAt where {@code createBeforeDestroy true} was written: a replacement makes the
 *                      new object before it deletes the old one; null: the old one goes first
 */
public record Lifecycle(Set<String> ignoreChanges, boolean ignoreAll, SourceLocation declaredAt, SourceLocation protectedAt,
                        SourceLocation createFirstAt) {

    public static final Lifecycle NONE = new Lifecycle(Set.of(), false, null, null, null);

    public Lifecycle {
        ignoreChanges = Set.copyOf(new TreeSet<>(ignoreChanges));
    }

    public Lifecycle(Set<String> ignoreChanges, boolean ignoreAll, SourceLocation declaredAt, SourceLocation protectedAt) {
        this(ignoreChanges, ignoreAll, declaredAt, protectedAt, null);
    }

    public boolean ignores(String attribute) {
        return ignoreAll || ignoreChanges.contains(attribute);
    }
}
