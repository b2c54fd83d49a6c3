package dev.flyform.engine.provider;

/**
 * What the engine asks of a provider, as request/response pairs. The engine picks actions;
 * the provider reads objects, proposes planned states, names the attributes that force
 * replacement, and applies one change at a time. A single {@link #apply} covers create
 * (no prior), update (both) and delete (no planned state).
 *
 * <p>User-facing problems come back as diagnostics in the responses, never as exceptions.
 */
public interface Provider {

    ProviderSchema schema();

    ValidateResponse validate(ValidateRequest request);

    ReadResponse read(ReadRequest request);

    PlanResponse plan(PlanRequest request);

    ApplyResponse apply(ApplyRequest request);

    ImportResponse importResource(ImportRequest request);
}
