package dev.flyform.cli;

import java.util.concurrent.Callable;

/** A command that only groups others ({@code flyform state}, {@code flyform workspace}): alone, it prints its help. */
abstract class CommandGroup implements Callable<Integer> {

    @picocli.CommandLine.ParentCommand
    Flyform root;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(root.environment().out());
        return 0;
    }
}
