package dev.flyform.engine.graph;

import dev.flyform.engine.addr.ResourceAddress;
import dev.flyform.engine.diag.Diagnostic;
import dev.flyform.engine.diag.DiagnosticsException;
import dev.flyform.engine.diag.SourceLocation;
import org.jgrapht.Graph;
import org.jgrapht.alg.cycle.CycleDetector;
import org.jgrapht.graph.DefaultEdge;
import org.jgrapht.graph.SimpleDirectedGraph;
import org.jgrapht.traverse.TopologicalOrderIterator;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
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
        List<ResourceAddress> cycle = shortestCycleThroughSmallest(g);
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

    /**
     * One cycle to show: the shortest through the smallest address that lies on any cycle, found
     * by a breadth-first search with sorted neighbours, so the message is the same on every run.
     */
    private static List<ResourceAddress> shortestCycleThroughSmallest(Graph<ResourceAddress, DefaultEdge> g) {
        ResourceAddress start = new TreeSet<>(new CycleDetector<>(g).findCycles()).first();
        Map<ResourceAddress, ResourceAddress> cameFrom = new HashMap<>();
        Deque<ResourceAddress> queue = new ArrayDeque<>(List.of(start));
        while (!queue.isEmpty()) {
            ResourceAddress at = queue.removeFirst();
            for (ResourceAddress next : referencedBy(g, at)) {
                if (next.equals(start)) {
                    List<ResourceAddress> path = new ArrayList<>();
                    for (ResourceAddress v = at; v != null; v = cameFrom.get(v)) {
                        path.add(0, v);
                    }
                    return path;
                }
                if (!cameFrom.containsKey(next)) {
                    cameFrom.put(next, at);
                    queue.addLast(next);
                }
            }
        }
        throw new IllegalStateException("cycle detector and search disagree about " + start);
    }

    /** What {@code v} refers to (its dependencies), so the cycle reads "a refers to b refers to ...". */
    private static Set<ResourceAddress> referencedBy(Graph<ResourceAddress, DefaultEdge> g, ResourceAddress v) {
        return g.incomingEdgesOf(v).stream().map(g::getEdgeSource).collect(Collectors.toCollection(TreeSet::new));
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
