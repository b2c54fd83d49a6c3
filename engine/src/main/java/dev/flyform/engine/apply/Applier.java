package dev.flyform.engine.apply;

import dev.flyform.engine.addr.ResourceAddress;
import dev.flyform.engine.config.Unknown;
import dev.flyform.engine.config.Values;
import dev.flyform.engine.diag.Diagnostic;
import dev.flyform.engine.diag.DiagnosticsException;
import dev.flyform.engine.graph.DependencyGraph;
import dev.flyform.engine.plan.Action;
import dev.flyform.engine.plan.Plan;
import dev.flyform.engine.plan.ResourceChange;
import dev.flyform.engine.provider.ApplyRequest;
import dev.flyform.engine.provider.ApplyResponse;
import dev.flyform.engine.provider.ReadManyResponse;
import dev.flyform.engine.provider.PlanRequest;
import dev.flyform.engine.provider.PlanResponse;
import dev.flyform.engine.provider.PrepareCreateRequest;
import dev.flyform.engine.provider.PrepareCreateResponse;
import dev.flyform.engine.provider.Provider;
import dev.flyform.engine.provider.ReconcileRequest;
import dev.flyform.engine.provider.ReconcileResponse;
import dev.flyform.engine.provider.ResourceSchema;
import dev.flyform.engine.state.Intent;
import dev.flyform.engine.state.ResourceState;
import dev.flyform.engine.state.SecretDigest;
import dev.flyform.engine.state.State;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;

/**
 * Executes exactly the plan it is given: deletes first, dependents before dependencies, then
 * creates and updates, dependencies first.
 *
 * <p>Every create is preceded by a durable intent. A create that fails ambiguously (a timeout,
 * a 5xx, a dropped connection) is never sent again blindly: the provider first looks for what
 * it may have made, and only a certain "nothing was made" allows another attempt.
 *
 * <p>A value unknown at plan time (a new volume's id) is filled in from what apply has just
 * made; the provider's final proposal must agree with everything the plan already knew. Apply
 * stops at the first failure, or between two changes when cancelled; everything done before has
 * been reported to the listener (and so recorded in state).
 */
public final class Applier {

    /** Attempts at one create, each after a reconcile that found nothing. */
    static final int CREATE_ATTEMPTS = 3;

    private final Provider provider;
    private final int parallelism;
    private String owner;

    public Applier(Provider provider) {
        this(provider, 1);
    }

    /** @param parallelism how many changes may be in flight at once, on independent branches of the graph */
    public Applier(Provider provider, int parallelism) {
        if (parallelism < 1) {
            throw new IllegalArgumentException("parallelism must be at least 1");
        }
        this.provider = provider;
        this.parallelism = parallelism;
    }

    /** Where the state lives, as the plan was made with it (see {@link PlanRequest#owner}). */
    public Applier ownedBy(String owner) {
        this.owner = owner;
        return this;
    }

    public ApplyResult apply(Plan plan, State current, ApplyListener listener) {
        return apply(plan, current, listener, Cancellation.never());
    }

