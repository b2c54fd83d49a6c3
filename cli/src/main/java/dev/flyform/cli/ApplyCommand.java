package dev.flyform.cli;

import dev.flyform.engine.Engine;
import dev.flyform.engine.apply.ApplyResult;
import dev.flyform.engine.apply.Cancellation;
import dev.flyform.engine.apply.Recovery;
import dev.flyform.engine.config.Configuration;
import dev.flyform.engine.diag.Diagnostic;
import dev.flyform.engine.diag.DiagnosticsException;
import dev.flyform.engine.plan.Plan;
import dev.flyform.engine.provider.Provider;
import dev.flyform.engine.state.StateLock;
import dev.flyform.engine.state.StateStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.util.List;

@Command(name = "apply", mixinStandardHelpOptions = true,
        description = {"Plan, ask for approval, then make exactly the planned changes, recording each one in the "
                + "state as it is made. Run twice, the second run changes nothing.",
                "",
                "Before each create an intent is recorded; creates left unfinished by a crash or a lost answer are "
                        + "reconciled first, on the next run. Objects that exist on Fly but not in the state are "
                        + "adopted, never made twice. Ctrl-C lets the change in flight finish and be recorded, then stops."})
class ApplyCommand extends FlyformCommand {

    @Mixin
    PlanFlags flags;

    @Option(names = {"-auto-approve", "--auto-approve"}, description = "Apply without asking for approval.")
    boolean autoApprove;

    @picocli.CommandLine.Parameters(index = "0", arity = "0..1", paramLabel = "PLANFILE",
            description = "A plan saved with `flyform plan -out`: make exactly its changes (no approval asked), "
                    + "or refuse when the state, the configuration or Fly moved since.")
    java.nio.file.Path planFile;

    @Option(names = {"-parallelism", "--parallelism"}, paramLabel = "N", defaultValue = "10",
            description = "Make up to N changes at once on independent branches of the graph (default: ${DEFAULT-VALUE}); "
                    + "requests still keep to Fly's rate limits.")
    int parallelism = 10;

    /** Set by `destroy`: plan the deletion of everything in the state. */
    boolean destroy;

    @Option(names = {"-json", "--json"},
            description = "Machine-readable: one JSON event per line (docs/events.schema.json), errors too. Needs "
                    + "-auto-approve or a saved plan: nothing is asked.")
    boolean json;

    private JsonEvents events;

    String operation() {
        return destroy ? "destroy" : "apply";
    }

    @Override
    public Integer call() {
        try {
            if (!json) {
                return run();
            }
            events = new JsonEvents(env().out());
            events.version();
            try {
                if (!autoApprove && planFile == null) {
                    throw new DiagnosticsException(Diagnostic.error("-json needs -auto-approve (or a saved plan)",
                            "In machine-readable mode nothing is asked: say -auto-approve, or apply a plan made with plan -out."));
                }
                return run();
            } catch (DiagnosticsException e) {
                e.diagnostics().forEach(events::diagnostic);
                return 1;
            }
        } finally {
            env().out().flush();
            env().err().flush();
        }
    }

