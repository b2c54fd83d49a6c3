package dev.flyform.cli;

import dev.flyform.engine.config.Configuration;
import dev.flyform.engine.diag.Diagnostics;
import dev.flyform.engine.plan.Planner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "validate", mixinStandardHelpOptions = true,
        description = {"Check the configuration: parse every *.fly.groovy file, check types and attributes, "
                + "build the dependency graph. Makes no API call and reads no state."})
final class ValidateCommand extends FlyformCommand {

    @Mixin
    PlanFlags flags;

    @Override
    public Integer call() {
        try (Workspace ws = Workspace.open(options(), env())) {
            Configuration config = ws.configuration(flags.variables);
            Diagnostics diags = new Planner(ws.offlineProvider()).validate(config);
            diags.throwIfErrors();
            printWarnings(diags.all());
            env().out().println(style().green("Success!") + " The configuration is valid ("
                    + config.resources().size() + " resource" + (config.resources().size() == 1 ? "" : "s") + ").");
            return 0;
        }
    }

    @Override
    java.util.List<String> notHonoured() {
        return java.util.List.of("-target", "-replace", "-refresh", "-lock-timeout", "-input");
    }
}
