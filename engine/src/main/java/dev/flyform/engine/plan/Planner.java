package dev.flyform.engine.plan;

import dev.flyform.engine.addr.ResourceAddress;
import dev.flyform.engine.config.Configuration;
import dev.flyform.engine.config.Lifecycle;
import dev.flyform.engine.config.Reference;
import dev.flyform.engine.config.ResourceConfig;
import dev.flyform.engine.config.Unknown;
import dev.flyform.engine.config.Values;
import dev.flyform.engine.diag.Diagnostic;
import dev.flyform.engine.diag.Diagnostics;
import dev.flyform.engine.diag.DiagnosticsException;
import dev.flyform.engine.diag.SourceLocation;
import dev.flyform.engine.diag.Suggestions;
import dev.flyform.engine.graph.DependencyGraph;
import dev.flyform.engine.provider.AttributeSchema;
import dev.flyform.engine.provider.LookupRequest;
import dev.flyform.engine.provider.LookupResponse;
import dev.flyform.engine.provider.PlanRequest;
import dev.flyform.engine.provider.PlanResponse;
import dev.flyform.engine.provider.Provider;
import dev.flyform.engine.provider.ProviderSchema;
import dev.flyform.engine.provider.ReadManyRequest;
import dev.flyform.engine.provider.ReadManyResponse;
import dev.flyform.engine.provider.ReadRequest;
import dev.flyform.engine.provider.ReadResponse;
import dev.flyform.engine.provider.ResourceSchema;
import dev.flyform.engine.provider.ValidateRequest;
import dev.flyform.engine.state.ResourceState;
import dev.flyform.engine.state.SecretDigest;
import dev.flyform.engine.state.State;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Compares what is declared with what exists and picks one action per resource. The provider
 * proposes planned states and names replace-forcing attributes; the planner decides. Resources
 * are planned dependencies first, so a reference resolves to the value its target will have
 * (or to {@link Unknown} when only apply will tell).
 */
public final class Planner {

    private final Provider provider;
    private final ProviderSchema schema;
    private final String owner;

    public Planner(Provider provider) {
        this(provider, null);
    }

    /** @param owner where the state lives, marked on what is made (see {@link PlanRequest#owner}); null: nowhere lasting */
    public Planner(Provider provider, String owner) {
        this.provider = provider;
        this.schema = provider.schema();
        this.owner = owner;
    }

    /** What a resource depends on: the references in its attributes, and any it declared. */
    public static Set<ResourceAddress> dependencies(ResourceConfig resource) {
        Set<ResourceAddress> deps = new TreeSet<>(resource.dependsOn());
        Values.references(resource.attributes()).forEach(r -> deps.add(r.address()));
        return deps;
    }

    /** Checks the configuration without any API call: types, attributes, references, cycles. */
    public Diagnostics validate(Configuration declared) {
        return validateLinked(linkNames(declared));
    }

    private Diagnostics validateLinked(Configuration config) {
        Diagnostics diags = new Diagnostics();
        for (ResourceConfig resource : config.resources().values()) {
            Optional<ResourceSchema> type = schema.of(resource.address());
            if (type.isEmpty()) {
                boolean data = resource.address().isData();
                diags.add(Diagnostic.error("Unknown " + (data ? "data source " : "resource type ") + resource.address().baseType(),
                                Suggestions.didYouMean(resource.address().baseType(),
                                        data ? schema.dataSources().keySet() : schema.resourceTypes().keySet()))
                        .at(resource.location()).forResource(resource.address()));
                continue;
            }
            SchemaCheck.check(resource, type.get(), diags);
            validateReferences(config, resource, diags);
            if (!diags.hasErrors() && !resource.address().isData()) {
                for (Diagnostic d : provider.validate(new ValidateRequest(resource, config.resources())).diagnostics()) {
                    diags.add(locate(d, resource));
                }
            }
        }
        for (ResourceConfig resource : config.resources().values()) {
            SourceLocation first = resource.lifecycle().createFirstAt();
            ResourceSchema type = schema.resourceType(resource.address().type()).orElse(null);
            if (first != null && type != null && !type.identifiedBy().isEmpty()
                    && type.identifiedBy().stream().allMatch(a -> resource.attributes().get(a) != null)) {
                diags.add(Diagnostic.error("createBeforeDestroy: " + resource.address() + " cannot exist twice at once",
                        "Its " + String.join(" and ", type.identifiedBy()) + " name one " + type.type() + " alone, so a "
                                + "replacement made first would be refused. Leave " + type.identifiedBy().get(type.identifiedBy().size() - 1)
                                + " out (Fly picks one), or drop the rule.").at(first).forResource(resource.address()));
            }
        }
        config.removed().forEach((a, where) -> {
            if (config.resources().containsKey(a)) {
                diags.add(Diagnostic.error(a + " is both declared and removed",
                        "It is declared at " + config.resources().get(a).location() + ". Delete the block to stop managing "
                                + "it (removed keeps it on Fly), or the removed line to keep managing it.").at(where));
            }
        });
        if (!diags.hasErrors()) {
            validateUnique(config, diags);
        }
        if (!diags.hasErrors()) {
            try {
                graph(config);
            } catch (DiagnosticsException e) {
                diags.addAll(e.diagnostics());
            }
        }
        return diags;
    }

