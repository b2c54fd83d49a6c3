package dev.flyform.cli;

import dev.flyform.engine.config.Configuration;
import dev.flyform.engine.plan.Plan;
import dev.flyform.engine.provider.Provider;
import dev.flyform.engine.state.StateLock;
import dev.flyform.engine.state.StateStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "plan", mixinStandardHelpOptions = true,
        description = {"Show what apply would change: refresh what exists, compare it with the configuration, "
                + "and print each create (+), update (~), replace (-/+) and destroy (-). Changes nothing."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:no changes (or changes, without -detailed-exitcode)", "1:error",
                "2:changes present (with -detailed-exitcode)"})
final class PlanCommand extends FlyformCommand {

    @Mixin
    PlanFlags flags;

    @Option(names = {"-detailed-exitcode", "--detailed-exitcode"},
            description = "Exit 2 when the plan has changes, 0 when it has none.")
    boolean detailedExitCode;

    @Override
    public Integer call() {
        try (Workspace ws = Workspace.open(options(), env())) {
            Configuration config = ws.configuration(flags.variables);
            Provider provider = ws.provider();
            StateStore store = ws.state(false);
            Plan plan;
            String outputChanges;
            PlanRenderer renderer = new PlanRenderer(style());
            try (StateLock ignored = store.lock("plan")) {
                plan = ws.plan(config, provider, store, flags.refresh);
                outputChanges = renderer.outputChanges(Workspace.currentOutputs(config, store.read(), provider),
                        Workspace.plannedOutputs(config, plan, provider));
            }
            printWarnings(plan.warnings());
            env().out().print(renderer.render(plan));
            env().out().print(outputChanges);
            env().out().flush();
            return detailedExitCode && plan.hasChanges() ? 2 : 0;
        }
    }
}
