package dev.flyform.examples

import groovy.transform.CompileStatic

import java.nio.file.Path
import java.util.concurrent.TimeUnit

/**
 * bin/flyform run as a separate process, as a user runs it: for tests that kill or interrupt
 * it, which an in-process run could not survive.
 */
@CompileStatic
class FlyformProcess {

    static final Path LAUNCHER = Path.of('..', 'bin', 'flyform').toAbsolutePath().normalize()

    final Process process
    private final StringBuffer output = new StringBuffer()
    private final Thread reader

    private FlyformProcess(Process process) {
        this.process = process
        this.reader = Thread.start {
            process.inputStream.newReader().eachLine { String line -> output.append(line).append('\n') }
        }
    }

    static FlyformProcess start(Path dir, Map<String, String> env, List<String> args) {
        ProcessBuilder builder = new ProcessBuilder([LAUNCHER.toString(), '-no-color'] + args)
                .directory(dir.toFile())
                .redirectErrorStream(true)
        builder.environment().putAll(env)
        return new FlyformProcess(builder.start())
    }

    /** Runs to the end and answers the exit status. */
    static Result run(Path dir, Map<String, String> env, List<String> args) {
        FlyformProcess p = start(dir, env, args)
        return p.await()
    }

    Result await(long seconds = 120) {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            process.destroyForcibly()
            throw new IllegalStateException("flyform did not finish in ${seconds} s:\n${output}")
        }
        reader.join(5000)
        return new Result(process.exitValue(), output.toString())
    }

    String outputSoFar() {
        output.toString()
    }

    /** Sends SIGINT, as Ctrl-C does. */
    void interrupt() {
        new ProcessBuilder('kill', '-INT', String.valueOf(process.pid())).start().waitFor(10, TimeUnit.SECONDS)
    }

    @groovy.transform.Immutable
    static class Result {
        int exitCode
        String output

        @Override
        String toString() {
            "exit ${exitCode}\n${output}"
        }
    }
}
