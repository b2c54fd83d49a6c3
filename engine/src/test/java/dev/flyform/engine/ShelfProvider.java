package dev.flyform.engine;

import dev.flyform.engine.config.Unknown;
import dev.flyform.engine.diag.Diagnostic;
import dev.flyform.engine.provider.ApplyRequest;
import dev.flyform.engine.provider.ApplyResponse;
import dev.flyform.engine.provider.AttributeSchema;
import dev.flyform.engine.provider.AttributeType;
import dev.flyform.engine.provider.ImportRequest;
import dev.flyform.engine.provider.ImportResponse;
import dev.flyform.engine.provider.LookupRequest;
import dev.flyform.engine.provider.LookupResponse;
import dev.flyform.engine.provider.PlanRequest;
import dev.flyform.engine.provider.PlanResponse;
import dev.flyform.engine.provider.PrepareCreateRequest;
import dev.flyform.engine.provider.PrepareCreateResponse;
import dev.flyform.engine.provider.Provider;
import dev.flyform.engine.provider.ProviderSchema;
import dev.flyform.engine.provider.ReadRequest;
import dev.flyform.engine.provider.ReadResponse;
import dev.flyform.engine.provider.ReconcileRequest;
import dev.flyform.engine.provider.ReconcileResponse;
import dev.flyform.engine.provider.ResourceSchema;
import dev.flyform.engine.provider.ValidateRequest;
import dev.flyform.engine.provider.ValidateResponse;
import dev.flyform.engine.state.ResourceState;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A fake with real behaviour for parallel applies, safe across threads: {@code test_shelf}
 * objects named by their label (found by lookup, reconciled by the label an intent keeps) and
 * {@code test_book}s on a shelf. Creates can be refused, or made with their answer lost.
 */
final class ShelfProvider implements Provider {

    static final String SHELF = "test_shelf";
    static final String BOOK = "test_book";

    /** What exists "remotely": id → attributes. */
    final Map<String, Map<String, Object>> remote = new ConcurrentHashMap<>();
    /** Every call, in the order they happened: "start create a", "end create a". */
    final List<String> events = Collections.synchronizedList(new ArrayList<>());
    /** Labels whose create is refused. */
    final Set<String> refused = ConcurrentHashMap.newKeySet();
    /** Labels whose create is made but its answer lost. */
    final Set<String> answerLost = ConcurrentHashMap.newKeySet();
    /** Run inside each create, between its start and its end (a barrier, to prove creates overlap). */
    volatile Consumer<String> duringCreate = label -> { };
    private final AtomicInteger nextId = new AtomicInteger(1);

    @Override
    public ProviderSchema schema() {
        return new ProviderSchema(Map.of(
                SHELF, ResourceSchema.of(SHELF, List.of(
                        AttributeSchema.required("label", AttributeType.STRING, "Names the shelf."),
                        AttributeSchema.readOnly("id", AttributeType.STRING, "Given by the API."))).identifiedBy("label"),
                BOOK, ResourceSchema.of(BOOK, List.of(
                        AttributeSchema.required("label", AttributeType.STRING, "Names the book."),
                        AttributeSchema.required("shelf", AttributeType.STRING, "Id of its shelf.").forcingReplacement(),
                        AttributeSchema.readOnly("id", AttributeType.STRING, "Given by the API."))).identifiedBy("label")));
    }

    @Override
    public ValidateResponse validate(ValidateRequest request) {
        return new ValidateResponse(List.of());
    }

    @Override
    public ReadResponse read(ReadRequest request) {
        Map<String, Object> found = remote.get(request.prior().id());
        return found == null ? ReadResponse.gone()
                : ReadResponse.of(state(request.prior().address(), request.prior().id(), found).withDependencies(request.prior().dependencies()));
    }

    @Override
    public PlanResponse plan(PlanRequest request) {
        Map<String, Object> planned = new LinkedHashMap<>(request.config());
        planned.put("id", request.prior() == null ? Unknown.AFTER_APPLY : request.prior().id());
        return new PlanResponse(planned, Set.of(), List.of());
    }

    /** An object of the declared label that exists already is taken over, never made twice. */
    @Override
    public LookupResponse lookup(LookupRequest request) {
        Object label = request.planned().get("label");
        return remote.entrySet().stream()
                .filter(e -> e.getValue().get("type").equals(request.address().type()) && e.getValue().get("label").equals(label)
                        && !request.owned().contains(e.getKey()))
                .findFirst().map(e -> LookupResponse.of(state(request.address(), e.getKey(), e.getValue()))).orElse(LookupResponse.none());
    }

    @Override
    public PrepareCreateResponse prepareCreate(PrepareCreateRequest request) {
        return new PrepareCreateResponse(Map.of("label", request.planned().get("label")), List.of());
    }

    /** After a lost answer: the object of the label the intent kept, if it was made. */
    @Override
    public ReconcileResponse reconcile(ReconcileRequest request) {
        Object label = request.intentData().get("label");
        return remote.entrySet().stream().filter(e -> e.getValue().get("label").equals(label)).findFirst()
                .map(e -> ReconcileResponse.created(state(request.address(), e.getKey(), e.getValue())))
                .orElse(ReconcileResponse.notCreated());
    }

    @Override
    public ApplyResponse apply(ApplyRequest request) {
        if (request.isDelete()) {
            remote.remove(request.prior().id());
            events.add("delete " + request.prior().attributes().get("label"));
            return ApplyResponse.of(null);
        }
        String label = (String) request.planned().get("label");
        events.add("start " + label);
        duringCreate.accept(label);
        if (refused.contains(label)) {
            events.add("refused " + label);
            return ApplyResponse.failed(Diagnostic.error(label + " refused", ""));
        }
        String id = request.prior() != null ? request.prior().id() : "id-" + nextId.getAndIncrement();
        Map<String, Object> attrs = new LinkedHashMap<>(request.planned());
        attrs.put("id", id);
        attrs.put("type", request.address().type());
        remote.put(id, attrs);
        events.add("end " + label);
        if (answerLost.contains(label)) {
            return ApplyResponse.ambiguous(Diagnostic.error("no answer for " + label, "It may have been made."));
        }
        return ApplyResponse.of(state(request.address(), id, attrs));
    }

    @Override
    public ImportResponse importResource(ImportRequest request) {
        return new ImportResponse(List.of(), List.of(Diagnostic.error("not supported", "")));
    }

    private static ResourceState state(dev.flyform.engine.addr.ResourceAddress address, String id, Map<String, Object> attrs) {
        Map<String, Object> shown = new LinkedHashMap<>(attrs);
        shown.remove("type");
        return new ResourceState(address, id, shown);
    }
}
