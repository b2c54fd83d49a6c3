package dev.flyform.engine.plan;

/**
 * One attribute's before and after. {@code before} is null on create, {@code after} null on
 * delete; {@code forcesReplacement} marks the reason for a replace.
 */
public record AttributeChange(String name, Object before, Object after, boolean forcesReplacement, boolean sensitive) {

    public boolean changed() {
        return !java.util.Objects.equals(before, after);
    }
}
