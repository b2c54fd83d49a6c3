package dev.flyform.engine.plan;

import dev.flyform.engine.addr.ResourceAddress;
import dev.flyform.engine.config.Configuration;
import dev.flyform.engine.config.ResourceConfig;
import dev.flyform.engine.config.Unknown;
import dev.flyform.engine.config.Values;
import dev.flyform.engine.diag.Diagnostic;
import dev.flyform.engine.diag.Diagnostics;
import dev.flyform.engine.diag.SourceLocation;
import dev.flyform.engine.diag.Suggestions;
import dev.flyform.engine.graph.DependencyGraph;
import dev.flyform.engine.provider.AttributeSchema;
import dev.flyform.engine.provider.PlanRequest;
import dev.flyform.engine.provider.PlanResponse;
import dev.flyform.engine.provider.Provider;
import dev.flyform.engine.provider.ProviderSchema;
import dev.flyform.engine.provider.ReadRequest;
import dev.flyform.engine.provider.ReadResponse;
import dev.flyform.engine.provider.ResourceSchema;
import dev.flyform.engine.provider.ValidateRequest;
import dev.flyform.engine.state.ResourceState;
import dev.flyform.engine.state.State;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Compares what is declared with what exists and picks one action per resource. The provider
 * proposes planned states and names replace-forcing attributes; the planner decides.
 */
public final class Planner {

    private final Provider provider;
    private final ProviderSchema schema;

    public Planner(Provider provider) {
        this.provider = provider;
        this.schema = provider.schema();
    }

    /** Checks the configuration without any API call: types, attributes, references, cycles. */
    public Diagnostics validate(Configuration config) {
        Diagnostics diags = new Diagnostics();
        for (ResourceConfig resource : config.resources().values()) {
            Optional<ResourceSchema> type = schema.resourceType(resource.address().type());
            if (type.isEmpty()) {
                diags.add(Diagnostic.error("Unknown resource type " + resource.address().type(),
                                Suggestions.didYouMean(resource.address().type(), schema.resourceTypes().keySet()))
                        .at(resource.location()).forResource(resource.address()));
                continue;
            }
            validateAttributes(resource, type.get(), diags);
            for (ResourceAddress dep : resource.dependsOn()) {
                if (config.resource(dep).isEmpty()) {
                    diags.add(Diagnostic.error("Reference to undeclared resource " + dep, "")
                            .at(resource.location()).forResource(resource.address()));
                }
            }
            if (!diags.hasErrors()) {
                for (Diagnostic d : provider.validate(new ValidateRequest(resource)).diagnostics()) {
                    diags.add(locate(d, resource));
                }
            }
        }
        if (!diags.hasErrors()) {
            Map<ResourceAddress, Set<ResourceAddress>> deps = new TreeMap<>();
            config.resources().forEach((a, r) -> deps.put(a, r.dependsOn()));
            try {
                DependencyGraph.of(deps, a -> config.resources().get(a).location());
            } catch (dev.flyform.engine.diag.DiagnosticsException e) {
                diags.addAll(e.diagnostics());
            }
        }
        return diags;
    }

    private static void validateAttributes(ResourceConfig resource, ResourceSchema type, Diagnostics diags) {
        for (Map.Entry<String, Object> attr : resource.attributes().entrySet()) {
            AttributeSchema a = type.attributes().get(attr.getKey());
            SourceLocation where = resource.locationOf(attr.getKey());
            if (a == null || !a.settable()) {
                String hint = Suggestions.didYouMean(attr.getKey(), type.settableNames());
                diags.add(Diagnostic.error("Unsupported attribute `" + attr.getKey() + "` in " + type.type(),
                                (hint.isEmpty() ? "" : hint + " ") + "Attributes of " + type.type() + ": "
                                        + String.join(", ", type.settableNames()) + ".")
                        .at(where).forResource(resource.address()).forAttribute(attr.getKey()));
            } else if (attr.getValue() != null && !(attr.getValue() instanceof Unknown) && !a.type().accepts(attr.getValue())) {
                diags.add(Diagnostic.error("Wrong type for `" + attr.getKey() + "`",
                                "Expected a " + a.type().name().toLowerCase() + ", got " + describe(attr.getValue()) + ".")
                        .at(where).forResource(resource.address()).forAttribute(attr.getKey()));
            }
        }
        for (AttributeSchema a : type.attributes().values()) {
            if (a.required() && resource.attributes().get(a.name()) == null) {
                diags.add(Diagnostic.error("Missing required attribute `" + a.name() + "` in " + type.type(),
                                a.description() == null ? "" : a.description())
                        .at(resource.location()).forResource(resource.address()).forAttribute(a.name()));
            }
        }
    }

