package dev.flyform.engine;

import dev.flyform.engine.config.Unknown;
import dev.flyform.engine.diag.Diagnostic;
import dev.flyform.engine.provider.ApplyRequest;
import dev.flyform.engine.provider.ApplyResponse;
import dev.flyform.engine.provider.AttributeSchema;
import dev.flyform.engine.provider.AttributeType;
import dev.flyform.engine.provider.ImportRequest;
import dev.flyform.engine.provider.ImportResponse;
import dev.flyform.engine.provider.PlanRequest;
import dev.flyform.engine.provider.PlanResponse;
import dev.flyform.engine.provider.Provider;
import dev.flyform.engine.provider.ProviderSchema;
import dev.flyform.engine.provider.ReadRequest;
import dev.flyform.engine.provider.ReadResponse;
import dev.flyform.engine.provider.ResourceSchema;
import dev.flyform.engine.provider.ValidateRequest;
import dev.flyform.engine.provider.ValidateResponse;
import dev.flyform.engine.state.ResourceState;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * An in-memory provider for engine tests: a fake with real behaviour (it holds objects and
 * answers for them), not a mock. {@code test_box} stands alone; {@code test_item} lives in a box
 * (deleted with it) and holds a sensitive {@code secret}.
 */
final class BoxProvider implements Provider {

    static final String TYPE = "test_box";
    static final String ITEM = "test_item";

    /** What exists "remotely", by id. */
    final Map<String, Map<String, Object>> remote = new TreeMap<>();
    /** Every apply call, as "create label", "update label", "delete label". */
    final List<String> calls = new ArrayList<>();
    /** A label whose create fails. */
    String failOn;
    private int nextId = 1;

    @Override
    public ProviderSchema schema() {
        return new ProviderSchema(Map.of(TYPE, ResourceSchema.of(TYPE, List.of(
                AttributeSchema.required("label", AttributeType.STRING, "The box's label."),
                AttributeSchema.optional("size", AttributeType.NUMBER, "Grows in place.").withDefault(),
                AttributeSchema.optional("zone", AttributeType.STRING, "Cannot move.").forcingReplacement(),
                AttributeSchema.readOnly("id", AttributeType.STRING, "Given by the API."))),
                ITEM, ResourceSchema.of(ITEM, List.of(
                        AttributeSchema.required("label", AttributeType.STRING, "The item's label."),
                        AttributeSchema.required("box", AttributeType.STRING, "Id of its box.").forcingReplacement(),
                        AttributeSchema.optional("secret", AttributeType.STRING, "Never shown.").asSensitive(),
                        AttributeSchema.readOnly("id", AttributeType.STRING, "Given by the API.")), TYPE)));
    }

    @Override
    public ValidateResponse validate(ValidateRequest request) {
        return new ValidateResponse(List.of());
    }

    @Override
    public ReadResponse read(ReadRequest request) {
        Map<String, Object> found = remote.get(request.prior().id());
        return found == null ? ReadResponse.gone() : ReadResponse.of(state(request.prior(), request.prior().id(), found));
    }

    @Override
    public PlanResponse plan(PlanRequest request) {
        Map<String, Object> planned = new LinkedHashMap<>(request.config());
        if (request.address().type().equals(TYPE)) {
            planned.putIfAbsent("size", 1);
        }
        planned.put("id", request.prior() == null ? Unknown.AFTER_APPLY : request.prior().attributes().get("id"));
        return new PlanResponse(planned, Set.of(), List.of());
    }

    @Override
    public ApplyResponse apply(ApplyRequest request) {
        if (request.isDelete()) {
            calls.add("delete " + request.prior().attributes().get("label"));
            remote.remove(request.prior().id());
            return ApplyResponse.of(null);
        }
        String label = (String) request.planned().get("label");
        if (label.equals(failOn)) {
            calls.add("failed " + label);
            return ApplyResponse.failed(Diagnostic.error("box " + label + " refused", ""));
        }
        String id = request.isCreate() ? request.address().type() + "-" + nextId++ : request.prior().id();
        calls.add((request.isCreate() ? "create " : "update ") + label);
        Map<String, Object> attrs = new LinkedHashMap<>(request.planned());
        attrs.put("id", id);
        remote.put(id, attrs);
        return ApplyResponse.of(new ResourceState(request.address(), id, attrs));
    }

    @Override
    public ImportResponse importResource(ImportRequest request) {
        Map<String, Object> found = remote.get(request.id());
        return found == null ? new ImportResponse(List.of(), List.of(Diagnostic.error("no box " + request.id(), "")))
                : new ImportResponse(List.of(new ResourceState(request.address(), request.id(), found)), List.of());
    }

    private static ResourceState state(ResourceState prior, String id, Map<String, Object> attrs) {
        return new ResourceState(prior.address(), id, attrs, prior.dependencies());
    }
}
