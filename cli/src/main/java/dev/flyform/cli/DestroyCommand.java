package dev.flyform.cli;

import picocli.CommandLine.Command;

@Command(name = "destroy", mixinStandardHelpOptions = true,
        description = {"Delete everything the state holds (or only -target and what depends on it). "
                + "Asks for `yes` (read from standard input, as apply does) unless -auto-approve is given."},
        footer = {"", "Examples:", "  flyform destroy", "  flyform destroy -target fly_app.preview_pr-101 -auto-approve"})
final class DestroyCommand extends ApplyCommand {

    @Override
    public Integer call() {
        destroy = true;
        if (planFile != null) {
            throw new dev.flyform.engine.diag.DiagnosticsException(dev.flyform.engine.diag.Diagnostic.error(
                    "destroy takes no plan file", "Use `flyform plan -destroy -out FILE` and `flyform apply FILE`."));
        }
        return super.call();
    }

    @Override
    java.util.List<String> notHonoured() {
        return java.util.List.of("-replace", "PLANFILE");
    }
}
