package dev.flyform.examples

import dev.flyform.cli.CliEnvironment
import dev.flyform.cli.Flyform
import groovy.transform.CompileStatic

import java.nio.file.Path

/** One in-process run of the real command line, with its output captured. */
@CompileStatic
class FlyformRun {

    final int exitCode
    final String out
    final String err

    private FlyformRun(int exitCode, String out, String err) {
        this.exitCode = exitCode
        this.out = out
        this.err = err
    }

    static FlyformRun of(Path workingDirectory, Map<String, String> env, List<String> args, String stdin = '') {
        StringWriter out = new StringWriter()
        StringWriter err = new StringWriter()
        // An empty home, so no real ~/.fly/config.yml is ever read by a test.
        Path home = workingDirectory.resolve('.test-home')
        CliEnvironment environment = new CliEnvironment(env, home, workingDirectory,
                new BufferedReader(new StringReader(stdin)), new PrintWriter(out), new PrintWriter(err), false)
        int code = Flyform.run(environment, args as String[])
        return new FlyformRun(code, out.toString(), err.toString())
    }

    @Override
    String toString() {
        "exit ${exitCode}\n--- out\n${out}--- err\n${err}"
    }
}
