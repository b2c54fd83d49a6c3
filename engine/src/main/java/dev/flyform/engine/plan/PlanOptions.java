package dev.flyform.engine.plan;

/** @param refresh read every object in state from the API before planning (Terraform's default) */
public record PlanOptions(boolean refresh) {

    public static PlanOptions defaults() {
        return new PlanOptions(true);
    }
}