    private static DependencyGraph graph(Configuration config) {
        Map<ResourceAddress, Set<ResourceAddress>> deps = new TreeMap<>();
        config.resources().forEach((a, r) -> deps.put(a, dependencies(r)));
        return DependencyGraph.of(deps, a -> config.resources().get(a).location());
    }

    /**
     * A name that a declared object carries, given as text where the schema says it names an
     * object of that type ({@code app = 'acme-web'} in another file than the app), becomes a
     * reference to the declaration: a dependency edge, as {@code app = web} would be. The schemas
     * add edges of their own ({@link ResourceSchema#madeAfter}). This is the configuration as it
     * is planned.
     */
    public Configuration linked(Configuration config) {
        return linkNames(config);
    }

    private Configuration linkNames(Configuration config) {
        Map<List<String>, ResourceAddress> named = new HashMap<>();
        for (ResourceConfig r : config.resources().values()) {
            schema.resourceType(r.address().type()).filter(t -> t.identifiedBy().size() == 1).ifPresent(t -> {
                if (r.attributes().get(t.identifiedBy().get(0)) instanceof String name) {
                    named.putIfAbsent(List.of(t.type(), name), r.address());
                }
            });
        }
        List<ResourceConfig> linked = new ArrayList<>();
        boolean changed = false;
        for (ResourceConfig r : config.resources().values()) {
            ResourceSchema type = schema.resourceType(r.address().type()).orElse(null);
            Map<String, Object> attrs = new LinkedHashMap<>(r.attributes());
            boolean touched = false;
            if (type != null) {
                for (Map.Entry<String, String> e : type.names().entrySet()) {
                    ResourceAddress target = attrs.get(e.getKey()) instanceof String name ? named.get(List.of(e.getValue(), name)) : null;
                    if (target != null && !target.equals(r.address())) {
                        String attribute = schema.resourceType(e.getValue()).orElseThrow().identifiedBy().get(0);
                        attrs.put(e.getKey(), new Reference(target, attribute));
                        touched = true;
                    }
                }
            }
            linked.add(touched ? new ResourceConfig(r.address(), attrs, r.location(), r.attributeLocations(), r.dependsOn(), r.lifecycle()) : r);
            changed |= touched;
        }
        List<ResourceConfig> ordered = madeAfter(linked);
        return changed || ordered != linked ? new Configuration(Configuration.of(ordered).resources(), config.outputs(), config.removed())
                : config;
    }

