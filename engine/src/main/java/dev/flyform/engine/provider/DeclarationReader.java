package dev.flyform.engine.provider;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A function a script calls to declare blocks from a file another tool keeps ({@code flyToml('fly.toml')}
 * reads Fly's fly.toml): a provider reads the file into plain declarations, which the language
 * declares as if they were written, at the line of the call. References between them are
 * {@link dev.flyform.engine.config.Reference}s to the addresses of the others.
 */
public interface DeclarationReader {

    /** The function's name in a script. */
    String function();

    /**
     * Reads {@code file} with the script's {@code options}.
     *
     * @throws IllegalArgumentException with a message for the user, naming the file, when it
     *                                  cannot be read into declarations
     */
    List<Declared> read(Path file, Map<String, Object> options);

    /**
     * One block to declare. {@code group}: what a script extends the blocks of one kind by
     * ({@code machines { ignoreChanges 'image' }}); null for the first, the one the call returns
     * and its closure extends.
     */
    record Declared(String type, String label, Map<String, Object> attributes, String group) {

        public Declared {
            attributes = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(attributes));
        }
    }
}
