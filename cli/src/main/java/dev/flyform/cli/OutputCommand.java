package dev.flyform.cli;

import dev.flyform.engine.config.Outputs;
import dev.flyform.engine.diag.Diagnostic;
import dev.flyform.engine.diag.DiagnosticsException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.List;

@Command(name = "output", mixinStandardHelpOptions = true,
        description = {"Print the outputs the last apply recorded in the state: the configuration is not read, so no -var "
                + "or environment variable is needed, and nothing that was not applied is shown (no API call). "
                + "A sensitive output is recorded without its value: it is listed, never printed."},
        footer = {"", "Examples:", "  flyform output", "  flyform output www_cname_target", "  flyform output -raw app_url",
                "  flyform output -json"})
final class OutputCommand extends FlyformCommand {

    @Parameters(index = "0", arity = "0..1", paramLabel = "NAME", description = "One output.")
    String name;

    @Option(names = {"-json", "--json"}, description = "As JSON (docs/json-format.md).")
    boolean json;

    @Option(names = {"-raw", "--raw"}, description = "With NAME: the value alone, a string without quotes and with no newline "
            + "after it, for shell scripts (as Terraform's output -raw).")
    boolean raw;

    @Override
    public Integer call() {
        try (Workspace ws = Workspace.open(options(), env())) {
            List<Outputs.Value> values = ws.state(false).outputs();
            if (name != null) {
                List<String> names = values.stream().map(Outputs.Value::name).toList();
                values = values.stream().filter(v -> v.name().equals(name)).toList();
                if (values.isEmpty()) {
                    throw new DiagnosticsException(Diagnostic.error("No output named \"" + name + "\" was recorded",
                            names.isEmpty() ? "Outputs are recorded by apply; none has recorded any here yet."
                                    : "Outputs are those the last apply recorded. "
                                    + dev.flyform.engine.diag.Suggestions.didYouMean(name, names)));
                }
                if (values.get(0).sensitive()) {
                    throw new DiagnosticsException(Diagnostic.error("Output \"" + name + "\" is sensitive",
                            "flyform never writes a sensitive value to the state, so it cannot print it; "
                                    + "read it where it comes from."));
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
                env().out().print(new PlanRenderer(style()).outputLines(values));
            }
            return 0;
        }
    }
}