    /**
     * What a schema says is made after what ({@link ResourceSchema#madeAfter}): a machine after
     * each secret of its app, though neither refers to the other.
     */
    private List<ResourceConfig> madeAfter(List<ResourceConfig> linked) {
        boolean any = linked.stream().anyMatch(r -> schema.resourceType(r.address().type())
                .map(t -> !t.madeAfter().isEmpty()).orElse(false));
        if (!any) {
            return linked;
        }
        List<ResourceConfig> out = new ArrayList<>();
        for (ResourceConfig r : linked) {
            ResourceSchema type = schema.resourceType(r.address().type()).orElse(null);
            Set<ResourceAddress> after = new TreeSet<>(r.dependsOn());
            if (type != null) {
                type.madeAfter().forEach((other, attribute) -> {
                    Object mine = r.attributes().get(attribute);
                    for (ResourceConfig o : linked) {
                        if (mine != null && o.address().type().equals(other) && mine.equals(o.attributes().get(attribute))) {
                            after.add(o.address());
                        }
                    }
                });
            }
            out.add(after.equals(r.dependsOn()) ? r
                    : new ResourceConfig(r.address(), r.attributes(), r.location(), r.attributeLocations(), after, r.lifecycle()));
        }
        return out;
    }

    /**
     * {@code ignoreChanges}: an ignored attribute keeps the value the API holds, so no change is
     * planned for it; where the declaration says otherwise, the drift is noted (a sensitive
     * value without it).
     */
    private Map<String, Object> keepIgnored(ResourceConfig resource, ResourceState prior, Map<String, Object> resolved, Diagnostics diags) {
        Lifecycle lifecycle = resource.lifecycle();
        if (prior == null || (lifecycle.ignoreChanges().isEmpty() && !lifecycle.ignoreAll())) {
            return resolved;
        }
        ResourceSchema type = schema.of(resource.address()).orElse(null);
        Map<String, Object> kept = new LinkedHashMap<>(resolved);
        List<String> drifted = new ArrayList<>();
        for (Map.Entry<String, Object> e : prior.attributes().entrySet()) {
            String name = e.getKey();
            AttributeSchema a = type == null ? null : type.attributes().get(name);
            if (a == null || !a.settable() || !lifecycle.ignores(name)) {
                continue;
            }
            Object declared = resolved.get(name);
            if (declared != null && !(declared instanceof Unknown) && !a.sensitive() && !Values.same(declared, e.getValue())) {
                drifted.add(name + " (Fly: " + shown(e.getValue()) + ", declared: " + shown(declared) + ")");
            }
            kept.put(name, e.getValue());
        }
        if (!drifted.isEmpty()) {
            diags.add(Diagnostic.warning("Drift kept: " + resource.address() + " differs on Fly in " + String.join(", ", drifted),
                    "ignoreChanges keeps Fly's value; nothing is sent for it.").at(lifecycle.declaredAt() == null
                    ? resource.location() : lifecycle.declaredAt()).forResource(resource.address()));
        }
        return kept;
    }

    /**
     * {@code preventDestroy}: a plan that would destroy or replace a protected object fails,
     * naming each and the line that protected it (declared now, or recorded in the state).
     */
    private static void refuseProtected(Map<ResourceAddress, Action> going, Configuration config, State state) {
        List<Diagnostic> refused = new ArrayList<>();
        for (Map.Entry<ResourceAddress, Action> c : going.entrySet()) {
            ResourceAddress address = c.getKey();
            Action action = c.getValue();
            if (action != Action.DELETE && action != Action.REPLACE) {
                continue;
            }
            SourceLocation declared = config.resource(address).map(r -> r.lifecycle().protectedAt()).orElse(null);
            String recorded = state.resource(address).map(ResourceState::protectedBy).orElse(null);
            if (declared == null && recorded == null) {
                continue;
            }
            String where = declared != null ? declared.toString() : recorded;
            refused.add(Diagnostic.error(address + " is protected from destruction (preventDestroy at " + where + ")",
                    "This plan would " + (action == Action.DELETE ? "destroy" : "replace") + " it. Nothing was sent. To let it go, "
                            + "set preventDestroy false in its block and apply that first, or forget it with `flyform state rm "
                            + address + "`.").forResource(address));
        }
        if (!refused.isEmpty()) {
            throw new DiagnosticsException(refused);
        }
    }

    private static String shown(Object value) {
        return value instanceof String text ? "\"" + text + "\"" : String.valueOf(value);
    }

