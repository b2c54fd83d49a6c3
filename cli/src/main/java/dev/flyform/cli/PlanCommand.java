package dev.flyform.cli;

import dev.flyform.engine.diag.Diagnostic;
import dev.flyform.engine.diag.DiagnosticsException;

import dev.flyform.engine.config.Configuration;
import dev.flyform.engine.config.Outputs;
import dev.flyform.engine.plan.Plan;
import dev.flyform.engine.plan.PlanOptions;
import dev.flyform.engine.provider.Provider;
import dev.flyform.engine.state.StateLock;
import dev.flyform.engine.state.StateStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;

@Command(name = "plan", mixinStandardHelpOptions = true,
        description = {"Show what apply would change: refresh what exists, compare it with the configuration, "
                + "and print each create (+), update (~), replace (-/+), destroy (-) and adoption (=). Changes nothing."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:no changes (or changes, without -detailed-exitcode)", "1:error",
                "2:changes present (with -detailed-exitcode)"},
        footer = {"", "Examples:", "  flyform plan -out tfplan        then: flyform apply tfplan",
                "  flyform plan -target fly_app.web -var org=acme", "  flyform plan -destroy -json"})
final class PlanCommand extends FlyformCommand {

    @Mixin
    PlanFlags flags;

    @Option(names = {"-detailed-exitcode", "--detailed-exitcode"},
            description = "Exit 2 when the plan has changes, 0 when it has none.")
    boolean detailedExitCode;

    @Option(names = {"-out", "--out"}, paramLabel = "FILE",
            description = "Save the plan to FILE for `flyform apply FILE` (no secret value is written).")
    Path out;

    @Option(names = {"-destroy", "--destroy"}, description = "Plan the deletion of everything in the state.")
    boolean destroy;

    @Option(names = {"-json", "--json"}, description = "Print the plan as JSON (docs/json-format.md).")
    boolean json;

    @Option(names = {"-parallelism", "--parallelism"}, paramLabel = "N", defaultValue = "10",
            description = "As for apply: at most N operations at once (default: ${DEFAULT-VALUE}). A plan reads Fly in a few "
                    + "batched requests, one after another, so any N of at least 1 is kept.")
    int parallelism = 10;

    @Override
    public Integer call() {
        if (!json) {
            return plan();
        }
        try {
            return plan();
        } catch (DiagnosticsException e) {
            // In -json mode an error is JSON too: as validate -json writes it.
            env().out().println(ValidateCommand.document(e.diagnostics()).toString());
            env().out().flush();
            return 1;
        }
    }

    private Integer plan() {
        if (parallelism < 1) {
            throw new DiagnosticsException(Diagnostic.error("-parallelism must be at least 1, got " + parallelism,
                    "Give how many operations may run at once, e.g. -parallelism 10."));
        }
        try (Workspace ws = Workspace.open(options(), env()).prefetch().waitingForLock(flags.lockWait())) {
            Configuration config = ws.configuration(flags.values(ws, env()));
            Provider provider = ws.provider();
            // A saved plan binds to the state's lineage and digest key: they must exist from now on.
            StateStore store = ws.state(out != null);
            PlanOptions planOptions = flags.options(destroy);
            Plan plan;
            List<Outputs.Value> before;
            List<Outputs.Value> after;
            String digestKey;
            dev.flyform.engine.Engine engine = ws.engine(provider, store);
            try (StateLock ignored = ws.lock(engine, "plan", flags.lockWait())) {
                plan = engine.plan(config, planOptions);
                before = store.outputs();
                after = engine.plannedOutputs(config, plan);
                digestKey = store.read().digestKey();
            }
            java.util.function.Predicate<String> holdsData = PlanRenderer.holdingData(provider.schema());
            PlanRenderer renderer = new PlanRenderer(style(), holdsData);
            if (json) {
                env().out().println(PlanJson.plan(plan, before, after, holdsData).toString());
            } else {
                printWarnings(plan.warnings());
                env().out().print(renderer.render(plan));
                env().out().print(renderer.outputChanges(before, after));
            }
            if (out != null) {
                Path file = ws.directory().resolve(out);
                PlanRenderer plain = new PlanRenderer(new Style(false), holdsData);
                PlanFile.of(PlanJson.plan(plan, before, after, holdsData), plan, digestKey, planOptions, flags.values(ws, env()).values())
                        .withText(plain.render(plan) + plain.outputChanges(before, after))
                        .withSaved(new SavedPlan(provider.schema(), digestKey).write(plan, List.copyOf(config.outputs().values())))
                        .write(file);
                if (!json) {
                    env().out().println("\nSaved the plan to " + out + ". To make exactly these changes, run: flyform apply " + out);
                }
            }
            env().out().flush();
            return detailedExitCode && plan.hasChanges() ? 2 : 0;
        }
    }
}
