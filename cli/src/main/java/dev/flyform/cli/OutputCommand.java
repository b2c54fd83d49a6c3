package dev.flyform.cli;

import dev.flyform.engine.config.Configuration;
import dev.flyform.engine.config.Outputs;
import dev.flyform.engine.diag.Diagnostic;
import dev.flyform.engine.diag.DiagnosticsException;
import dev.flyform.engine.state.StateStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.List;

@Command(name = "output", mixinStandardHelpOptions = true,
        description = {"Print the outputs, from the configuration and the state (no API call). "
                + "With NAME, only that output's value; sensitive values are shown only when NAME asks for them."},
        footer = {"", "Examples:", "  flyform output", "  flyform output www_cname_target", "  flyform output -json"})
final class OutputCommand extends FlyformCommand {

    @Parameters(index = "0", arity = "0..1", paramLabel = "NAME", description = "One output.")
    String name;

    @Option(names = {"-json", "--json"}, description = "As JSON (docs/json-format.md).")
    boolean json;

    @Option(names = {"-raw", "--raw"}, description = "With NAME: the value alone, a string without quotes and with no newline "
            + "after it, for shell scripts (as Terraform's output -raw).")
    boolean raw;

    @Mixin
    PlanFlags flags;

    @Override
    public Integer call() {
        try (Workspace ws = Workspace.open(options(), env())) {
            Configuration config = ws.configuration(flags.variables);
            StateStore store = ws.state(false);
            List<Outputs.Value> values = Workspace.currentOutputs(config, store.read(), ws.offlineProvider());
            if (name != null) {
                values = values.stream().filter(v -> v.name().equals(name)).toList();
                if (values.isEmpty()) {
                    throw new DiagnosticsException(Diagnostic.error("No output named \"" + name + "\"",
                            dev.flyform.engine.diag.Suggestions.didYouMean(name, config.outputs().keySet())));
                }
            }
            if (raw) {
                if (name == null) {
                    throw new DiagnosticsException(Diagnostic.error("-raw needs an output's NAME", "Write: flyform output -raw NAME"));
                }
                Object value = values.get(0).value();
                if (value instanceof java.util.Map<?, ?> || value instanceof java.util.List<?>) {
                    throw new DiagnosticsException(Diagnostic.error("Output \"" + name + "\" is not a string, number or bool",
                            "-raw prints only those; use -json for it."));
                }
                env().out().print(value == null ? "" : String.valueOf(value));
            } else if (json) {
                env().out().println(name == null ? PlanJson.outputs(values).toString()
                        : PlanJson.value(values.get(0).value(), false).toString());
            } else if (name != null) {
                env().out().println(PlanRenderer.value(values.get(0).value(), false));
            } else {
                env().out().print(new PlanRenderer(style()).outputs(values).replaceFirst("^\\n", ""));
            }
            return 0;
        }
    }

    @Override
    java.util.List<String> notHonoured() {
        return java.util.List.of("-target", "-replace", "-refresh", "-lock-timeout", "-input");
    }
}
