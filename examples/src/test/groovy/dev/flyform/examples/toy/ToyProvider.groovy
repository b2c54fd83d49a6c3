package dev.flyform.examples.toy;

import dev.flyform.engine.addr.ResourceAddress;
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
import dev.flyform.engine.provider.ProviderPlugin;
import dev.flyform.engine.provider.ProviderSchema;
import dev.flyform.engine.provider.ReadRequest;
import dev.flyform.engine.provider.ReadResponse;
import dev.flyform.engine.provider.ReconcileRequest;
import dev.flyform.engine.provider.ReconcileResponse;
import dev.flyform.engine.provider.ResourceSchema
import dev.flyform.engine.provider.Shortcut
import dev.flyform.engine.provider.Structure;
import dev.flyform.engine.provider.ValidateRequest;
import dev.flyform.engine.provider.ValidateResponse;
import dev.flyform.engine.state.ResourceState;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A provider that keeps its objects in memory, found on the test class path as a plugin: one
 * type, {@code toy_note}, declared in a {@code .fly.groovy} beside Fly's resources with no code
 * of its own in the DSL or the engine.
 */
public final class ToyProvider implements Provider {

    public static final String NOTE = "toy_note";

    /** What the toy "API" holds, for each working directory (each test its own): note id → its attributes. */
    private static final Map<Path, Map<String, Map<String, Object>>> STORES = new ConcurrentHashMap<>();

    /** The notes of the configuration in {@code directory}. */
    public static Map<String, Map<String, Object>> notes(Path directory) {
        return STORES.computeIfAbsent(directory.toAbsolutePath().normalize(), k -> new ConcurrentHashMap<>());
    }

    private final Map<String, Map<String, Object>> NOTES;   // this configuration's

    ToyProvider(Path directory) {
        NOTES = notes(directory);
    }
    private static final AtomicLong NEXT = new AtomicLong(1);

    static final ProviderSchema SCHEMA = new ProviderSchema(Map.of(NOTE, ResourceSchema.of(NOTE, List.of(
            AttributeSchema.required("text", AttributeType.STRING, "What the note says."),
            AttributeSchema.optional("tags", AttributeType.MAP, "Labels, merged when given more than once.")
                    .holding(Structure.of(AttributeType.STRING)),
            AttributeSchema.optional("links", AttributeType.LIST, "Links, one per link URL, title: '...'.")
                    .holding(Structure.object(AttributeSchema.required("url", AttributeType.STRING, "Where it points."),
                            AttributeSchema.optional("title", AttributeType.STRING, "What it is called."))
                            .declaredAs("link").givenFirst("url")),
            AttributeSchema.optional("reply_to", AttributeType.STRING, "The id of the note this one answers."),
            AttributeSchema.readOnly("id", AttributeType.STRING, "The note's id."),
            AttributeSchema.readOnly("length", AttributeType.NUMBER, "How many characters the text has.")))
            // note('q') { reply 'yes' }: a note answering this one, toy_note.q_yes
            .withShortcut(new Shortcut("reply", NOTE, "reply_to", List.of("text"), 1))));

    /** The plugin the ServiceLoader finds. */
    public static final class Plugin implements ProviderPlugin {
        @Override
        public ProviderSchema schema() {
            return SCHEMA;
        }

        @Override
        public Provider open(Map<String, String> environment, Path workingDirectory) {
            return new ToyProvider(workingDirectory);
        }
    }

    @Override
    public ProviderSchema schema() {
        return SCHEMA;
    }

    @Override
    public ValidateResponse validate(ValidateRequest request) {
        return new ValidateResponse(List.of());
    }

    @Override
    public ReadResponse read(ReadRequest request) {
        Map<String, Object> note = NOTES.get(request.prior().id());
        return note == null ? ReadResponse.gone() : ReadResponse.of(state(request.prior().address(), request.prior().id(), note));
    }

    @Override
    public PlanResponse plan(PlanRequest request) {
        Map<String, Object> planned = new LinkedHashMap<>();
        Object text = request.config().get("text");
        planned.put("text", text);
        planned.put("tags", request.config().getOrDefault("tags", Map.of()));
        planned.put("links", request.config().getOrDefault("links", List.of()));
        planned.put("reply_to", request.config().get("reply_to"));
        planned.put("id", request.prior() == null ? Unknown.AFTER_APPLY : request.prior().id());
        planned.put("length", text instanceof String ? (Object) (long) ((String) text).length() : Unknown.AFTER_APPLY);
        return new PlanResponse(planned, Set.of(), List.of());
    }

    @Override
    public ApplyResponse apply(ApplyRequest request) {
        if (request.isDelete()) {
            NOTES.remove(request.prior().id());
            return ApplyResponse.of(null);
        }
        String id = request.prior() != null ? request.prior().id() : "note-" + NEXT.getAndIncrement().toString();
        Map<String, Object> note = new LinkedHashMap<>();
        note.put("text", request.planned().get("text"));
        note.put("tags", request.planned().getOrDefault("tags", Map.of()));
        note.put("links", request.planned().getOrDefault("links", List.of()));
        note.put("reply_to", request.planned().get("reply_to"));
        if (request.isCreate()) {
            note.put("intent", request.intent().get("intent_id"));
        }
        NOTES.put(id, note);
        return ApplyResponse.of(state(request.address(), id, note));
    }

    @Override
    public ReconcileResponse reconcile(ReconcileRequest request) {
        def found = NOTES.find { String id, Map<String, Object> note -> note.get("intent") == request.intentData().get("intent_id") }
        return found == null ? ReconcileResponse.notCreated() : ReconcileResponse.created(state(request.address(), found.key, found.value));
    }

    @Override
    public ImportResponse importResource(ImportRequest request) {
        Map<String, Object> note = NOTES.get(request.id());
        return note == null ? new ImportResponse(List.of(), List.of(Diagnostic.error("No note " + request.id(), "")))
                : new ImportResponse(List.of(state(request.address(), request.id(), note)), List.of());
    }

    private static ResourceState state(ResourceAddress address, String id, Map<String, Object> note) {
        Map<String, Object> attrs = new LinkedHashMap<>();
        attrs.put("text", note.get("text"));
        attrs.put("tags", note.get("tags"));
        attrs.put("links", note.get("links"));
        attrs.put("reply_to", note.get("reply_to"));
        attrs.put("id", id);
        attrs.put("length", (long) String.valueOf(note.get("text")).length());
        return new ResourceState(address, id, attrs);
    }
}
