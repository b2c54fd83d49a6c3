package dev.flyform.engine.provider;

import java.util.Map;

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

    /** Refresh in bulk. The default reads one object at a time. */
    default ReadManyResponse readMany(ReadManyRequest request) {
        Map<dev.flyform.engine.addr.ResourceAddress, ReadResponse> results = new java.util.LinkedHashMap<>();
        request.priors().forEach(p -> results.put(p.address(), read(new ReadRequest(p))));
        return new ReadManyResponse(results, java.util.List.of());
    }

    /** Before each create. The default records nothing: such a type cannot be reconciled. */
    default PrepareCreateResponse prepareCreate(PrepareCreateRequest request) {
        return new PrepareCreateResponse(java.util.Map.of(), java.util.List.of());
    }

    /** After a crash or an ambiguous failure. The default cannot tell. */
    default ReconcileResponse reconcile(ReconcileRequest request) {
        return ReconcileResponse.unknown(dev.flyform.engine.diag.Diagnostic.error(
                "Cannot tell whether " + request.address() + " was created", "Its provider cannot look it up."));
    }

    /**
     * After an apply (or destroy) has made its changes, whether or not all succeeded: for work a
     * provider does once for several changes (restarting what they affect). Problems come back
     * as diagnostics; the state has been recorded already.
     */
    default java.util.List<dev.flyform.engine.diag.Diagnostic> applyFinished() {
        return java.util.List.of();
    }

    /**
     * Objects made in this apply whose values only Fly sets depend on what was made after them
     * (a certificate's DNS records name the app's addresses), read again once every change is
     * made; the applier records them as read.
     *
     * @param recorded every object the state holds once the changes are made
     */
    /**
     * Reads a data source: the object {@code config} names (all its values known), as
     * attributes; an error when there is none. The default knows no data source.
     */
    default ReadResponse readData(dev.flyform.engine.addr.ResourceAddress address, java.util.Map<String, Object> config) {
        return new ReadResponse(null, java.util.List.of(dev.flyform.engine.diag.Diagnostic.error(
                "Unknown data source " + address.baseType(), "Its provider has no data sources.").forResource(address)));
    }

    default ReadManyResponse readAgainAfterApply(java.util.List<dev.flyform.engine.state.ResourceState> recorded) {
        return new ReadManyResponse(java.util.Map.of(), java.util.List.of());
    }

    /**
     * What tells an object apart from every other of its type, in the {@code owned} sets of
     * lookups and reconciles: its id, unless ids repeat (a secret's name does, across apps).
     */
    default String identity(dev.flyform.engine.state.ResourceState state) {
        return state.id();
    }

    /** Adopt-first planning: an existing object for a declared one without state. The default finds none. */
    default LookupResponse lookup(LookupRequest request) {
        return LookupResponse.none();
    }
}
