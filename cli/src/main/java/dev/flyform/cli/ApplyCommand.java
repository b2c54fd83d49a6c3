package dev.flyform.cli;

import dev.flyform.engine.apply.Applier;
import dev.flyform.engine.apply.ApplyListener;
import dev.flyform.engine.apply.ApplyResult;
import dev.flyform.engine.apply.StateRecorder;
import dev.flyform.engine.config.Configuration;
import dev.flyform.engine.diag.DiagnosticsException;
import dev.flyform.engine.plan.Plan;
import dev.flyform.engine.provider.Provider;
import dev.flyform.engine.state.StateLock;
import dev.flyform.engine.state.StateStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;

@Command(name = "apply", mixinStandardHelpOptions = true,
        description = {"Plan, ask for approval, then make exactly the planned changes, recording each one in the "
                + "state as it is made. Run twice, the second run changes nothing."})
final class ApplyCommand extends FlyformCommand {

    @Mixin
    PlanFlags flags;

    @Option(names = {"-auto-approve", "--auto-approve"}, description = "Apply without asking for approval.")
    boolean autoApprove;

    @Override
    public Integer call() {
        try (Workspace ws = Workspace.open(options(), env())) {
            Configuration config = ws.configuration(flags.variables);
            Provider provider = ws.provider();
            StateStore store = ws.state(true);
            try (StateLock ignored = store.lock("apply")) {
                Plan plan = ws.plan(config, provider, store, flags.refresh);
                printWarnings(plan.warnings());
                PlanRenderer renderer = new PlanRenderer(style());
                env().out().print(renderer.render(plan));
                env().out().print(renderer.outputChanges(Workspace.currentOutputs(config, store.read(), provider),
                        Workspace.plannedOutputs(config, plan, provider)));
                if (!plan.hasChanges()) {
                    if (plan.hasWork()) {
                        // Only the state names what is gone from Fly: tidy it, no approval needed.
                        new Applier(provider).apply(plan, store.read(), new StateRecorder(store));
                    }
                    env().out().print(renderer.outputs(Workspace.currentOutputs(config, store.read(), provider)));
                    env().out().flush();
                    return 0;
                }
                if (!autoApprove && !approved()) {
                    env().out().println("\nApply cancelled.");
                    env().out().flush();
                    return 1;
                }
                env().out().println();
                store.bindTarget(ws.target());
                ApplyResult result = new Applier(provider).apply(plan, store.read(),
                        ApplyListener.all(new StateRecorder(store), new ApplyProgress(env().out(), style())));
                printWarnings(result.diagnostics());
                if (!result.succeeded()) {
                    throw new DiagnosticsException(result.diagnostics().stream().filter(d -> d.isError()).toList());
                }
                env().out().println();
                env().out().println(style().green(style().bold("Apply complete!")) + " Resources: " + result.added()
                        + " added, " + result.changed() + " changed, " + result.destroyed() + " destroyed.");
                env().out().print(renderer.outputs(Workspace.currentOutputs(config, store.read(), provider)));
                env().out().flush();
                return 0;
            }
        }
    }

    private boolean approved() {
        env().out().println();
        env().out().println(style().bold("Do you want to perform these actions?"));
        env().out().println("  Only 'yes' will be accepted to approve.");
        env().out().print(style().bold("  Enter a value: "));
        env().out().flush();
        try {
            String answer = env().in().readLine();
            return answer != null && answer.strip().equals("yes");
        } catch (IOException e) {
            return false;
        }
    }
}