    private Integer run() {
        if (parallelism < 1) {
            throw new DiagnosticsException(Diagnostic.error("-parallelism must be at least 1, got " + parallelism,
                    "Give how many changes may be made at once, e.g. -parallelism 10."));
        }
        try (Workspace ws = Workspace.open(options(), env()).prefetch().waitingForLock(flags.lockWait())) {
            PlanFile saved = planFile == null ? null : PlanFile.read(ws.directory().resolve(planFile));
            if (saved != null && (!flags.targets.isEmpty() || !flags.replace.isEmpty())) {
                throw new DiagnosticsException(Diagnostic.error("-target and -replace cannot be given with a saved plan",
                        "The plan was made with its own; make a new plan to change them."));
            }
            StateStore store = saved != null ? ws.state(true) : null;
            VariableValues variables = saved != null
                    ? saved.variablesWith(flags.values(ws, env()), store.read().digestKey()) : flags.values(ws, env());
            // A saved plan is applied as it was saved: the configuration is read only for the secrets
            // the plan file does not hold, and only when it has some.
            Configuration declared = saved != null ? null : ws.configuration(variables);
            Provider provider = ws.provider();
            if (store == null) {
                store = ws.state(true);
            }
            Engine engine = ws.engine(provider, store);
            try (StateLock ignored = ws.lock(engine, operation(), flags.lockWait())) {
                Plan plan;
                Configuration config;
                if (saved != null) {
                    engine.checkSaved(saved.lineage(), saved.serial());
                    if (!saved.whole()) {
                        throw new DiagnosticsException(Diagnostic.error(planFile + " was saved by an older flyform",
                                "It does not hold its changes whole. Make it again with flyform plan -out " + planFile + "."));
                    }
                    SavedPlan codec = new SavedPlan(provider.schema(), store.read().digestKey());
                    Configuration[] now = new Configuration[1];
                    plan = codec.read(saved.saved(), (address, attribute) -> {
                        if (now[0] == null) {
                            now[0] = ws.configuration(variables);
                        }
                        return now[0].resource(address).map(r -> r.attributes().get(attribute)).orElse(null);
                    });
                    config = new Configuration(java.util.Map.of(), codec.outputs(saved.saved()).stream()
                            .collect(java.util.stream.Collectors.toMap(dev.flyform.engine.config.Output::name, o -> o)));
                    engine.checkUnchanged(plan, String.valueOf(planFile));
                } else {
                    config = declared;
                    recover(engine);
                    plan = engine.plan(config, flags.options(destroy));
                }
                if (json) {
                    return applyJson(engine, plan, config, store);
                }
                printWarnings(plan.warnings());
                PlanRenderer renderer = new PlanRenderer(style(), PlanRenderer.holdingData(provider.schema()));
                env().out().print(renderer.render(plan));
                env().out().print(renderer.outputChanges(store.outputs(), engine.plannedOutputs(config, plan)));
                if (!plan.hasChanges()) {
                    engine.record(plan);   // only the state is behind, if anything: no approval needed
                    engine.recordProtections(config);
                    engine.recordOutputs(config, plan, destroy);
                    env().out().print(renderer.outputs(store.outputs()));
                    env().out().flush();
                    return 0;
                }
                if (saved == null && !autoApprove && !approved()) {
                    env().out().println(destroy ? "\nDestroy cancelled." : "\nApply cancelled.");
                    env().out().flush();
                    return 1;
                }
                env().out().println();
                ApplyResult result = applyInterruptibly(engine, plan);
                // Recorded whatever the outcome, from what the state now holds: output reads them.
                engine.recordProtections(config);
                engine.recordOutputs(config, plan, destroy);
                printWarnings(result.diagnostics());
                if (result.interrupted()) {
                    env().err().println(style().red("Interrupted.") + " The change in flight finished and was recorded; "
                            + "nothing else was started (" + result.added() + " added, " + result.changed() + " changed, "
                            + result.destroyed() + " destroyed). Run apply again to finish.");
                    env().err().flush();
                    return 1;
                }
                if (!result.succeeded()) {
                    throw new DiagnosticsException(result.diagnostics().stream().filter(Diagnostic::isError).toList());
                }
                env().out().println();
                env().out().println(style().green(style().bold(destroy ? "Destroy complete!" : "Apply complete!"))
                        + " Resources: " + result.added()
                        + " added, " + result.changed() + " changed, " + result.destroyed() + " destroyed"
                        + (result.adopted() > 0 ? ", " + result.adopted() + " adopted." : "."));
                long retried = ws.transportRetries();
                if (retried > 0 || result.recreated() > 0) {
                    env().out().println("Retries: " + retried + " API call" + (retried == 1 ? "" : "s")
                            + " retried after transient failures; " + result.recreated() + " create"
                            + (result.recreated() == 1 ? "" : "s") + " sent again after a reconcile found nothing.");
                }
                if (!destroy) {
                    env().out().print(renderer.outputs(store.outputs()));
                }
                env().out().flush();
                return 0;
            }
        }
    }

