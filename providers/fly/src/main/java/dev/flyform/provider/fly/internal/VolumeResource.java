package dev.flyform.provider.fly.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flyform.engine.addr.ResourceAddress;
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
import dev.flyform.engine.provider.PrepareCreateRequest;
import dev.flyform.engine.provider.PrepareCreateResponse;
import dev.flyform.engine.provider.ReconcileRequest;
import dev.flyform.engine.provider.ReconcileResponse;
import dev.flyform.engine.provider.PlanRequest;
import dev.flyform.engine.provider.PlanResponse;
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

/**
 * {@code fly_volume}: a volume of an app. Names are not unique on Fly, so identity is the id.
 * Size grows in place (extend); a smaller size is refused at plan time, since Fly cannot shrink
 * a volume. Snapshot retention and backups update in place; name, region and encryption do not.
 */
public final class VolumeResource extends AppScoped {

    public static final String TYPE = "fly_volume";
    static final Set<String> GONE = Set.of("destroyed", "destroying", "pending_destroy", "scheduling_destroy",
            "fork_cleanup", "waiting_for_detach");

    private static final ResourceSchema SCHEMA = ResourceSchema.of(TYPE, List.of(
            AttributeSchema.required("app", AttributeType.STRING, "Name of the app.").forcingReplacement(),
            AttributeSchema.required("name", AttributeType.STRING, "Volume name (not unique on Fly): lowercase, digits, _.")
                    .forcingReplacement(),
            AttributeSchema.required("region", AttributeType.STRING, "Region, e.g. iad.").forcingReplacement(),
            AttributeSchema.optional("size_gb", AttributeType.NUMBER, "Size in GB (default 1); only grows.").defaultingTo(1),
            AttributeSchema.optional("encrypted", AttributeType.BOOL, "Encrypted at rest (default true).").defaultingTo(true)
                    .forcingReplacement(),
            AttributeSchema.optional("snapshot_retention", AttributeType.NUMBER, "Days of snapshots kept, 1-60 (default 5).")
                    .defaultingTo(5),
            AttributeSchema.optional("auto_backup_enabled", AttributeType.BOOL, "Daily snapshots (default true).").defaultingTo(true),
            AttributeSchema.readOnly("id", AttributeType.STRING, "Fly's id, vol_...")), AppResource.TYPE)
            .naming("app", AppResource.TYPE)
            .creatingFirst()   // names repeat, and a replacement refused after the delete would lose the data
            .holdingData();

    private final Regions regions;

    public VolumeResource(MachinesApi api, Regions regions) {
        super(api, SCHEMA, "volumes", "create", "update", "delete");
        this.regions = regions;
    }

    @Override
    public ValidateResponse validate(ValidateRequest request) {
        List<Diagnostic> diags = new ArrayList<>();
        Map<String, Object> c = request.config().attributes();
        if (c.get("name") instanceof String s && !s.matches("[a-z0-9_]{1,30}")) {
            diags.add(Diagnostic.error("Invalid volume name \"" + s + "\"",
                    "Use up to 30 lowercase letters, digits and underscores.").forAttribute("name"));
        }
        Checks check = new Checks(diags, regions);
        check.region(c.get("region"), "region");
        check.integer(c.get("size_gb"), 1, 500, "size_gb (GB)", "size_gb");
        check.integer(c.get("snapshot_retention"), 1, 60, "snapshot_retention (days)", "snapshot_retention");
        return new ValidateResponse(diags);
    }

    @Override
    public PlanResponse plan(PlanRequest request) {
        Map<String, Object> prior = request.prior() == null ? null : request.prior().attributes();
        Map<String, Object> planned = planned(request);
        List<Diagnostic> diags = new ArrayList<>();
        if (prior != null && planned.get("size_gb") instanceof Number want && prior.get("size_gb") instanceof Number have
                && want.longValue() < have.longValue() && sameVolume(prior, planned)) {
            diags.add(Diagnostic.error("A volume cannot shrink: size_gb " + have + " -> " + want,
                    "Fly can only grow a volume. Keep size_gb at " + have + " or more; to start smaller, declare a new "
                            + "volume and move the data.").forAttribute("size_gb"));
        }
        return new PlanResponse(planned, Set.of(), diags);
    }

    /** A replaced volume starts afresh: its size may be anything. */
    private static boolean sameVolume(Map<String, Object> prior, Map<String, Object> planned) {
        return java.util.Objects.equals(prior.get("name"), planned.get("name"))
                && java.util.Objects.equals(prior.get("region"), planned.get("region"))
                && java.util.Objects.equals(prior.get("encrypted"), planned.get("encrypted"))
                && java.util.Objects.equals(prior.get("app"), planned.get("app"));
    }

    @Override
    public ReadResponse read(ReadRequest request) {
        ResourceState prior = request.prior();
        String app = Attrs.string(prior.attributes(), "app");
        return Failures.reading(prior.address(), () -> {
            JsonNode v = api.get("apps", app, "volumes", prior.id());
            return GONE.contains(v.path("state").asText()) ? ReadResponse.gone() : ReadResponse.of(toState(prior.address(), app, v));
        });
    }