    /**
     * @param current the state as it is now; apply refuses a plan made against another serial
     */
    public ApplyResult apply(Plan plan, State current, ApplyListener listener, Cancellation cancellation) {
        if (!plan.lineage().equals(current.lineage()) || plan.serial() != current.serial()) {
            throw new DiagnosticsException(Diagnostic.error("Saved plan is stale",
                    "The plan was made against state serial " + plan.serial() + ", but the state is now at serial "
                            + current.serial() + ". Run plan again."));
        }
        Map<ResourceAddress, ResourceChange> changes = plan.byAddress();
        Map<ResourceAddress, Set<ResourceAddress>> deps = new TreeMap<>();
        changes.forEach((a, c) -> deps.put(a, c.dependencies()));
        DependencyGraph graph = DependencyGraph.of(deps, a -> changes.get(a).location());

        Map<ResourceAddress, ResourceState> recorded = new java.util.concurrent.ConcurrentSkipListMap<>(current.resources());
        ApplyListener all = ApplyListener.all(listener, tracking(recorded));
        Run run = new Run(all, new ArrayList<>(plan.warnings()), current.digestKey(), cancellation);
        changes.forEach((a, c) -> run.known.put(a, c.planned() != null ? c.planned() : c.prior().attributes()));
        current.resources().values().forEach(r -> run.own(r.address(), provider.identity(r)));

        plan.forgotten().forEach(all::forgotten);
        // Only the values that are behind move on; everything else stays as recorded.
        plan.refreshed().forEach((a, moved) -> current.resource(a).ifPresent(stored -> {
            Map<String, Object> attrs = new LinkedHashMap<>(stored.attributes());
            moved.forEach(m -> attrs.put(m.name(), m.after()));
            all.refreshed(changes.get(a), redact(stored.withAttributes(attrs), run.digestKey));
        }));
        try {
            execute(changes, graph, run, recorded);
            ReadManyResponse again = provider.readAgainAfterApply(List.copyOf(recorded.values()));
            run.diags.addAll(again.diagnostics());
            again.results().forEach((address, read) -> {
                if (read.current() != null && changes.containsKey(address)) {
                    all.refreshed(changes.get(address), redact(read.current(), run.digestKey));
                }
                run.diags.addAll(read.diagnostics().stream().filter(d -> !d.isError()).toList());
            });
        } finally {
            run.diags.addAll(provider.applyFinished());
        }
        return run.result();
    }

