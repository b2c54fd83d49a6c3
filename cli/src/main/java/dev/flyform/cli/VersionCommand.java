package dev.flyform.cli;

import picocli.CommandLine.Command;

@Command(name = "version", mixinStandardHelpOptions = true, description = "Print flyform's version (as -version and --version do).")
final class VersionCommand extends FlyformCommand {

    @Override
    public Integer call() {
        for (String line : root().spec.version()) {
            env().out().println(line);
        }
        env().out().flush();
        return 0;
    }
}
