package dev.flyform.cli;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class CliEnvironmentTest {

    @Test
    void theHomeIsHomeAsFlyctlReadsItThenTheAccounts() {
        assertEquals(Path.of("/tmp/elsewhere"), CliEnvironment.home(Map.of("HOME", "/tmp/elsewhere")));
        assertEquals(Path.of(System.getProperty("user.home")), CliEnvironment.home(Map.of()));
        assertEquals(Path.of(System.getProperty("user.home")), CliEnvironment.home(Map.of("HOME", " ")));
    }
}