    /**
     * Deletions first, then creates and updates, then the deletion of what was replaced by an
     * object made first; stops at the first failure.
     */
    private void execute(Map<ResourceAddress, ResourceChange> changes, DependencyGraph graph, Run run,
                         Map<ResourceAddress, ResourceState> recorded) {
        ApplyListener listener = run.listener;

        Map<ResourceAddress, List<ResourceChange>> cascaded = new HashMap<>();
        List<ResourceAddress> deletions = new ArrayList<>();
        Map<ResourceAddress, ResourceChange> last = new TreeMap<>();
        for (ResourceAddress address : graph.deletionOrder()) {
            ResourceChange change = changes.get(address);
            if (change.action() != Action.DELETE && change.action() != Action.REPLACE) {
                continue;
            }
            if (change.deletedWith() != null) {
                // Fly deletes it with its parent: no call of its own.
                cascaded.computeIfAbsent(change.deletedWith(), k -> new ArrayList<>()).add(change);
            } else if (change.action() == Action.DELETE && address.isDeposed()) {
                last.put(address, change);   // left by a run that stopped after making its replacement
            } else if (!createdFirst(change)) {
                deletions.add(address);
            }
        }
        // A deletion waits for the deletions of what depends on it.
        Map<ResourceAddress, Set<ResourceAddress>> dependents = new HashMap<>();
        for (ResourceAddress a : deletions) {
            for (ResourceAddress b : deletions) {
                if (changes.get(b).dependencies().contains(a)) {
                    dependents.computeIfAbsent(a, k -> new TreeSet<>()).add(b);
                }
            }
        }
        boolean ok = schedule(deletions, dependents,
                address -> delete(changes.get(address), cascaded.getOrDefault(address, List.of()), run), run);
        if (!ok) {
            return;
        }

        List<ResourceAddress> makes = new ArrayList<>();
        for (ResourceAddress address : graph.creationOrder()) {
            ResourceChange change = changes.get(address);
            if (change.action() == Action.ADOPT) {
                // It exists already: record it (never a sensitive value in clear), send nothing.
                listener.created(change, redact(change.prior(), run.digestKey));
                run.own(address, provider.identity(change.prior()));
                run.adopted.incrementAndGet();
            } else if (change.action() == Action.CREATE || change.action() == Action.UPDATE || change.action() == Action.REPLACE) {
                makes.add(address);
            }
        }
        // A create or update waits for those of what it depends on.
        Map<ResourceAddress, Set<ResourceAddress>> prerequisites = new HashMap<>();
        for (ResourceAddress a : makes) {
            Set<ResourceAddress> waits = new TreeSet<>(changes.get(a).dependencies());
            waits.retainAll(makes);
            prerequisites.put(a, waits);
        }
        List<Rollout> rollouts = rollouts(makes, changes, recorded);
        rollouts.forEach(r -> r.chain(prerequisites));
        Set<ResourceAddress> started = java.util.concurrent.ConcurrentHashMap.newKeySet();
        Set<ResourceAddress> finished = java.util.concurrent.ConcurrentHashMap.newKeySet();
        boolean allMade = schedule(makes, prerequisites, address -> {
            ResourceChange change = changes.get(address);
            started.add(address);
            rollouts.stream().filter(r -> r.members.contains(address)).findFirst().ifPresent(r ->
                    listener.rolling(change, r.members.indexOf(address) + 1, r.members.size(), r.parent, r.atOnce));
            ResourceState prior = change.action() == Action.UPDATE ? change.prior() : null;
            Map<String, Object> planned = finalPlan(change, run);
            if (planned == null) {
                return false;
            }
            if (createdFirst(change)) {
                // Kept in the state at an address of its own until it is deleted, after the
                // replacement exists and what used the old one has moved over.
                ResourceAddress at = address.deposed(change.prior().id());
                listener.deposed(change, at);
                run.own(at, provider.identity(change.prior()));
                ResourceState old = new ResourceState(at, change.prior().id(), change.prior().attributes(),
                        change.prior().dependencies());
                synchronized (last) {
                    last.put(at, new ResourceChange(at, Action.DELETE, old, null, null, List.of(), Set.of(),
                            change.prior().dependencies(), null, change.location(), false));
                }
            }
            listener.starting(change, false);
            ResourceState made = prior == null ? create(change, planned, run) : update(change, prior, planned, run);
            if (made == null) {
                return false;
            }
            run.known.put(address, made.attributes());
            run.own(address, provider.identity(made));
            (change.action() == Action.UPDATE ? run.changed : run.added).incrementAndGet();
            finished.add(address);
            return true;
        }, run);
        for (Rollout r : rollouts) {
            List<ResourceAddress> failed = r.members.stream().filter(a -> started.contains(a) && !finished.contains(a)).toList();
            List<ResourceAddress> untouched = r.members.stream().filter(a -> !started.contains(a)).toList();
            if (!failed.isEmpty() && !untouched.isEmpty()) {
                run.diags.add(Diagnostic.error("Rollout in " + r.parent + " stopped at " + failed.get(0),
                        "It failed, so the rest were left as they are, not updated: " + untouched.stream()
                                .map(ResourceAddress::toString).collect(java.util.stream.Collectors.joining(", "))
                                + ". Fix the cause and apply again: what was updated is recorded."));
            }
        }
        if (!allMade || last.isEmpty()) {
            return;   // what was deposed stays in the state: the next run deletes it
        }
        schedule(new ArrayList<>(last.keySet()), Map.of(), address -> delete(last.get(address), List.of(), run), run);
    }

    /** Updates of one parent's objects that roll out, in the order they are made ({@link ResourceSchema.Rollout}). */
    private static final class Rollout {
        final String parent;
        final int atOnce;
        final List<ResourceAddress> members = new ArrayList<>();

        Rollout(String parent, int atOnce) {
            this.parent = parent;
            this.atOnce = atOnce;
        }

        /** Each waits for the one {@code atOnce} places before it: never more than that many in flight. */
        void chain(Map<ResourceAddress, Set<ResourceAddress>> prerequisites) {
            for (int i = atOnce; i < members.size(); i++) {
                prerequisites.get(members.get(i)).add(members.get(i - atOnce));
            }
        }
    }

