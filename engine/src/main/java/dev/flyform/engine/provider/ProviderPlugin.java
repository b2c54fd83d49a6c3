package dev.flyform.engine.provider;

import java.nio.file.Path;
import java.util.Map;

/**
 * A provider found on the class path ({@link java.util.ServiceLoader}, listed in
 * {@code META-INF/services/dev.flyform.engine.provider.ProviderPlugin}): its resource types are
 * declared in the DSL as any other, by their type name ({@code toy_note('x') { }}) or, when no
 * other provider has one of that name, by the name without the prefix.
 */
public interface ProviderPlugin {

    /** Its resource types, known without any connection (for validate and the DSL). */
    ProviderSchema schema();

    /** The provider, ready to call its API, from the process environment and working directory. */
    Provider open(Map<String, String> environment, Path workingDirectory);
}
