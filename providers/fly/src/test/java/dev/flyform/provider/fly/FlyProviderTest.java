package dev.flyform.provider.fly;

import dev.flyform.emulator.FlyEmulator;
import dev.flyform.emulator.contract.FlyContract;
import dev.flyform.engine.addr.ResourceAddress;
import dev.flyform.engine.config.ResourceConfig;
import dev.flyform.engine.config.Unknown;
import dev.flyform.engine.diag.Diagnostic;
import dev.flyform.engine.diag.SourceLocation;
import dev.flyform.engine.provider.ApplyRequest;
import dev.flyform.engine.provider.ApplyResponse;
import dev.flyform.engine.provider.ImportRequest;
import dev.flyform.engine.provider.PlanRequest;
import dev.flyform.engine.provider.PlanResponse;
import dev.flyform.engine.provider.ReadRequest;
import dev.flyform.engine.provider.ValidateRequest;
import dev.flyform.engine.state.ResourceState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** fly_app against the emulator over real HTTP; assertions on what the emulator ends up holding. */
class FlyProviderTest {

    private static final ResourceAddress WEB = new ResourceAddress("fly_app", "web");

    private final FlyEmulator fly = FlyEmulator.start(0);
    private final FlyContract contract = FlyContract.attachTo(fly);

    /** Every request the provider sent and every answer it got keep to Fly's contract. */
    @AfterEach
    void stop() {
        fly.close();
        if (contract.checked() > 0) {
            contract.assertClean();
        }
    }

    private FlyProvider provider(String token) {
        return new FlyProvider(FlySettings.of(fly.baseUrl(), fly.baseUrl(), token), "personal", "flyform-test");
    }

    private static Map<String, Object> planned(String name, String org) {
        return Map.of("name", name, "org", org, "network", "default", "id", Unknown.AFTER_APPLY);
    }

    @Test
    void createsAnAppThenReadsItBackAndDeletesIt() {
        FlyProvider p = provider(FlyEmulator.PERSONAL_TOKEN);

        ApplyResponse created = p.apply(new ApplyRequest(WEB, null, planned("acme-web", "personal")));
        assertFalse(created.failed(), created.diagnostics().toString());
        assertEquals("personal", fly.app("acme-web").orElseThrow().orgSlug());
        assertEquals(fly.app("acme-web").orElseThrow().id(), created.newState().attributes().get("id"));

        ResourceState read = p.read(new ReadRequest(created.newState())).current();
        assertEquals(created.newState().attributes(), read.attributes());

        assertFalse(p.apply(new ApplyRequest(WEB, read, null)).failed());
        assertTrue(fly.apps().isEmpty());
        assertNull(p.read(new ReadRequest(read)).current(), "a deleted app reads as gone");
        assertFalse(p.apply(new ApplyRequest(WEB, read, null)).failed(), "deleting what is gone succeeds");
    }

    @Test
    void bothTokenSchemesAreAccepted() {
        // The emulator answers 401 to a wrong scheme or token; a bearer token must reach other-org.
        FlyProvider other = new FlyProvider(FlySettings.of(fly.baseUrl(), fly.baseUrl(), FlyEmulator.OTHER_TOKEN), "other-org", "t");

        assertFalse(other.apply(new ApplyRequest(WEB, null, planned("theirs", "other-org"))).failed());
        assertFalse(provider(FlyEmulator.PERSONAL_TOKEN).apply(new ApplyRequest(WEB, null, planned("mine", "personal"))).failed());
        assertEquals(List.of("mine", "theirs"), fly.apps().stream().map(a -> a.name()).toList());
    }

    @Test
    void aNameTakenByAnotherOrganizationIsAPlanErrorOnTheNameAttribute() {
        new FlyProvider(FlySettings.of(fly.baseUrl(), fly.baseUrl(), FlyEmulator.OTHER_TOKEN), "other-org", "t")
                .apply(new ApplyRequest(WEB, null, planned("taken", "other-org")));
        int before = fly.calls().size();

        PlanResponse plan = provider(FlyEmulator.PERSONAL_TOKEN)
                .plan(new PlanRequest(WEB, null, Map.of("name", "taken")));

        Diagnostic d = plan.diagnostics().get(0);
        assertEquals("App name \"taken\" is already taken by another organization", d.summary());
        assertEquals("name", d.attribute());
        assertTrue(fly.calls().subList(before, fly.calls().size()).stream().noneMatch(c -> c.mutating()));
    }

    @Test
    void aCreateThatMeets422ForOurOwnAppAdoptsItInsteadOfFailing() {
        FlyProvider p = provider(FlyEmulator.PERSONAL_TOKEN);
        p.apply(new ApplyRequest(WEB, null, planned("again", "personal")));

        ApplyResponse second = p.apply(new ApplyRequest(WEB, null, planned("again", "personal")));

        assertFalse(second.failed(), second.diagnostics().toString());
        assertEquals(1, fly.apps().size());
        assertEquals(fly.app("again").orElseThrow().id(), second.newState().attributes().get("id"));
    }

    @Test
    void planFillsDefaultsAndLeavesTheIdUnknownUntilApply() {
        PlanResponse plan = provider(FlyEmulator.PERSONAL_TOKEN).plan(new PlanRequest(WEB, null, Map.of("name", "fresh")));

        assertEquals(Map.of("name", "fresh", "org", "personal", "network", "default", "id", Unknown.AFTER_APPLY), plan.planned());
        assertTrue(plan.diagnostics().isEmpty());
    }

    @Test
    void invalidNamesFailValidationWithoutAnyCall() {
        FlyProvider p = provider(FlyEmulator.PERSONAL_TOKEN);
        for (String bad : new String[] {"Upper", "-x", "x-", "a_b", "a".repeat(64)}) {
            ResourceConfig config = new ResourceConfig(WEB, Map.of("name", bad), new SourceLocation("main.fly.groovy", 1));
            assertEquals(1, p.validate(new ValidateRequest(config)).diagnostics().size(), bad);
        }
        ResourceConfig ok = new ResourceConfig(WEB, Map.of("name", "a".repeat(63)), new SourceLocation("main.fly.groovy", 1));
        assertTrue(p.validate(new ValidateRequest(ok)).diagnostics().isEmpty());
        assertTrue(fly.calls().isEmpty());
    }

    @Test
    void importingAMissingAppIsAClearDiagnostic() {
        var response = provider(FlyEmulator.PERSONAL_TOKEN).importResource(new ImportRequest(WEB, "nope"));

        assertTrue(response.imported().isEmpty());
        assertEquals("No app named \"nope\" exists", response.diagnostics().get(0).summary());
    }

    @Test
    void anUnreachableApiIsADiagnosticThatNeverContainsTheToken() {
        FlyProvider p = new FlyProvider(FlySettings.of(URI.create("http://127.0.0.1:1"), URI.create("http://127.0.0.1:1"),
                "fm2_secret_token_value"), "personal", "t");

        ApplyResponse r = p.apply(new ApplyRequest(WEB, null, planned("x", "personal")));

        assertTrue(r.failed());
        Diagnostic d = r.diagnostics().get(0);
        assertEquals("Cannot reach the Fly API", d.summary());
        assertFalse(d.render().contains("fm2_secret_token_value"), d.render());
    }
}