    private List<Rollout> rollouts(List<ResourceAddress> makes, Map<ResourceAddress, ResourceChange> changes,
                                   Map<ResourceAddress, ResourceState> recorded) {
        Map<String, Rollout> byParent = new LinkedHashMap<>();
        Map<String, Map<String, Object>> settingsOf = new HashMap<>();   // each parent looked up once
        for (ResourceAddress a : makes) {
            ResourceChange c = changes.get(a);
            ResourceSchema type = provider.schema().resourceType(a.type()).orElse(null);
            if (c.action() != Action.UPDATE || type == null || type.rollout() == null
                    || !(c.planned().get(type.rollout().parent()) instanceof String parentName)) {
                continue;
            }
            String parentType = type.names().get(type.rollout().parent());
            Map<String, Object> settings = parentType == null ? Map.of() : settingsOf.computeIfAbsent(parentType + " " + parentName,
                    k -> parentAttributes(parentType, parentName, changes, recorded));
            if ("immediate".equals(settings.get(type.rollout().strategy()))) {
                continue;
            }
            int atOnce = settings.get(type.rollout().maxUnavailable()) instanceof Number n ? Math.max(1, n.intValue()) : 1;
            String label = (parentType == null ? type.rollout().parent() : parentType) + " " + parentName;
            byParent.computeIfAbsent(a.type() + " " + label, k -> new Rollout(label, atOnce)).members.add(a);
        }
        return byParent.values().stream().filter(r -> r.members.size() > 1).toList();
    }

    /** The attributes of the {@code type} object whose referenced attribute is {@code name}: as planned, else as recorded. */
    private Map<String, Object> parentAttributes(String type, String name, Map<ResourceAddress, ResourceChange> changes,
                                                 Map<ResourceAddress, ResourceState> recorded) {
        String key = provider.schema().resourceType(type).map(ResourceSchema::referencedBy).orElse("name");
        for (ResourceChange c : changes.values()) {
            if (c.address().type().equals(type) && c.planned() != null && name.equals(c.planned().get(key))) {
                return c.planned();
            }
        }
        for (ResourceState r : recorded.values()) {
            if (r.address().type().equals(type) && name.equals(r.attributes().get(key))) {
                return r.attributes();
            }
        }
        return Map.of();
    }

    /** Keeps {@code recorded} what the state holds as the run records changes. */
    private static ApplyListener tracking(Map<ResourceAddress, ResourceState> recorded) {
        return new ApplyListener() {
            @Override
            public void created(ResourceChange change, ResourceState newState) {
                recorded.put(change.address(), newState.withDependencies(change.dependencies()));
            }

            @Override
            public void refreshed(ResourceChange change, ResourceState current) {
                recorded.put(change.address(), current.withDependencies(change.dependencies()));
            }

            @Override
            public void deposed(ResourceChange change, ResourceAddress at) {
                ResourceState old = recorded.remove(change.address());
                if (old != null) {
                    recorded.put(at, new ResourceState(at, old.id(), old.attributes(), old.dependencies()));
                }
            }

            @Override
            public void deleted(ResourceChange change) {
                recorded.remove(change.address());
            }

            @Override
            public void forgotten(ResourceAddress address) {
                recorded.remove(address);
            }
        };
    }

    /** One delete call, and what Fly deletes along with it; false when it failed. */
    private boolean delete(ResourceChange change, List<ResourceChange> cascaded, Run run) {
        run.listener.starting(change, true);
        ApplyResponse response = located(change, provider.apply(new ApplyRequest(change.address(), change.prior(), null, Map.of(),
                what -> run.listener.waiting(change, what))));
        run.diags.addAll(response.diagnostics());
        if (response.failed()) {
            run.listener.failed(change, response.diagnostics());
            return false;
        }
        for (ResourceChange gone : concat(change, cascaded)) {
            run.listener.deleted(gone);
            run.disown(gone.address());
            run.destroyed.incrementAndGet();
        }
        return true;
    }

    private static List<ResourceChange> concat(ResourceChange first, List<ResourceChange> rest) {
        List<ResourceChange> all = new ArrayList<>(rest.size() + 1);
        all.add(first);
        all.addAll(rest);
        return all;
    }