    /**
     * Two declarations of one API object (the same app name; the same app and secret name) would
     * take it from each other: deleting either destroys what the other declares.
     */
    private void validateUnique(Configuration config, Diagnostics diags) {
        Map<List<Object>, ResourceConfig> seen = new HashMap<>();
        for (ResourceConfig resource : config.resources().values()) {
            ResourceSchema type = schema.resourceType(resource.address().type()).orElse(null);
            if (type == null || type.identifiedBy().isEmpty()) {
                continue;
            }
            List<Object> key = new ArrayList<>();
            key.add(type.type());
            for (String attribute : type.identifiedBy()) {
                Object value = literal(config, resource.attributes().get(attribute), 0);
                if (value == null) {
                    break;
                }
                key.add(value);
            }
            if (key.size() <= type.identifiedBy().size()) {
                continue;   // not all known before apply: nothing to compare
            }
            ResourceConfig first = seen.putIfAbsent(key, resource);
            if (first != null) {
                List<String> named = new ArrayList<>();
                for (int i = 0; i < type.identifiedBy().size(); i++) {
                    named.add(type.identifiedBy().get(i) + " \"" + key.get(i + 1) + "\"");
                }
                diags.add(Diagnostic.error(resource.address() + " declares the same object as " + first.address(),
                                "Both are the " + type.type() + " with " + String.join(" and ", named) + ", declared at "
                                        + first.location() + " and at " + resource.location() + ". There is one such object, and two "
                                        + "declarations would take it from each other (removing either would destroy what the "
                                        + "other declares): keep one.")
                        .at(resource.location()).forResource(resource.address()));
            }
        }
    }

    /** A value as it is known before any API call: a literal, or the literal a reference leads to. */
    private static Object literal(Configuration config, Object value, int depth) {
        if (value instanceof Reference ref && depth < 8) {
            return config.resource(ref.address()).map(r -> literal(config, r.attributes().get(ref.attribute()), depth + 1))
                    .orElse(null);
        }
        return value instanceof String || value instanceof Number || value instanceof Boolean ? value : null;
    }

    private void validateReferences(Configuration config, ResourceConfig resource, Diagnostics diags) {
        for (ResourceAddress dep : resource.dependsOn()) {
            if (config.resource(dep).isEmpty() && Values.references(resource.attributes()).stream().noneMatch(r -> r.address().equals(dep))) {
                diags.add(Diagnostic.error("Reference to undeclared resource " + dep, undeclared(config, dep))
                        .at(resource.location()).forResource(resource.address()));
            }
        }
        resource.attributes().forEach((name, value) -> {
            for (Reference ref : Values.references(value)) {
                SourceLocation where = resource.locationOf(name);
                if (config.resource(ref.address()).isEmpty()) {
                    diags.add(Diagnostic.error("Reference to undeclared resource " + ref.address(), undeclared(config, ref.address()))
                            .at(where).forResource(resource.address()).forAttribute(name));
                    continue;
                }
                ResourceSchema target = schema.of(ref.address()).orElse(null);
                if (target != null && !target.attributes().containsKey(ref.attribute())) {
                    diags.add(Diagnostic.error("Unknown attribute `" + ref.attribute() + "` of " + ref.address(),
                                    Suggestions.didYouMean(ref.attribute(), target.attributes().keySet()))
                            .at(where).forResource(resource.address()).forAttribute(name));
                }
            }
        });
    }

    /** No file of the directory declares it: the nearest declared address, if one is near. */
    private static String undeclared(Configuration config, ResourceAddress missing) {
        List<String> declared = config.resources().keySet().stream().map(ResourceAddress::toString).toList();
        return ("No file of this directory declares it. " + Suggestions.didYouMean(missing.toString(), declared)).strip();
    }