    /** {@code -json}: the same steps as a text apply, each told as an event. */
    private int applyJson(Engine engine, Plan plan, Configuration config, StateStore store) {
        plan.warnings().forEach(events::diagnostic);
        events.planned(plan);
        if (!plan.hasChanges()) {
            engine.record(plan);
            engine.recordProtections(config);
            engine.recordOutputs(config, plan, destroy);
            events.outputs(store.outputs());
            return 0;
        }
        ApplyResult result = engine.apply(plan, operation(), parallelism, events, new Cancellation());
        engine.recordProtections(config);
        engine.recordOutputs(config, plan, destroy);
        result.diagnostics().forEach(events::diagnostic);
        events.summary(result, operation());
        if (!destroy) {
            events.outputs(store.outputs());
        }
        return result.succeeded() && !result.interrupted() ? 0 : 1;
    }

    /** Creates that an earlier run left unfinished are settled before anything is planned. */
    private void recover(Engine engine) {
        Recovery.Outcome outcome = engine.recover();
        if (outcome == null) {
            return;
        }
        if (outcome.diagnostics().stream().anyMatch(Diagnostic::isError)) {
            throw new DiagnosticsException(outcome.diagnostics().stream().filter(Diagnostic::isError).toList());
        }
        if (json) {
            outcome.diagnostics().forEach(events::diagnostic);
            events.diagnostic(Diagnostic.warning("Reconciled " + (outcome.adopted().size() + outcome.dropped())
                    + " create(s) an earlier run left unfinished", outcome.adopted().size() + " found and recorded, "
                    + outcome.dropped() + " had made nothing."));
            return;
        }
        printWarnings(outcome.diagnostics());
        env().out().println("Reconciled " + (outcome.adopted().size() + outcome.dropped())
                + " create(s) an earlier run left unfinished: " + outcome.adopted().size() + " found and recorded"
                + (outcome.adopted().isEmpty() ? "" : " (" + String.join(", ", outcome.adopted()) + ")")
                + ", " + outcome.dropped() + " had made nothing.\n");
    }

    /**
     * Ctrl-C (SIGINT) or SIGTERM asks apply to stop between two changes: the signal is caught
     * before the JVM begins to shut down, so the change in flight finishes and is recorded, and
     * this run still reports what it did. A second signal stops at once.
     */
    @SuppressWarnings("removal")
    private ApplyResult applyInterruptibly(Engine engine, Plan plan) {
        Cancellation cancellation = new Cancellation();
        java.util.Map<sun.misc.Signal, sun.misc.SignalHandler> previous = new java.util.HashMap<>();
        for (String name : new String[] {"INT", "TERM"}) {
            sun.misc.Signal signal = new sun.misc.Signal(name);
            previous.put(signal, sun.misc.Signal.handle(signal, s -> {
                if (cancellation.requested()) {
                    Runtime.getRuntime().halt(130);
                }
                cancellation.request();
            }));
        }
        ApplyProgress progress = new ApplyProgress(env().out(), style(), progressInterval());
        try {
            if (parallelism < 1) {
                throw new DiagnosticsException(Diagnostic.error("-parallelism must be at least 1, got " + parallelism, ""));
            }
            return engine.apply(plan, operation(), parallelism, progress, cancellation);
        } finally {
            progress.close();
            previous.forEach(sun.misc.Signal::handle);
        }
    }

    /** How often a long change says it is still running: FLYFORM_PROGRESS_INTERVAL seconds, default 10. */
    private java.time.Duration progressInterval() {
        String value = env().variable("FLYFORM_PROGRESS_INTERVAL");
        return value == null ? java.time.Duration.ofSeconds(10) : Durations.parse("FLYFORM_PROGRESS_INTERVAL", value);
    }

    private boolean approved() {
        env().out().println();
        if (destroy) {
            env().out().println(style().bold("Do you really want to destroy these resources?"));
            env().out().println("  flyform will delete the objects shown above from Fly. There is no undo.");
            env().out().println("  Only 'yes' will be accepted to confirm.");
        } else {
            env().out().println(style().bold("Do you want to perform these actions?"));
            env().out().println("  Only 'yes' will be accepted to approve.");
        }
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