    /** What the provider reports of a change, at the declaration it came from (when it has one). */
    private static ApplyResponse located(ResourceChange change, ApplyResponse response) {
        if (change.location() == null || response.diagnostics().stream().allMatch(d -> d.location() != null)) {
            return response;
        }
        List<Diagnostic> located = new ArrayList<>();
        for (Diagnostic d : response.diagnostics()) {
            Diagnostic withResource = d.resource() == null ? d.forResource(change.address()) : d;
            located.add(withResource.location() == null ? withResource.at(change.location()) : withResource);
        }
        return new ApplyResponse(response.newState(), located, response.ambiguous());
    }

    /** A replacement made before its old object is deleted (the type says so). */
    private boolean createdFirst(ResourceChange change) {
        return change.action() == Action.REPLACE && change.deletedWith() == null && change.prior() != null
                && (change.createdFirst()
                || provider.schema().resourceType(change.address().type()).map(ResourceSchema::createdFirst).orElse(false));
    }

    /**
     * Runs {@code work} on each item once everything it waits for is done, up to
     * {@code parallelism} at a time, ties in the given order. After a failure, or when
     * cancelled, nothing new starts; what is in flight finishes (and is recorded).
     *
     * @return false when an item failed
     */
    private boolean schedule(List<ResourceAddress> items, Map<ResourceAddress, Set<ResourceAddress>> waitsFor,
                             java.util.function.Predicate<ResourceAddress> work, Run run) {
        return new GraphWalker<ResourceAddress>(parallelism).walk(items, waitsFor, work, run::stopRequested, () -> {
            run.interrupted = true;
            run.cancellation.request();
        });
    }

    private ResourceState update(ResourceChange change, ResourceState prior, Map<String, Object> planned, Run run) {
        ApplyResponse response = provider.apply(new ApplyRequest(change.address(), prior, planned, Map.of(),
                what -> run.listener.waiting(change, what)));
        return accept(change, planned, response, run);
    }

    /**
     * An intent first, then the create. On an ambiguous failure, reconcile: adopt what was made,
     * or, when nothing certainly was, try again (a fresh intent each time).
     */
    private ResourceState create(ResourceChange change, Map<String, Object> planned, Run run) {
        for (int attempt = 1; attempt <= CREATE_ATTEMPTS; attempt++) {
            String intentId = UUID.randomUUID().toString();
            PrepareCreateResponse prepared = provider.prepareCreate(new PrepareCreateRequest(change.address(), planned, intentId));
            if (failed(change, prepared.diagnostics(), run)) {
                return null;
            }
            Map<String, Object> recorded = new LinkedHashMap<>(prepared.intentData());
            recorded.put(Recovery.DEPENDENCIES, change.dependencies().stream().map(Object::toString).toList());
            Intent intent = new Intent(intentId, change.address(), Instant.now(), recorded, recordable(change.address(), planned));
            run.listener.intending(change, intent);
            Map<String, Object> intentData = new LinkedHashMap<>(prepared.intentData());
            intentData.put("intent_id", intentId);
            ApplyResponse response = located(change, provider.apply(new ApplyRequest(change.address(), null, planned, intentData,
                    what -> run.listener.waiting(change, what))));
            if (!response.ambiguous()) {
                if (response.failed() && response.newState() == null) {
                    run.listener.abandoned(intent);
                }
                return accept(change, planned, response, run);
            }
            ReconcileResponse found = provider.reconcile(new ReconcileRequest(change.address(), intentData, planned,
                    run.owned(change.address().type())));
            switch (found.outcome()) {
                case CREATED -> {
                    return accept(change, planned, ApplyResponse.of(found.found()), run);
                }
                case NOT_CREATED -> {
                    run.listener.abandoned(intent);
                    run.recreated.incrementAndGet();
                    if (attempt == CREATE_ATTEMPTS) {
                        return accept(change, planned, response, run);
                    }
                }
                default -> {
                    // Unknown: the intent stays; the next run reconciles it before anything is sent again.
                    List<Diagnostic> why = new ArrayList<>(response.diagnostics());
                    why.addAll(found.diagnostics());
                    run.diags.addAll(why);
                    run.listener.failed(change, why);
                    return null;
                }
            }
        }
        throw new IllegalStateException("unreachable");
    }

