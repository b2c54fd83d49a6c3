package dev.flyform.cli;

import dev.flyform.engine.diag.Diagnostic;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

import java.util.List;
import java.util.concurrent.Callable;

/** What every subcommand shares: the global options, the environment and the output. */
abstract class FlyformCommand implements Callable<Integer> {

    @Mixin
    GlobalOptions localOptions;

    /** The command above: {@code flyform}, or a group such as {@code flyform state}. */
    @ParentCommand
    Object parent;

    Flyform root() {
        return parent instanceof CommandGroup group ? group.root : (Flyform) parent;
    }

    /**
     * Options (and positional parameters, by label) this command inherits or mixes in but does
     * not honour: they are removed from it, so --help lists only what works and giving one is an
     * unknown option.
     */
    java.util.List<String> notHonoured() {
        return java.util.List.of();
    }

    GlobalOptions options() {
        return localOptions.over(root().globalOptions);
    }

    CliEnvironment env() {
        return root().environment();
    }

    Style style() {
        return new Style(env().terminal() && !options().noColor && env().variable("NO_COLOR") == null);
    }

    void printWarnings(List<Diagnostic> diagnostics) {
        for (Diagnostic d : diagnostics) {
            if (!d.isError()) {
                env().err().println(style().yellow(d.render()));
                env().err().println();
            }
        }
        env().err().flush();
    }
}
