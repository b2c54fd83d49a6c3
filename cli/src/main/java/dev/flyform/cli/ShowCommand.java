package dev.flyform.cli;

import dev.flyform.engine.state.ResourceState;
import dev.flyform.engine.state.State;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;

@Command(name = "show", mixinStandardHelpOptions = true,
        description = {"Show a saved plan, or, without one, what the state holds (sensitive values hidden)."},
        footer = {"", "Examples:", "  flyform show", "  flyform show tfplan -json"})
final class ShowCommand extends FlyformCommand {

    @Parameters(index = "0", arity = "0..1", paramLabel = "PLANFILE", description = "A plan saved with `plan -out`.")
    Path planFile;

    @Option(names = {"-json", "--json"}, description = "As JSON (docs/json-format.md).")
    boolean json;

    @Override
    public Integer call() {
        try (Workspace ws = Workspace.open(options(), env())) {
            if (planFile != null) {
                PlanFile saved = PlanFile.read(ws.directory().resolve(planFile));
                if (json) {
                    env().out().println(saved.plan().toString());
                } else {
                    env().out().print(saved.text().isEmpty() ? describe(saved) : saved.text());
                }
                return 0;
            }
            var store = ws.state(false);
            State state = store.read();
            var outputs = store.outputs();
            var provider = ws.offlineProvider();
            java.util.function.BiPredicate<String, String> sensitive = (type, attr) ->
                    provider.schema().resourceType(type).map(t -> t.isSensitive(attr)).orElse(false);
            if (json) {
                env().out().println(PlanJson.state(state, outputs, sensitive).toString());
                return 0;
            }
            if (state.resources().isEmpty()) {
                env().out().println("The state is empty.");
            }
            for (ResourceState r : state.resources().values()) {
                env().out().println("# " + r.address() + ":");
                env().out().println("resource \"" + r.address().type() + "\" \"" + r.address().name() + "\" {");
                int width = r.attributes().keySet().stream().mapToInt(String::length).max().orElse(0);
                r.attributes().forEach((k, v) -> env().out().println("    " + k + " ".repeat(width - k.length()) + " = "
                        + PlanRenderer.value(v, sensitive.test(r.address().type(), k))));
                env().out().println("}");
                env().out().println();
            }
            env().out().print(new PlanRenderer(style()).outputs(outputs).replaceFirst("^\\n", ""));
            return 0;
        }
    }

    private static String describe(PlanFile saved) {
        StringBuilder out = new StringBuilder("Saved plan against state serial " + saved.serial() + ":\n");
        saved.plan().path("resource_changes").forEach(c -> {
            java.util.List<String> list = new java.util.ArrayList<>();
            c.path("actions").forEach(a -> list.add(a.asText()));
            String actions = String.join(", ", list);
            if (!actions.equals("no-op")) {
                out.append("  ").append(c.path("address").asText()).append(": ").append(actions).append('\n');
            }
        });
        return out.toString();
    }
}