    private ResourceState accept(ResourceChange change, Map<String, Object> planned, ApplyResponse original, Run run) {
        ApplyResponse response = located(change, original);
        run.diags.addAll(response.diagnostics());
        if (response.failed() && response.newState() != null) {
            // Made, but not as it should be (a machine that failed to start): recorded, so that
            // nothing is lost, and the run stops.
            run.listener.created(change, redact(response.newState(), run.digestKey));
            run.own(change.address(), provider.identity(response.newState()));
            run.listener.failed(change, response.diagnostics());
            return null;
        }
        if (response.failed() || response.newState() == null) {
            List<Diagnostic> failure = response.failed() ? response.diagnostics()
                    : List.of(Diagnostic.error("Provider returned no object for " + change.address(), "This is a bug in the provider."));
            if (!response.failed()) {
                run.diags.addAll(failure);
            }
            run.listener.failed(change, failure);
            return null;
        }
        ResourceState made = redact(response.newState(), run.digestKey);
        run.diags.addAll(inconsistencies(change, planned, made, run.digestKey));
        run.listener.created(change, made);
        return made;
    }

    private boolean failed(ResourceChange change, List<Diagnostic> diagnostics, Run run) {
        if (diagnostics.stream().noneMatch(Diagnostic::isError)) {
            return false;
        }
        run.diags.addAll(diagnostics);
        run.listener.failed(change, diagnostics);
        return true;
    }

    /** What an intent keeps of the planned values: no unknowns, and never a sensitive value. */
    private Map<String, Object> recordable(ResourceAddress address, Map<String, Object> planned) {
        ResourceSchema type = provider.schema().resourceType(address.type()).orElse(null);
        Map<String, Object> out = new TreeMap<>();
        planned.forEach((k, v) -> {
            if (!Values.containsUnknown(v) && (type == null || !type.isSensitive(k))) {
                out.put(k, v);
            }
        });
        return out;
    }

    private static final class Run {
        final ApplyListener listener;
        final List<Diagnostic> diags;
        final String digestKey;
        final Cancellation cancellation;
        final Map<ResourceAddress, Map<String, Object>> known = new java.util.concurrent.ConcurrentHashMap<>();
        final Map<ResourceAddress, String> ids = new java.util.concurrent.ConcurrentHashMap<>();
        final java.util.concurrent.atomic.AtomicInteger added = new java.util.concurrent.atomic.AtomicInteger();
        final java.util.concurrent.atomic.AtomicInteger changed = new java.util.concurrent.atomic.AtomicInteger();
        final java.util.concurrent.atomic.AtomicInteger destroyed = new java.util.concurrent.atomic.AtomicInteger();
        final java.util.concurrent.atomic.AtomicInteger adopted = new java.util.concurrent.atomic.AtomicInteger();
        final java.util.concurrent.atomic.AtomicInteger recreated = new java.util.concurrent.atomic.AtomicInteger();
        volatile boolean interrupted;

        Run(ApplyListener listener, List<Diagnostic> diags, String digestKey, Cancellation cancellation) {
            this.listener = listener;
            this.diags = java.util.Collections.synchronizedList(diags);
            this.digestKey = digestKey;
            this.cancellation = cancellation;
        }

        boolean stopRequested() {
            if (cancellation.requested()) {
                interrupted = true;
                return true;
            }
            return false;
        }

        /** @param identity the object's {@link Provider#identity identity} */
        void own(ResourceAddress address, String identity) {
            ids.put(address, identity);
        }

        void disown(ResourceAddress address) {
            ids.remove(address);
        }

        /** Ids of the type that state entries hold: a reconcile must not claim them. */
        Set<String> owned(String type) {
            Set<String> owned = new TreeSet<>();
            ids.forEach((a, id) -> {
                if (a.type().equals(type)) {
                    owned.add(id);
                }
            });
            return owned;
        }

        ApplyResult result() {
            synchronized (diags) {
                return new ApplyResult(added.get(), changed.get(), destroyed.get(), adopted.get(), recreated.get(), interrupted,
                        new ArrayList<>(diags));
            }
        }
    }