    /**
     * Plans the changes that take {@code state} to {@code config}.
     *
     * @throws DiagnosticsException when validation, refresh or planning found errors
     */
    public Plan plan(Configuration written, State state, PlanOptions options) {
        Configuration configuration = linkNames(written);
        validateLinked(configuration).throwIfErrors();
        // Destroying plans against an empty configuration: everything in state goes.
        Configuration config = options.destroy() ? new Configuration(Map.of(), Map.of()) : configuration;
        // removed 'ADDR': forgotten, with what its deletion would take along (an app's machines), never deleted
        Map<ResourceAddress, String> removedAt = new TreeMap<>();
        List<Diagnostic> removedNotes = new ArrayList<>();
        if (!options.destroy()) {
            configuration.removed().forEach((a, where) -> {
                if (state.resource(a).isEmpty()) {
                    removedNotes.add(Diagnostic.warning("removed " + a + ": the state does not hold it",
                            "Nothing to forget; the declaration can go.").at(where));
                    return;
                }
                removedAt.put(a, where.toString());
                for (ResourceState r : state.resources().values()) {
                    if (r.dependencies().contains(a) && config.resource(r.address()).isEmpty()
                            && schema.resourceType(r.address().type()).map(t -> a.type().equals(t.deletedWith())).orElse(false)) {
                        removedAt.putIfAbsent(r.address(), where.toString());
                    }
                }
            });
        }
        for (ResourceAddress a : options.targets()) {
            if (config.resource(a).isEmpty() && state.resource(a).isEmpty()) {
                throw new DiagnosticsException(Diagnostic.error("-target " + a + ": no such resource",
                        "It is neither declared nor in the state."));
            }
        }
        for (ResourceAddress a : options.replace()) {
            if (state.resource(a).isEmpty()) {
                throw new DiagnosticsException(Diagnostic.error("-replace " + a + ": not in the state",
                        "Only an object that exists can be replaced."));
            }
        }
        // An object protected in the state whose block is gone (or a destroy) is refused before any call.
        Map<ResourceAddress, Action> goingEarly = new TreeMap<>();
        for (ResourceState r : state.resources().values()) {
            if (config.resource(r.address()).isEmpty() && !removedAt.containsKey(r.address())
                    && (options.targets().isEmpty() || options.targets().contains(r.address()))) {
                goingEarly.put(r.address(), Action.DELETE);
            }
        }
        refuseProtected(goingEarly, config, state);
        Diagnostics diags = new Diagnostics();
        removedNotes.forEach(diags::add);

        Map<ResourceAddress, ResourceState> current = new TreeMap<>();
        List<ResourceAddress> forgotten = new ArrayList<>();
        Map<ResourceAddress, ReadResponse> refreshed = Map.of();
        if (options.refresh() && !state.resources().isEmpty()) {
            ReadManyResponse many = provider.readMany(new ReadManyRequest(state.resources().values().stream()
                    .filter(r -> !removedAt.containsKey(r.address())).toList()));
            diags.addAll(many.diagnostics());
            refreshed = many.results();
        }
        for (ResourceState prior : state.resources().values()) {
            if (removedAt.containsKey(prior.address())) {
                forgotten.add(prior.address());   // no longer managed: not read, not planned
                continue;
            }
            if (!options.refresh()) {
                current.put(prior.address(), prior);
                continue;
            }
            ReadResponse read = refreshed.containsKey(prior.address()) ? refreshed.get(prior.address())
                    : provider.read(new ReadRequest(prior));
            ResourceConfig declared = config.resources().get(prior.address());
            read.diagnostics().forEach(d -> diags.add(declared == null ? d.forResource(prior.address()) : locate(d, declared)));
            if (read.current() != null) {
                current.put(prior.address(), read.current().withDependencies(prior.dependencies()).withProtection(prior.protectedBy()));
            } else if (declared == null) {
                forgotten.add(prior.address());
            }
        }
        diags.throwIfErrors();

        Map<ResourceAddress, ResourceChange> changes = new TreeMap<>();
        Map<ResourceAddress, Map<String, Object>> plannedValues = new HashMap<>();
        Map<String, Set<String>> owned = new HashMap<>();
        state.resources().values().forEach(r -> owned.computeIfAbsent(r.address().type(), t -> new TreeSet<>())
                .add(provider.identity(r)));
        for (ResourceAddress address : graph(config).creationOrder()) {
            ResourceConfig resource = config.resources().get(address);
            ResourceState prior = current.get(address);
            Map<String, Object> resolved = Values.resolveAll(resource.attributes(),
                    ref -> plannedValues.getOrDefault(ref.address(), Map.of()).getOrDefault(ref.attribute(), Unknown.AFTER_APPLY));
            if (address.isData()) {
                plannedValues.put(address, readData(resource, resolved, changes, diags));
                continue;
            }
            boolean adopted = false;
            if (prior == null && options.refresh()) {
                // Adopt first: an object that already exists is taken over, never made twice.
                Set<String> claimed = owned.computeIfAbsent(address.type(), t -> new TreeSet<>());
                LookupResponse found = provider.lookup(new LookupRequest(address, resolved, Set.copyOf(claimed), owner));
                found.diagnostics().forEach(d -> diags.add(locate(d, resource)));
                if (found.found() != null && found.ownedBy() != null && !options.adopt().contains(address)) {
                    diags.add(Diagnostic.error(address + " exists on Fly, managed by another flyform state",
                            "It is marked as managed by the state of " + found.ownedBy() + ". Planning it here would take it "
                                    + "over, and a destroy here would delete it there too. If this state is to manage it from "
                                    + "now on, plan again with -adopt " + address + " (and have the other state forget it: "
                                    + "flyform state rm " + address + " there).")
                            .at(resource.location()).forResource(address));
                    plannedValues.put(address, Map.of());
                    continue;
                }
                if (found.found() != null) {
                    prior = found.found().withDependencies(dependencies(resource));
                    claimed.add(provider.identity(prior));
                    adopted = true;
                }
            }
            resolved = keepIgnored(resource, prior, resolved, diags);
            PlanResponse proposed = provider.plan(new PlanRequest(address, prior, resolved, owner));
            proposed.diagnostics().forEach(d -> diags.add(locate(d, resource)));
            if (proposed.diagnostics().stream().anyMatch(Diagnostic::isError)) {
                plannedValues.put(address, Map.of());
                continue;
            }
            ResourceChange change = change(resource, prior, proposed, state.digestKey(), changes, adopted, options.replace());
            changes.put(address, change);
            plannedValues.put(address, change.planned());
        }
        for (ResourceState prior : current.values()) {
            if (!config.resources().containsKey(prior.address())) {
                ResourceSchema type = schema.resourceType(prior.address().type()).orElse(null);
                List<AttributeChange> attrs = new ArrayList<>();
                prior.attributes().forEach((k, v) -> attrs.add(new AttributeChange(k, v, null, false,
                        type != null && type.isSensitive(k))));
                changes.put(prior.address(), new ResourceChange(prior.address(), Action.DELETE, prior, null, null, attrs,
                        Set.of(), prior.dependencies(), null, null, false));
            }
        }
        diags.throwIfErrors();
        if (!options.targets().isEmpty()) {
            keepOnlyTargeted(changes, options.targets(), config);
        }
        // After targeting: a child destroyed while its parent stays needs a delete of its own.
        markCascades(changes);
        Map<ResourceAddress, Action> going = new TreeMap<>();
        changes.values().forEach(c -> going.put(c.address(), c.action()));
        refuseProtected(going, config, state);
        return new Plan(state.lineage(), state.serial(), new ArrayList<>(changes.values()), forgotten, diags.all(),
                refreshed(changes, state), removedAt);
    }