    private static String describe(Object value) {
        return value.getClass().getSimpleName() + " " + value;
    }

    /**
     * Plans the changes that take {@code state} to {@code config}.
     *
     * @throws dev.flyform.engine.diag.DiagnosticsException when validation, refresh or planning found errors
     */
    public Plan plan(Configuration config, State state, PlanOptions options) {
        validate(config).throwIfErrors();
        Diagnostics diags = new Diagnostics();

        Map<ResourceAddress, ResourceState> current = new TreeMap<>();
        List<ResourceAddress> forgotten = new ArrayList<>();
        for (ResourceState prior : state.resources().values()) {
            if (!options.refresh()) {
                current.put(prior.address(), prior);
                continue;
            }
            ReadResponse read = provider.read(new ReadRequest(prior));
            ResourceConfig declared = config.resources().get(prior.address());
            read.diagnostics().forEach(d -> diags.add(declared == null ? d.forResource(prior.address()) : locate(d, declared)));
            if (read.current() != null) {
                current.put(prior.address(), read.current().withDependencies(prior.dependencies()));
            } else if (declared == null) {
                forgotten.add(prior.address());
            }
        }
        diags.throwIfErrors();

        List<ResourceChange> changes = new ArrayList<>();
        for (ResourceConfig resource : config.resources().values()) {
            ResourceState prior = current.get(resource.address());
            PlanResponse proposed = provider.plan(new PlanRequest(resource.address(), prior, resource.attributes()));
            proposed.diagnostics().forEach(d -> diags.add(locate(d, resource)));
            if (proposed.diagnostics().stream().anyMatch(Diagnostic::isError)) {
                continue;
            }
            changes.add(change(resource, prior, proposed));
        }
        for (ResourceState prior : current.values()) {
            if (!config.resources().containsKey(prior.address())) {
                List<AttributeChange> attrs = new ArrayList<>();
                ResourceSchema type = schema.resourceType(prior.address().type()).orElse(null);
                prior.attributes().forEach((k, v) -> attrs.add(new AttributeChange(k, v, null, false, isSensitive(type, k))));
                changes.add(new ResourceChange(prior.address(), Action.DELETE, prior, null, attrs, Set.of(),
                        prior.dependencies(), null));
            }
        }
        diags.throwIfErrors();
        return new Plan(state.lineage(), state.serial(), changes, forgotten, diags.all());
    }

    private ResourceChange change(ResourceConfig resource, ResourceState prior, PlanResponse proposed) {
        ResourceSchema type = schema.resourceType(resource.address().type()).orElseThrow();
        Map<String, Object> planned = proposed.planned();
        Map<String, Object> before = prior == null ? Map.of() : prior.attributes();
        Set<String> names = new LinkedHashSet<>();
        type.attributes().keySet().forEach(names::add);
        names.addAll(new TreeSet<>(planned.keySet()));
        if (prior != null) {
            names.addAll(new TreeSet<>(before.keySet()));
        }
        Set<String> reasons = new TreeSet<>();
        List<AttributeChange> attrs = new ArrayList<>();
        Map<String, Object> afterValues = new HashMap<>(planned);
        for (String name : names) {
            if (!before.containsKey(name) && !afterValues.containsKey(name)) {
                continue;
            }
            Object was = before.get(name);
            Object will = afterValues.get(name);
            AttributeSchema a = type.attributes().get(name);
            boolean changed = prior != null && !Values.same(was, will);
            boolean forces = changed && (proposed.requiresReplace().contains(name) || (a != null && a.forcesReplacement()));
            if (forces) {
                reasons.add(name);
            }
            attrs.add(new AttributeChange(name, prior == null ? null : was, will, forces, a != null && a.sensitive()));
        }
        Action action;
        if (prior == null) {
            action = Action.CREATE;
        } else if (!reasons.isEmpty()) {
            action = Action.REPLACE;
        } else if (attrs.stream().anyMatch(c -> !Values.same(c.before(), c.after()))) {
            action = Action.UPDATE;
        } else {
            action = Action.NO_OP;
        }
        return new ResourceChange(resource.address(), action, prior, planned, attrs, reasons,
                resource.dependsOn(), resource.location());
    }

    private static boolean isSensitive(ResourceSchema type, String attribute) {
        return type != null && type.attributes().containsKey(attribute) && type.attributes().get(attribute).sensitive();
    }

    private static Diagnostic locate(Diagnostic d, ResourceConfig resource) {
        Diagnostic located = d.resource() == null ? d.forResource(resource.address()) : d;
        return located.location() == null ? located.at(resource.locationOf(d.attribute())) : located;
    }
}
