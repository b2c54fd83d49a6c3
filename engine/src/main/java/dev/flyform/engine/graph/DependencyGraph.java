package dev.flyform.engine.graph;

import dev.flyform.engine.addr.ResourceAddress;
import dev.flyform.engine.diag.Diagnostic;
import dev.flyform.engine.diag.DiagnosticsException;
import dev.flyform.engine.diag.SourceLocation;
import org.jgrapht.Graph;
import org.jgrapht.alg.cycle.CycleDetector;
import org.jgrapht.alg.cycle.JohnsonSimpleCycles;
import org.jgrapht.graph.DefaultEdge;
import org.jgrapht.graph.SimpleDirectedGraph;
import org.jgrapht.traverse.TopologicalOrderIterator;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Resources and the references between them. An edge runs from a dependency to its dependent,
 * so topological order is creation order. Ties are broken by address, so orders are stable.
 */
public final class DependencyGraph {

    private final Graph<ResourceAddress, DefaultEdge> graph;

    private DependencyGraph(Graph<ResourceAddress, DefaultEdge> graph) {
        this.graph = graph;
    }

    /**
     * Builds the graph of {@code dependencies} (each address with what it depends on). A reference
     * to an address outside the map is ignored here: the planner reports it with its location.
     *
     * @throws DiagnosticsException naming the cycle when the references form one
     */
    public static DependencyGraph of(Map<ResourceAddress, Set<ResourceAddress>> dependencies,
                                     Function<ResourceAddress, SourceLocation> locations) {
        Graph<ResourceAddress, DefaultEdge> g = new SimpleDirectedGraph<>(DefaultEdge.class);
        new TreeSet<>(dependencies.keySet()).forEach(g::addVertex);
        List<ResourceAddress> selfReferences = new ArrayList<>();
        dependencies.forEach((dependent, deps) -> {
            for (ResourceAddress dep : deps) {
                if (dep.equals(dependent)) {
                    selfReferences.add(dependent);
                } else if (g.containsVertex(dep)) {
                    g.addEdge(dep, dependent);
                }
            }
        });
        if (!selfReferences.isEmpty()) {
            ResourceAddress a = selfReferences.stream().sorted().findFirst().orElseThrow();
            throw new DiagnosticsException(Diagnostic.error(
                    "Dependency cycle: " + a + " refers to itself", "A resource cannot depend on itself.")
                    .at(locations.apply(a)).forResource(a));
        }
        if (new CycleDetector<>(g).detectCycles()) {
            throw new DiagnosticsException(cycleDiagnostic(g, locations));
        }
        return new DependencyGraph(g);
    }

    private static Diagnostic cycleDiagnostic(Graph<ResourceAddress, DefaultEdge> g,
                                              Function<ResourceAddress, SourceLocation> locations) {
        List<List<ResourceAddress>> cycles = new JohnsonSimpleCycles<>(g).findSimpleCycles();
        List<ResourceAddress> cycle = cycles.stream()
                .map(DependencyGraph::rotateToSmallest)
                .min(Comparator.<List<ResourceAddress>>comparingInt(List::size).thenComparing(Object::toString))
                .orElseThrow();
        List<ResourceAddress> loop = new ArrayList<>(cycle);
        loop.add(cycle.get(0));
        String path = loop.stream().map(Object::toString).collect(Collectors.joining(" -> "));
        String where = cycle.stream()
                .map(a -> "  " + a + " at " + locations.apply(a))
                .collect(Collectors.joining("\n"));
        return Diagnostic.error("Dependency cycle: " + path,
                        "Each of these resources refers, directly or through the others, to itself:\n" + where)
                .at(locations.apply(cycle.get(0))).forResource(cycle.get(0));
    }

    private static List<ResourceAddress> rotateToSmallest(List<ResourceAddress> cycle) {
        int min = 0;
        for (int i = 1; i < cycle.size(); i++) {
            if (cycle.get(i).compareTo(cycle.get(min)) < 0) {
                min = i;
            }
        }
        List<ResourceAddress> rotated = new ArrayList<>(cycle.subList(min, cycle.size()));
        rotated.addAll(cycle.subList(0, min));
        return rotated;
    }

    /** Dependencies before dependents; unrelated resources by address. */
    public List<ResourceAddress> creationOrder() {
        List<ResourceAddress> order = new ArrayList<>();
        new TopologicalOrderIterator<>(graph, Comparator.<ResourceAddress>naturalOrder()).forEachRemaining(order::add);
        return order;
    }

    /** Dependents before dependencies: the order to delete in. */
    public List<ResourceAddress> deletionOrder() {
        List<ResourceAddress> order = creationOrder();
        java.util.Collections.reverse(order);
        return order;
    }

    public Set<ResourceAddress> dependenciesOf(ResourceAddress address) {
        return graph.incomingEdgesOf(address).stream().map(graph::getEdgeSource)
                .collect(Collectors.toCollection(TreeSet::new));
    }
}