    /**
     * A data source is read while planning, so what refers to it plans with its values: all it
     * is given must be known by then (a value known only after apply cannot name what to read).
     */
    private Map<String, Object> readData(ResourceConfig resource, Map<String, Object> resolved,
                                         Map<ResourceAddress, ResourceChange> changes, Diagnostics diags) {
        List<String> unknown = resolved.entrySet().stream().filter(e -> Values.containsUnknown(e.getValue()))
                .map(Map.Entry::getKey).toList();
        if (!unknown.isEmpty()) {
            diags.add(Diagnostic.error(resource.address() + " depends on values known only after apply",
                            "A data source is read while planning; " + String.join(", ", unknown)
                                    + " must be known by then (declared, or read from another data source).")
                    .at(resource.location()).forResource(resource.address()));
            return Map.of();
        }
        ReadResponse read = provider.readData(resource.address(), resolved);
        read.diagnostics().forEach(d -> diags.add(locate(d, resource)));
        if (read.current() == null) {
            return Map.of();
        }
        Map<String, Object> values = new LinkedHashMap<>(resolved);
        values.putAll(read.current().attributes());
        changes.put(resource.address(), new ResourceChange(resource.address(), Action.NO_OP, null, values, resource.attributes(),
                List.of(), Set.of(), dependencies(resource), null, resource.location(), false));
        return values;
    }

