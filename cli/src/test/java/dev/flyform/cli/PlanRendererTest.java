package dev.flyform.cli;

import dev.flyform.engine.addr.ResourceAddress;
import dev.flyform.engine.config.Unknown;
import dev.flyform.engine.plan.Action;
import dev.flyform.engine.plan.AttributeChange;
import dev.flyform.engine.plan.Plan;
import dev.flyform.engine.plan.ResourceChange;
import dev.flyform.engine.state.ResourceState;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

class PlanRendererTest {

    private final PlanRenderer renderer = new PlanRenderer(new Style(false));

    private static final ResourceAddress WEB = new ResourceAddress("fly_app", "web");

    private static ResourceState prior() {
        return new ResourceState(WEB, "old-web", Map.of("name", "old-web", "org", "personal", "id", "abc"));
    }

    @Test
    void aReplacementShowsTheForcingAttributeAndItsReason() {
        ResourceChange change = new ResourceChange(WEB, Action.REPLACE, prior(),
                Map.of("name", "new-web", "org", "personal", "id", Unknown.AFTER_APPLY), Map.of(),
                List.of(new AttributeChange("name", "old-web", "new-web", true, false),
                        new AttributeChange("org", "personal", "personal", false, false),
                        new AttributeChange("id", "abc", Unknown.AFTER_APPLY, false, false)),
                Set.of("name"), Set.of(), null, null, false);

        assertEquals("""
                flyform will perform the following actions:

                  # fly_app.web must be replaced (`name` forces replacement)
                -/+ resource "fly_app" "web" {
                      ~ name = "old-web" -> "new-web" # forces replacement
                        org  = "personal"
                      ~ id   = "abc" -> (known after apply)
                    }

                Plan: 1 to add, 0 to change, 1 to destroy.
                """, renderer.render(new Plan("l", 1, List.of(change), List.of(), List.of())));
    }

    @Test
    void anUpdateHidesUnchangedAttributesAndSensitiveValuesNeverShow() {
        ResourceChange change = new ResourceChange(WEB, Action.UPDATE, prior(), Map.of(), Map.of(),
                List.of(new AttributeChange("name", "old-web", "old-web", false, false),
                        new AttributeChange("token", "s3cret-before", "s3cret-after", false, true)),
                Set.of(), Set.of(), null, null, false);

        assertEquals("""
                flyform will perform the following actions:

                  # fly_app.web will be updated in-place
                  ~ resource "fly_app" "web" {
                      ~ token = (sensitive value) -> (sensitive value)
                        # (1 unchanged attribute hidden)
                    }

                Plan: 0 to add, 1 to change, 0 to destroy.
                """, renderer.render(new Plan("l", 1, List.of(change), List.of(), List.of())));
    }

    @Test
    void stringsAreQuotedAndEscaped() {
        assertEquals("\"a \\\"b\\\"\\n\"", PlanRenderer.value("a \"b\"\n", false));
        assertEquals("[\"x\", 1]", PlanRenderer.value(List.of("x", 1), false));
        assertEquals("(known after apply)", PlanRenderer.value(Unknown.AFTER_APPLY, false));
    }

    @Test
    void aPlanWithoutChangesSaysSo() {
        ResourceChange same = new ResourceChange(WEB, Action.NO_OP, prior(), Map.of(), Map.of(), List.of(), Set.of(), Set.of(), null, null, false);

        assertEquals("No changes. Your infrastructure matches the configuration.\n",
                renderer.render(new Plan("l", 1, List.of(same), List.of(), List.of())));
    }
}