    /** Volume names are not unique: record which volumes the app held before the create. */
    @Override
    public PrepareCreateResponse prepareCreate(PrepareCreateRequest request) {
        return Failures.listingBefore(request.address(), "volumes", () -> {
            List<String> before = new ArrayList<>();
            api.get("apps", Attrs.string(request.planned(), "app"), "volumes").forEach(v -> before.add(v.path("id").asText()));
            return before;
        });
    }

    /** The volume the create made: present now, absent before, same name and region, owned by no one else. */
    @Override
    public ReconcileResponse reconcile(ReconcileRequest request) {
        String app = Attrs.string(request.planned(), "app");
        List<?> before = request.intentData().get("before") instanceof List<?> l ? l : List.of();
        return Failures.reconciling(request.address(), () -> {
            for (JsonNode v : api.forIntent(String.valueOf(request.intentData().get("intent_id"))).get("apps", app, "volumes")) {
                if (!before.contains(v.path("id").asText()) && candidate(v, request.planned(), request.owned())) {
                    return ReconcileResponse.created(toState(request.address(), app, v));
                }
            }
            return ReconcileResponse.notCreated();
        });
    }

    /** With no state entry: a live volume of the declared name and region that no other entry owns. */
    @Override
    public LookupResponse lookup(LookupRequest request) {
        if (!(request.planned().get("app") instanceof String app)) {
            return LookupResponse.none();
        }
        return Failures.lookingUp(request.address(), () -> {
            for (JsonNode v : api.get("apps", app, "volumes")) {
                if (candidate(v, request.planned(), request.owned())) {
                    return LookupResponse.of(toState(request.address(), app, v));
                }
            }
            return LookupResponse.none();
        });
    }

    private static boolean candidate(JsonNode v, Map<String, Object> planned, java.util.Set<String> owned) {
        return !GONE.contains(v.path("state").asText()) && !owned.contains(v.path("id").asText())
                && v.path("name").asText().equals(planned.get("name")) && v.path("region").asText().equals(planned.get("region"));
    }

    @Override
    protected ApplyResponse create(ApplyRequest request) {
        Map<String, Object> p = request.planned();
        String app = app(p);
        Map<String, Object> body = new LinkedHashMap<>();
        for (String field : List.of("name", "region", "size_gb", "encrypted", "snapshot_retention", "auto_backup_enabled")) {
            body.put(field, p.get(field));
        }
        try {
            return ApplyResponse.of(toState(request.address(), app, underIntent(api, request).create(body, "apps", app, "volumes")));
        } catch (FlyApiException | FlyUnreachableException e) {
            return Failures.createFailed("create", request.address(), e);
        }
    }

    /** Grows it, and sets its snapshot settings; nothing else changes in place. */
    @Override
    protected ApplyResponse update(ApplyRequest request) {
        Map<String, Object> p = request.planned();
        String app = app(p);
        String id = request.prior().id();
        Map<String, Object> before = request.prior().attributes();
        JsonNode v = null;
        if (((Number) p.get("size_gb")).longValue() > ((Number) before.get("size_gb")).longValue()) {
            v = api.put(Map.of("size_gb", p.get("size_gb")), "apps", app, "volumes", id, "extend").path("volume");
        }
        if (!java.util.Objects.equals(p.get("snapshot_retention"), before.get("snapshot_retention"))
                || !java.util.Objects.equals(p.get("auto_backup_enabled"), before.get("auto_backup_enabled"))) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("snapshot_retention", p.get("snapshot_retention"));
            body.put("auto_backup_enabled", p.get("auto_backup_enabled"));
            v = api.put(body, "apps", app, "volumes", id);
        }
        return ApplyResponse.of(toState(request.address(), app, v != null ? v : api.get("apps", app, "volumes", id)));
    }

    @Override
    public ImportResponse importResource(ImportRequest request) {
        return Failures.importing(request, "volume", "VOLUME_ID", (app, id) -> {
            JsonNode v = api.get("apps", app, "volumes", id);
            if (GONE.contains(v.path("state").asText())) {
                throw new FlyApiException(404, null, "volume is being destroyed", null);
            }
            return toState(request.address(), app, v);
        });
    }

    static ResourceState toState(ResourceAddress address, String app, JsonNode v) {
        Map<String, Object> attrs = new LinkedHashMap<>();
        attrs.put("app", app);
        attrs.put("name", v.path("name").asText());
        attrs.put("region", v.path("region").asText());
        attrs.put("size_gb", v.path("size_gb").asInt());
        attrs.put("encrypted", v.path("encrypted").asBoolean(true));
        attrs.put("snapshot_retention", v.path("snapshot_retention").asInt(5));
        attrs.put("auto_backup_enabled", v.path("auto_backup_enabled").asBoolean(true));
        attrs.put("id", v.path("id").asText());
        return new ResourceState(address, v.path("id").asText(), attrs);
    }
}
