package dev.flyform.engine.config;

import dev.flyform.engine.diag.SourceLocation;

/**
 * A value to show after apply ({@code output 'name', value}); it may hold references to
 * attributes known only after apply. A sensitive output is shown as {@code (sensitive value)}.
 */
public record Output(String name, Object value, boolean sensitive, SourceLocation location) {
}
