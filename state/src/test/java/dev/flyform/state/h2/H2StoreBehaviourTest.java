package dev.flyform.state.h2;

import dev.flyform.engine.state.StateStore;
import dev.flyform.state.StateStoreBehaviour;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** The store behaviour every state store has, on the local H2 file. */
class H2StoreBehaviourTest extends StateStoreBehaviour {

    @TempDir
    Path dir;

    @Override
    protected StateStore open() {
        return H2StateStore.openDirectory(dir.resolve(".flyform"));
    }
}
