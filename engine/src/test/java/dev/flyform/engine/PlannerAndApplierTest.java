package dev.flyform.engine;

import dev.flyform.engine.addr.ResourceAddress;
import dev.flyform.engine.apply.Applier;
import dev.flyform.engine.apply.ApplyListener;
import dev.flyform.engine.apply.ApplyResult;
import dev.flyform.engine.apply.StateRecorder;
import dev.flyform.engine.config.Configuration;
import dev.flyform.engine.config.Reference;
import dev.flyform.engine.config.ResourceConfig;
import dev.flyform.engine.config.Unknown;
import dev.flyform.engine.diag.Diagnostic;
import dev.flyform.engine.diag.DiagnosticsException;
import dev.flyform.engine.diag.SourceLocation;
import dev.flyform.engine.plan.Action;
import dev.flyform.engine.plan.AttributeChange;
import dev.flyform.engine.plan.Plan;
import dev.flyform.engine.plan.PlanOptions;
import dev.flyform.engine.plan.Planner;
import dev.flyform.engine.plan.ResourceChange;
import dev.flyform.engine.state.InMemoryStateStore;
import dev.flyform.engine.state.ResourceState;
import dev.flyform.engine.state.SecretDigest;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PlannerAndApplierTest {

    private final BoxProvider provider = new BoxProvider();
    private final Planner planner = new Planner(provider);
    private final InMemoryStateStore store = new InMemoryStateStore();

    private static ResourceAddress box(String name) {
        return new ResourceAddress(BoxProvider.TYPE, name);
    }

    private static ResourceAddress item(String name) {
        return new ResourceAddress(BoxProvider.ITEM, name);
    }

    private static ResourceConfig item(String name, String box, String secret) {
        Map<String, Object> attrs = new LinkedHashMap<>();
        attrs.put("label", name);
        attrs.put("box", new Reference(box(box), "id"));
        if (secret != null) {
            attrs.put("secret", secret);
        }
        return new ResourceConfig(item(name), attrs, new SourceLocation("main.fly.groovy", 20));
    }

    private static ResourceConfig declare(String name, Map<String, Object> attrs, String... dependsOn) {
        Set<ResourceAddress> deps = new java.util.TreeSet<>();
        for (String d : dependsOn) {
            deps.add(box(d));
        }
        Map<String, SourceLocation> where = new LinkedHashMap<>();
        attrs.keySet().forEach(k -> where.put(k, new SourceLocation("main.fly.groovy", 11)));
        return new ResourceConfig(box(name), attrs, new SourceLocation("main.fly.groovy", 10), where, deps);
    }

    private Plan plan(ResourceConfig... resources) {
        return planner.plan(Configuration.of(List.of(resources)), store.read(), PlanOptions.defaults());
    }

    private ApplyResult apply(Plan plan, ApplyListener... more) {
        List<ApplyListener> listeners = new ArrayList<>(List.of(more));
        listeners.add(0, new StateRecorder(store));
        return new Applier(provider).apply(plan, store.read(), ApplyListener.all(listeners.toArray(ApplyListener[]::new)));
    }

    @Test
    void anUndeclaredObjectIsCreatedWithItsComputedValuesUnknown() {
        Plan plan = plan(declare("a", Map.of("label", "a")));

        ResourceChange a = plan.change(box("a")).orElseThrow();
        assertEquals(Action.CREATE, a.action());
        assertEquals(Unknown.AFTER_APPLY, a.planned().get("id"));
        assertEquals(1, plan.count(Action.CREATE));
    }

    @Test
    void applyingTwiceChangesNothingTheSecondTime() {
        ResourceConfig a = declare("a", Map.of("label", "a", "size", 2));
        assertTrue(apply(plan(a)).succeeded());
        provider.calls.clear();

        Plan second = plan(a);

        assertFalse(second.hasChanges());
        assertEquals(Action.NO_OP, second.change(box("a")).orElseThrow().action());
        apply(second);
        assertEquals(List.of(), provider.calls);
    }

    @Test
    void anUpdatableAttributeIsUpdatedInPlaceAndAnImmutableOneReplaces() {
        apply(plan(declare("a", Map.of("label", "a", "size", 1, "zone", "iad"))));

        ResourceChange grown = plan(declare("a", Map.of("label", "a", "size", 5, "zone", "iad"))).change(box("a")).orElseThrow();
        ResourceChange moved = plan(declare("a", Map.of("label", "a", "size", 1, "zone", "ams"))).change(box("a")).orElseThrow();

        assertEquals(Action.UPDATE, grown.action());
        assertEquals(Action.REPLACE, moved.action());
        assertEquals(Set.of("zone"), moved.replaceReasons());
    }

    @Test
    void numbersCompareByValueWhateverTheirJavaType() {
        apply(plan(declare("a", Map.of("label", "a", "size", 3L))));

        assertFalse(plan(declare("a", Map.of("label", "a", "size", 3))).hasChanges());
    }

    @Test
    void anObjectDeletedOutsideFlyformIsCreatedAgain() {
        apply(plan(declare("a", Map.of("label", "a"))));
        provider.remote.clear();

        assertEquals(Action.CREATE, plan(declare("a", Map.of("label", "a"))).change(box("a")).orElseThrow().action());
    }

    @Test
    void anUndeclaredObjectDeletedOutsideFlyformIsDroppedFromStateWithoutAnyCall() {
        apply(plan(declare("a", Map.of("label", "a")), declare("b", Map.of("label", "b"))));
        provider.remote.values().removeIf(attrs -> attrs.get("label").equals("b"));
        provider.calls.clear();

        Plan plan = plan(declare("a", Map.of("label", "a")));
        apply(plan);

        assertFalse(plan.hasChanges());
        assertEquals(List.of(box("b")), plan.forgotten());
        assertEquals(Set.of(box("a")), store.read().resources().keySet());
        assertEquals(List.of(), provider.calls);
    }

    @Test
    void createsFollowDependenciesAndEachIsInStateBeforeTheNextStarts() {
        List<String> seenInStateWhenStarting = new ArrayList<>();
        ApplyListener observer = new ApplyListener() {
            @Override
            public void starting(ResourceChange change, boolean deleting) {
                seenInStateWhenStarting.add(change.address().name() + ":" + store.read().resources().keySet());
            }
        };

        ApplyResult result = apply(plan(
                declare("app", Map.of("label", "app")),
                declare("ip", Map.of("label", "ip"), "app"),
                declare("cert", Map.of("label", "cert"), "app", "ip")), observer);

        assertTrue(result.succeeded());
        assertEquals(List.of("create app", "create ip", "create cert"), provider.calls);
        assertEquals(List.of("app:[]", "ip:[test_box.app]", "cert:[test_box.app, test_box.ip]"), seenInStateWhenStarting);
        assertEquals(Set.of(box("app"), box("ip")), store.read().resource(box("cert")).orElseThrow().dependencies());
    }

    @Test
    void removedResourcesAreDeletedDependentsFirstFromTheDependenciesRecordedInState() {
        apply(plan(declare("app", Map.of("label", "app")), declare("ip", Map.of("label", "ip"), "app")));
        provider.calls.clear();

        Plan plan = plan();
        ApplyResult result = apply(plan);

        assertEquals(2, plan.count(Action.DELETE));
        assertTrue(result.succeeded());
        assertEquals(List.of("delete ip", "delete app"), provider.calls);
        assertTrue(store.read().resources().isEmpty());
        assertTrue(provider.remote.isEmpty());
    }

    @Test
    void aFailureStopsApplyAndStateKeepsWhatWasDoneBeforeIt() {
        provider.failOn = "b";

        ApplyResult result = apply(plan(declare("a", Map.of("label", "a")), declare("b", Map.of("label", "b"), "a"),
                declare("c", Map.of("label", "c"), "b")));

        assertFalse(result.succeeded());
        assertEquals(List.of("create a", "failed b"), provider.calls);
        assertEquals(Set.of(box("a")), store.read().resources().keySet());
    }

    @Test
    void aPlanMadeAgainstAnOlderSerialIsRefused() {
        Plan plan = plan(declare("a", Map.of("label", "a")));
        store.put(new ResourceState(box("other"), "x", Map.of()));

        DiagnosticsException e = assertThrows(DiagnosticsException.class, () -> apply(plan));

        assertEquals("Saved plan is stale", e.diagnostics().get(0).summary());
        assertTrue(provider.calls.isEmpty());
    }

    @Test
    void aMisspeltAttributeIsReportedAtItsLineWithASuggestion() {
        DiagnosticsException e = assertThrows(DiagnosticsException.class,
                () -> plan(declare("a", Map.of("label", "a", "sise", 2))));

        Diagnostic d = e.diagnostics().get(0);
        assertEquals("Unsupported attribute `sise` in test_box", d.summary());
        assertTrue(d.detail().startsWith("Did you mean `size`?"), d.detail());
        assertEquals("main.fly.groovy:11", d.location().toString());
        assertTrue(provider.calls.isEmpty());
    }

    @Test
    void aMissingRequiredAttributeAndAWrongTypeAreBothReportedInOneRun() {
        DiagnosticsException e = assertThrows(DiagnosticsException.class,
                () -> plan(declare("a", Map.of("size", "big"))));

        assertEquals(List.of("Attribute `size` of test_box must be a number", "Missing required attribute `label` in test_box"),
                e.diagnostics().stream().map(Diagnostic::summary).toList());
    }

    @Test
    void aReferenceCycleIsADiagnosticNamingTheCycle() {
        DiagnosticsException e = assertThrows(DiagnosticsException.class, () -> plan(
                declare("a", Map.of("label", "a"), "c"),
                declare("b", Map.of("label", "b"), "a"),
                declare("c", Map.of("label", "c"), "b")));

        Diagnostic d = e.diagnostics().get(0);
        assertEquals("Dependency cycle: test_box.a -> test_box.c -> test_box.b -> test_box.a", d.summary());
        assertTrue(d.detail().contains("test_box.b at main.fly.groovy:10"), d.detail());
    }

    @Test
    void aReferenceToAComputedValueIsUnknownAtPlanAndFilledInDuringApply() {
        Plan plan = plan(declare("b", Map.of("label", "b")), item("i", "b", null));

        ResourceChange i = plan.change(item("i")).orElseThrow();
        assertEquals(Unknown.AFTER_APPLY, i.planned().get("box"));
        assertEquals(Set.of(box("b")), i.dependencies(), "a reference is a dependency edge");
        assertTrue(apply(plan).succeeded());

        String boxId = store.read().resource(box("b")).orElseThrow().id();
        assertEquals(boxId, store.read().resource(item("i")).orElseThrow().attributes().get("box"));
        assertEquals(boxId, provider.remote.get(store.read().resource(item("i")).orElseThrow().id()).get("box"));
        assertFalse(plan(declare("b", Map.of("label", "b")), item("i", "b", null)).hasChanges());
    }

    @Test
    void aReferenceToAKnownValueResolvesAtPlanTime() {
        apply(plan(declare("b", Map.of("label", "b"))));
        String boxId = store.read().resource(box("b")).orElseThrow().id();

        Plan plan = plan(declare("b", Map.of("label", "b")), item("i", "b", null));

        assertEquals(boxId, plan.change(item("i")).orElseThrow().planned().get("box"));
    }

    @Test
    void aSecretIsKeptAsAKeyedDigestAndItsChangeIsSeenWithoutStoringIt() {
        assertTrue(apply(plan(declare("b", Map.of("label", "b")), item("i", "b", "s3cret-one"))).succeeded());

        Object stored = store.read().resource(item("i")).orElseThrow().attributes().get("secret");
        assertTrue(SecretDigest.isDigest(stored), String.valueOf(stored));
        assertFalse(store.read().toString().contains("s3cret-one"));
        assertFalse(plan(declare("b", Map.of("label", "b")), item("i", "b", "s3cret-one")).hasChanges());

        ResourceChange changed = plan(declare("b", Map.of("label", "b")), item("i", "b", "s3cret-two")).change(item("i")).orElseThrow();
        assertEquals(Action.UPDATE, changed.action());
        assertTrue(changed.attributes().stream().filter(a -> a.name().equals("secret")).allMatch(AttributeChange::sensitive));
    }

    @Test
    void deletingAParentTakesItsChildrenWithItInOneCall() {
        apply(plan(declare("b", Map.of("label", "b")), item("i", "b", null), item("j", "b", null)));
        provider.calls.clear();

        Plan plan = plan();
        ApplyResult result = apply(plan);

        assertEquals(box("b"), plan.change(item("i")).orElseThrow().deletedWith());
        assertTrue(result.succeeded());
        assertEquals(3, result.destroyed());
        assertEquals(List.of("delete b"), provider.calls);
        assertTrue(store.read().resources().isEmpty());
    }

    @Test
    void aChildAloneIsDeletedOnItsOwn() {
        apply(plan(declare("b", Map.of("label", "b")), item("i", "b", null)));
        provider.calls.clear();

        apply(plan(declare("b", Map.of("label", "b"))));

        assertEquals(List.of("delete i"), provider.calls);
    }

    @Test
    void replacingAParentReplacesItsChildren() {
        apply(plan(declare("b", Map.of("label", "b", "zone", "iad")), item("i", "b", null)));
        provider.calls.clear();

        Plan plan = plan(declare("b", Map.of("label", "b", "zone", "ams")), item("i", "b", null));
        ApplyResult result = apply(plan);

        assertEquals(Action.REPLACE, plan.change(item("i")).orElseThrow().action());
        assertTrue(result.succeeded());
        assertEquals(List.of("delete b", "create b", "create i"), provider.calls);
        String newBox = store.read().resource(box("b")).orElseThrow().id();
        assertEquals(newBox, store.read().resource(item("i")).orElseThrow().attributes().get("box"));
    }

    @Test
    void aReferenceToAnUndeclaredResourceIsAnError() {
        DiagnosticsException e = assertThrows(DiagnosticsException.class,
                () -> plan(declare("a", Map.of("label", "a"), "ghost")));

        assertEquals("Reference to undeclared resource test_box.ghost", e.diagnostics().get(0).summary());
    }
}
