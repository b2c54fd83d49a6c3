package dev.flyform.cli;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

/**
 * Everything the command line takes from the process: environment variables, home and working
 * directories, the terminal. A value, so tests run the real commands in-process.
 */
public record CliEnvironment(
        Map<String, String> variables,
        Path home,
        Path workingDirectory,
        BufferedReader in,
        PrintWriter out,
        PrintWriter err,
        boolean terminal) {

    public CliEnvironment {
        variables = Map.copyOf(variables);
    }

    public static CliEnvironment system() {
        return new CliEnvironment(
                System.getenv(),
                home(System.getenv()),
                Path.of("").toAbsolutePath(),
                new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)),
                new PrintWriter(System.out, true, StandardCharsets.UTF_8),
                new PrintWriter(System.err, true, StandardCharsets.UTF_8),
                System.console() != null);
    }

    /** The home directory as flyctl finds it: $HOME, else the account's home. */
    static Path home(Map<String, String> env) {
        String home = env.get("HOME");
        return home != null && !home.isBlank() ? Path.of(home) : Path.of(System.getProperty("user.home"));
    }

    public String variable(String name) {
        return variables.get(name);
    }
}