    /**
     * What needs no change but reads differently from the state in values only Fly sets (a
     * certificate issued since, its DNS records): apply records those, sending nothing.
     */
    private Map<ResourceAddress, List<AttributeChange>> refreshed(Map<ResourceAddress, ResourceChange> changes, State state) {
        Map<ResourceAddress, List<AttributeChange>> refreshed = new TreeMap<>();
        for (ResourceChange change : changes.values()) {
            ResourceState stored = state.resource(change.address()).orElse(null);
            ResourceSchema type = schema.resourceType(change.address().type()).orElse(null);
            if (change.action() != Action.NO_OP || change.prior() == null || stored == null || type == null) {
                continue;
            }
            List<AttributeChange> moved = new ArrayList<>();
            for (AttributeSchema a : type.attributes().values()) {
                Object was = stored.attributes().get(a.name());
                if (a.sensitive() && SecretDigest.UNSEEN.equals(was) && change.planned() != null
                        && change.planned().get(a.name()) instanceof String declared) {
                    moved.add(new AttributeChange(a.name(), was, declared, false, true));
                } else if (a.computed() && !a.settable() && !a.sensitive()
                        && !Values.same(was, change.prior().attributes().get(a.name()))) {
                    moved.add(new AttributeChange(a.name(), was, change.prior().attributes().get(a.name()), false, false));
                }
            }
            if (!moved.isEmpty()) {
                refreshed.put(change.address(), moved);
            }
        }
        return refreshed;
    }

    /**
     * -target: the targets and what they depend on keep their changes; a deleted target takes
     * what depends on it. Everything else is left as it is (no-op).
     */
    private static void keepOnlyTargeted(Map<ResourceAddress, ResourceChange> changes, Set<ResourceAddress> targets,
                                         Configuration config) {
        Set<ResourceAddress> keep = new TreeSet<>();
        java.util.Deque<ResourceAddress> todo = new java.util.ArrayDeque<>(targets);
        while (!todo.isEmpty()) {
            ResourceAddress a = todo.pop();
            if (keep.add(a) && changes.containsKey(a)) {
                ResourceChange c = changes.get(a);
                if (c.action() == Action.DELETE) {
                    changes.values().stream().filter(o -> o.prior() != null && o.prior().dependencies().contains(a))
                            .forEach(o -> todo.push(o.address()));
                } else {
                    todo.addAll(c.dependencies());
                }
            }
        }
        changes.replaceAll((a, c) -> keep.contains(a) || !c.action().mutates() ? c
                : new ResourceChange(a, Action.NO_OP, c.prior(), c.planned() != null ? c.planned() : c.prior().attributes(),
                c.config(), List.of(), Set.of(), c.dependencies(), null, c.location(), false));
    }

    /**
     * A resource deleted (or replaced) together with the parent whose deletion takes it along
     * (an app's children) is not deleted on its own: apply sends one delete, for the parent.
     */
    private void markCascades(Map<ResourceAddress, ResourceChange> changes) {
        for (Map.Entry<ResourceAddress, ResourceChange> e : changes.entrySet()) {
            ResourceChange change = e.getValue();
            if (change.action() != Action.DELETE && change.action() != Action.REPLACE) {
                continue;
            }
            parentGoing(change, changes).ifPresent(parent -> e.setValue(change.withDeletedWith(parent)));
        }
    }

    private Optional<ResourceAddress> parentGoing(ResourceChange change, Map<ResourceAddress, ResourceChange> changes) {
        ResourceSchema type = schema.resourceType(change.address().type()).orElse(null);
        if (type == null || type.deletedWith() == null || change.prior() == null) {
            return Optional.empty();
        }
        for (ResourceAddress dep : change.prior().dependencies()) {
            ResourceChange parent = changes.get(dep);
            if (dep.type().equals(type.deletedWith()) && parent != null
                    && (parent.action() == Action.DELETE || parent.action() == Action.REPLACE)) {
                return Optional.of(dep);
            }
        }
        return Optional.empty();
    }