    /**
     * The planned values with every reference resolved from what exists now. When the plan had
     * unknowns, the provider proposes again; anything the plan already knew must not change.
     */
    private Map<String, Object> finalPlan(ResourceChange change, Run run) {
        if (change.config() == null || !Values.containsUnknown(change.planned())
                || Values.references(change.config()).isEmpty()) {
            return change.planned();
        }
        Map<String, Object> resolved = Values.resolveAll(change.config(), ref -> run.known.getOrDefault(ref.address(), Map.of())
                .getOrDefault(ref.attribute(), Unknown.AFTER_APPLY));
        // Proposed against the same prior as at plan time, so defaults taken from it agree.
        PlanResponse response = provider.plan(new PlanRequest(change.address(), change.prior(), resolved, owner));
        if (failed(change, response.diagnostics(), run)) {
            return null;
        }
        Map<String, Object> finalPlanned = new LinkedHashMap<>(response.planned());
        if (change.action() == Action.REPLACE) {
            // The new object's API-set values (id, address) are new, whatever the old one had.
            provider.schema().resourceType(change.address().type()).ifPresent(type -> type.attributes().values().stream()
                    .filter(a -> a.computed() && !a.settable()).forEach(a -> finalPlanned.put(a.name(), Unknown.AFTER_APPLY)));
        }
        for (Map.Entry<String, Object> e : change.planned().entrySet()) {
            Object was = e.getValue();
            if (Values.containsUnknown(was)) {
                continue;
            }
            if (!Values.same(was, finalPlanned.get(e.getKey()))) {
                Diagnostic d = Diagnostic.error("Provider produced an inconsistent final plan for " + change.address(),
                        "Attribute `" + e.getKey() + "` was planned before apply but changed once the values it depends on "
                                + "became known. This is a bug in the provider; nothing was changed for this resource.")
                        .forResource(change.address());
                run.diags.add(d);
                run.listener.failed(change, List.of(d));
                return null;
            }
        }
        return finalPlanned;
    }

    /** The state never holds a sensitive value: only its keyed digest. */
    private ResourceState redact(ResourceState made, String digestKey) {
        ResourceSchema type = provider.schema().resourceType(made.address().type()).orElse(null);
        if (type == null) {
            return made;
        }
        Map<String, Object> attrs = new LinkedHashMap<>(made.attributes());
        boolean touched = false;
        for (Map.Entry<String, Object> e : attrs.entrySet()) {
            if (type.isSensitive(e.getKey()) && e.getValue() instanceof String s && !SecretDigest.isDigest(s)) {
                e.setValue(SecretDigest.of(digestKey, s));
                touched = true;
            }
        }
        return touched ? made.withAttributes(attrs) : made;
    }

    /** Distrust providers: every known planned value must be what the API now holds. */
    private List<Diagnostic> inconsistencies(ResourceChange change, Map<String, Object> planned, ResourceState result,
                                             String digestKey) {
        ResourceSchema type = provider.schema().resourceType(change.address().type()).orElse(null);
        List<Diagnostic> found = new ArrayList<>();
        planned.forEach((name, value) -> {
            if (Values.containsUnknown(value) || (type != null && type.attributes().containsKey(name)
                    && type.attributes().get(name).computed() && !type.attributes().get(name).settable())) {
                return;
            }
            Object actual = result.attributes().get(name);
            boolean sensitive = type != null && type.isSensitive(name);
            Object expected = sensitive && value instanceof String s ? SecretDigest.of(digestKey, s) : value;
            if (!Values.same(expected, actual)) {
                String values = sensitive ? " differs from its planned (sensitive) value"
                        : " was planned as " + value + " but is " + actual;
                found.add(Diagnostic.warning("Provider produced an inconsistent result for " + change.address(),
                        "Attribute `" + name + "`" + values + " after apply. The next plan will show the difference.")
                        .forResource(change.address()));
            }
        });
        return found;
    }
}
