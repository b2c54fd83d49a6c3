package dev.flyform.cli;

import dev.flyform.engine.addr.ResourceAddress;
import dev.flyform.engine.config.Configuration;
import dev.flyform.engine.diag.Diagnostic;
import dev.flyform.engine.diag.DiagnosticsException;
import dev.flyform.engine.plan.Action;
import dev.flyform.engine.plan.Plan;
import dev.flyform.engine.plan.Planner;
import dev.flyform.engine.plan.ResourceChange;
import dev.flyform.engine.provider.Provider;
import dev.flyform.engine.state.StateLock;
import dev.flyform.engine.state.StateStore;
import org.jgrapht.Graph;
import org.jgrapht.graph.DefaultEdge;
import org.jgrapht.graph.SimpleDirectedGraph;
import org.jgrapht.nio.Attribute;
import org.jgrapht.nio.DefaultAttribute;
import org.jgrapht.nio.dot.DOTExporter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.StringWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

@Command(name = "graph", mixinStandardHelpOptions = true,
        description = {"Print the dependency graph as DOT (Graphviz): an edge runs from what a resource depends on "
                + "to the resource, so creation follows the arrows. -type config (the default) reads only the "
                + "configuration, with no API call; -type plan plans (refreshing from Fly) and colours each resource "
                + "by what apply would do: green create, yellow update, red replace or delete, blue adopt."},
        footer = {"", "Examples:", "  flyform graph | dot -Tsvg > graph.svg", "  flyform graph -type plan -var pr=12"})
final class GraphCommand extends FlyformCommand {

    enum Type { config, plan }

    @Option(names = {"-type", "--type"}, paramLabel = "TYPE", defaultValue = "config",
            description = "config (the declarations) or plan (what apply would do). Default: ${DEFAULT-VALUE}.")
    Type type;

    @Mixin
    PlanFlags flags;

    @Override
    public Integer call() {
        try (Workspace ws = Workspace.open(options(), env())) {
            Configuration config = ws.configuration(flags.values(ws, env()));
            Provider offline = ws.offlineProvider();
            var diags = new Planner(offline).validate(config);
            diags.throwIfErrors();
            Map<ResourceAddress, Set<ResourceAddress>> edges = new TreeMap<>();
            new Planner(offline).linked(config).resources().forEach((a, r) -> edges.put(a, Planner.dependencies(r)));
            Map<ResourceAddress, Action> actions = new TreeMap<>();
            if (type == Type.plan) {
                Provider provider = ws.provider();
                StateStore store = ws.state(false);
                Plan plan;
                dev.flyform.engine.Engine engine = ws.engine(provider, store);
                try (StateLock ignored = ws.lock(engine, "plan", flags.lockWait())) {
                    plan = engine.plan(config, flags.options(false));
                }
                for (ResourceChange c : plan.changes()) {
                    actions.put(c.address(), c.action());
                    if (!edges.containsKey(c.address())) {
                        edges.put(c.address(), c.prior() == null ? Set.of() : c.prior().dependencies());
                    }
                }
            }
            env().out().print(dot(edges, actions));
            env().out().flush();
            return 0;
        }
    }

    /** The graph in DOT, vertices and edges in address order, so the same configuration prints the same text. */
    static String dot(Map<ResourceAddress, Set<ResourceAddress>> dependencies, Map<ResourceAddress, Action> actions) {
        Graph<ResourceAddress, DefaultEdge> graph = new SimpleDirectedGraph<>(DefaultEdge.class);
        dependencies.keySet().forEach(graph::addVertex);
        dependencies.forEach((dependent, deps) -> new java.util.TreeSet<>(deps).forEach(dep -> {
            if (graph.containsVertex(dep) && !dep.equals(dependent)) {
                graph.addEdge(dep, dependent);
            }
        }));
        DOTExporter<ResourceAddress, DefaultEdge> exporter = new DOTExporter<>(a -> "\"" + a + "\"");
        exporter.setGraphIdProvider(() -> "flyform");
        exporter.setGraphAttributeProvider(() -> {
            Map<String, Attribute> g = new LinkedHashMap<>();
            g.put("rankdir", DefaultAttribute.createAttribute("LR"));
            return g;
        });
        exporter.setVertexAttributeProvider(a -> {
            Map<String, Attribute> v = new LinkedHashMap<>();
            v.put("label", DefaultAttribute.createAttribute(a.toString()));
            v.put("shape", DefaultAttribute.createAttribute("box"));
            Action action = actions.get(a);
            String colour = action == null ? null : switch (action) {
                case CREATE -> "palegreen";
                case UPDATE -> "khaki1";
                case REPLACE, DELETE -> "lightpink";
                case ADOPT -> "lightblue";
                case NO_OP -> null;
            };
            if (colour != null) {
                v.put("style", DefaultAttribute.createAttribute("filled"));
                v.put("fillcolor", DefaultAttribute.createAttribute(colour));
                v.put("tooltip", DefaultAttribute.createAttribute(action.description()));
            }
            return v;
        });
        StringWriter out = new StringWriter();
        exporter.exportGraph(graph, out);
        return out.toString();
    }

    @Override
    java.util.List<String> notHonoured() {
        return java.util.List.of("-replace", "-target", "-input");
    }
}