    private ResourceChange change(ResourceConfig resource, ResourceState prior, PlanResponse proposed, String digestKey,
                                  Map<ResourceAddress, ResourceChange> plannedSoFar, boolean adopted,
                                  Set<ResourceAddress> replaceRequested) {
        ResourceSchema type = schema.resourceType(resource.address().type()).orElseThrow();
        Map<String, Object> planned = new LinkedHashMap<>(proposed.planned());
        Map<String, Object> before = prior == null ? Map.of() : prior.attributes();
        Set<String> names = new LinkedHashSet<>(type.attributes().keySet());
        names.addAll(new TreeSet<>(planned.keySet()));
        if (prior != null) {
            names.addAll(new TreeSet<>(before.keySet()));
        }
        Set<String> reasons = new TreeSet<>();
        boolean changed = false;
        for (String name : names) {
            AttributeSchema a = type.attributes().get(name);
            if (a != null && a.computed() && !a.settable()) {
                continue;   // only the API sets it: a difference is news, not something apply can change
            }
            if (prior != null && differs(before.get(name), planned.get(name), a, digestKey)) {
                changed = true;
                if (proposed.requiresReplace().contains(name) || (a != null && a.forcesReplacement())) {
                    reasons.add(name);
                }
            }
        }
        Set<ResourceAddress> deps = dependencies(resource);
        if (prior != null && reasons.isEmpty()) {
            // A parent that is replaced takes its children with it: they must be made again too.
            parentReplaced(type, prior, deps, plannedSoFar).ifPresent(parent -> reasons.add("(replaced with " + parent + ")"));
        }
        if (prior != null && replaceRequested.contains(resource.address())) {
            reasons.add("(replacement requested with -replace)");
        }
        Action action = prior == null ? Action.CREATE : !reasons.isEmpty() ? Action.REPLACE : changed ? Action.UPDATE
                : adopted ? Action.ADOPT : Action.NO_OP;
        if (action == Action.REPLACE) {
            // What only the API sets (an id, an address) is new for the new object.
            type.attributes().values().stream().filter(a -> a.computed() && !a.settable())
                    .forEach(a -> planned.put(a.name(), Unknown.AFTER_APPLY));
        }
        List<AttributeChange> attrs = new ArrayList<>();
        for (String name : names) {
            if (!before.containsKey(name) && !planned.containsKey(name)) {
                continue;
            }
            AttributeSchema a = type.attributes().get(name);
            boolean sensitive = a != null && a.sensitive();
            boolean differs = prior != null && differs(before.get(name), planned.get(name), a, digestKey);
            attrs.add(new AttributeChange(name, prior == null ? null : before.get(name), planned.get(name),
                    differs && reasons.contains(name), sensitive));
        }
        return new ResourceChange(resource.address(), action, prior, planned, resource.attributes(), attrs, reasons,
                deps, null, resource.location(), adopted, action == Action.REPLACE && resource.lifecycle().createFirstAt() != null);
    }

    private Optional<ResourceAddress> parentReplaced(ResourceSchema type, ResourceState prior, Set<ResourceAddress> deps,
                                                     Map<ResourceAddress, ResourceChange> plannedSoFar) {
        if (type.deletedWith() == null) {
            return Optional.empty();
        }
        for (ResourceAddress dep : deps) {
            ResourceChange parent = plannedSoFar.get(dep);
            if (dep.type().equals(type.deletedWith()) && parent != null && parent.action() == Action.REPLACE) {
                return Optional.of(dep);
            }
        }
        return Optional.empty();
    }

    /** A sensitive value is compared by its keyed digest, which is all the state holds of it. */
    private static boolean differs(Object before, Object after, AttributeSchema a, String digestKey) {
        if (a != null && a.sensitive() && after instanceof String && SecretDigest.UNSEEN.equals(before)) {
            return false;   // never seen: the declared value is taken as what it holds
        }
        if (a != null && a.sensitive() && after instanceof String raw && SecretDigest.isDigest(before) && digestKey != null) {
            return !SecretDigest.of(digestKey, raw).equals(before);
        }
        return !Values.same(before, after);
    }

    private static Diagnostic locate(Diagnostic d, ResourceConfig resource) {
        Diagnostic located = d.resource() == null ? d.forResource(resource.address()) : d;
        return located.location() == null ? located.at(resource.locationOf(d.attribute())) : located;
    }
}
