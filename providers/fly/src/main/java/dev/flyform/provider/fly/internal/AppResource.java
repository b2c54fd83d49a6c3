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
import dev.flyform.engine.provider.Shortcut;
import dev.flyform.engine.provider.ValidateRequest;
import dev.flyform.engine.provider.ValidateResponse;
import dev.flyform.engine.state.ResourceState;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code fly_app}: a Fly app, through {@code /v1/apps}. App names are global across all of Fly;
 * a name taken by another organization is an error found at plan time, before any change.
 */
public final class AppResource implements FlyResourceType {

    public static final String TYPE = "fly_app";
    private static final Pattern NAME = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

    private static final ResourceSchema SCHEMA = ResourceSchema.of(TYPE, List.of(
            AttributeSchema.required("name", AttributeType.STRING,
                    "The app's name, unique across all of Fly: lowercase letters, digits and dashes, at most 63.")
                    .forcingReplacement(),
            AttributeSchema.optional("org", AttributeType.STRING,
                    "Slug of the organization that owns the app (default: FLY_ORG, else personal).")
                    .withDefault().forcingReplacement(),
            AttributeSchema.optional("network", AttributeType.STRING,
                    "Name of an isolated private network for the app's machines (default: the organization's).")
                    .defaultingTo("default").forcingReplacement(),
            AttributeSchema.optional("strategy", AttributeType.STRING, "How changes to the app's machines roll out: "
                    + "rolling (the default: one at a time, or maxUnavailable, each started and healthy before the next) or "
                    + "immediate (all at once). flyform's own: Fly does not hold it.")
                    .oneOf(List.of("rolling", "immediate")).defaultingTo("rolling"),
            AttributeSchema.optional("max_unavailable", AttributeType.NUMBER, "How many of the app's machines a rolling "
                    + "change takes down at once (default 1). flyform's own: Fly does not hold it.").defaultingTo(1),
            AttributeSchema.readOnly("id", AttributeType.STRING, "Fly's id for the app."))).identifiedBy("name")
            // app('web') { ip 'v6'; certificate 'www.acme.example'; secret 'DATABASE_URL', env('DATABASE_URL') }
            .withShortcut(new Shortcut("ip", IpResource.TYPE, "app", List.of("type"), 1))
            .withShortcut(new Shortcut("certificate", CertificateResource.TYPE, "app", List.of("hostname"), 1))
            .withShortcut(new Shortcut("secret", SecretResource.TYPE, "app", List.of("name", "value"), 1));

    /** How long a deleted app may take to be gone. */
    static final java.time.Duration DELETION_LIMIT = java.time.Duration.ofMinutes(2);

    private final MachinesApi api;
    private final String defaultOrg;
    private final AppVisibility visibility;
    /**
     * What planning learnt of each app name (the app, or Fly's 404 / 403): the adopt-first lookup
     * and the name check ask once, and a new app's children need not be looked up at all. An
     * app this provider creates or deletes is forgotten, so the apply sees Fly as it is then.
     */
    private final Map<String, Object> seen = new java.util.concurrent.ConcurrentHashMap<>();

    public AppResource(MachinesApi api, String defaultOrg, AppVisibility visibility) {
        this.api = api;
        this.defaultOrg = defaultOrg;
        this.visibility = visibility;
    }

    @Override
    public ResourceSchema schema() {
        return SCHEMA;
    }

    @Override
    public ValidateResponse validate(ValidateRequest request) {
        List<Diagnostic> diags = new ArrayList<>();
        Object name = request.config().attributes().get("name");
        if (name instanceof String s && !NAME.matcher(s).matches()) {
            diags.add(Diagnostic.error("Invalid app name \"" + s + "\"",
                    "Fly app names use lowercase letters, digits and dashes, start and end with a letter or digit, "
                            + "and are at most 63 characters long.").forAttribute("name"));
        }
        Object org = request.config().attributes().get("org");
        if (org instanceof String s && s.isBlank()) {
            diags.add(Diagnostic.error("Empty organization slug", "Leave `org` out to use " + defaultOrg + ".")
                    .forAttribute("org"));
        }
        return new ValidateResponse(diags);
    }

    @Override
    public ReadResponse read(ReadRequest request) {
        ResourceState prior = request.prior();
        try {
            JsonNode app = api.get("apps", (String) prior.attributes().get("name"));
            return ReadResponse.of(withRollout(toState(prior.address(), app), prior.attributes()));
        } catch (FlyApiException e) {
            if (e.httpStatus() == 404 || e.httpStatus() == 403) {
                // Gone, or gone and its name since taken by someone else: either way not ours any more.
                return ReadResponse.gone();
            }
            return new ReadResponse(null, List.of(Failures.refused("read", prior.address(), e)));
        } catch (FlyUnreachableException e) {
            return new ReadResponse(null, List.of(Failures.unreachable(e)));
        }
    }

    @Override
    public PlanResponse plan(PlanRequest request) {
        Map<String, Object> planned = new LinkedHashMap<>();
        String name = (String) request.config().get("name");
        planned.put("name", name);
        planned.put("org", orDefault(request.config().get("org"), request.prior(), "org", defaultOrg));
        planned.put("network", orDefault(request.config().get("network"), request.prior(), "network", "default"));
        // flyform's own, planned only when declared: an app that does not say rolls one machine at a time
        for (String own : List.of("strategy", "max_unavailable")) {
            if (request.config().get(own) != null) {
                planned.put(own, request.config().get(own));
            }
        }
        boolean nameChanges = request.prior() == null || !name.equals(request.prior().attributes().get("name"));
        planned.put("id", request.prior() != null && !nameChanges ? request.prior().attributes().get("id") : Unknown.AFTER_APPLY);
        List<Diagnostic> diags = new ArrayList<>();
        if (nameChanges) {
            checkNameFree(name, (String) planned.get("org")).ifPresent(diags::add);
        }
        return new PlanResponse(planned, Set.of(), diags);
    }

    /** GET /v1/apps/NAME once per planning pass; a 404 or 403 is remembered too. */
    private JsonNode planningGet(String name) {
        Object known = seen.get(name);
        if (known == null) {
            try {
                known = api.get("apps", name);
            } catch (FlyApiException e) {
                if (e.httpStatus() != 404 && e.httpStatus() != 403) {
                    throw e;
                }
                known = e;
            }
            seen.put(name, known);
        }
        if (known instanceof FlyApiException e) {
            throw e;
        }
        return (JsonNode) known;
    }

    /** Planning found no app of this name that this token can see: it has no children to adopt. */
    public boolean knownAbsent(String name) {
        return seen.get(name) instanceof FlyApiException;
    }

    /** A name held by another organization would fail at apply: say so before any change is made. */
    private java.util.Optional<Diagnostic> checkNameFree(String name, String org) {
        try {
            JsonNode existing = planningGet(name);
            String owner = existing.path("organization").path("slug").asText("");
            if (!owner.equals(org)) {
                return java.util.Optional.of(Diagnostic.error("App name \"" + name + "\" is taken by your organization " + owner,
                        "It already exists in " + owner + ", not in " + org + ". Set `org = '" + owner
                                + "'` to manage it here, or choose another name.").forAttribute("name"));
            }
            return java.util.Optional.empty();
        } catch (FlyApiException e) {
            if (e.httpStatus() == 404) {
                return java.util.Optional.empty();
            }
            if (e.httpStatus() == 403) {
                return java.util.Optional.of(Diagnostic.error("App name \"" + name + "\" is already taken by another organization",
                        "Fly app names are global across all organizations, and this one belongs to an "
                                + "organization your token cannot see. Choose another name.").forAttribute("name"));
            }
            return java.util.Optional.of(Diagnostic.error("Cannot check whether app name \"" + name + "\" is free",
                    "Fly answered " + e.describe()).forAttribute("name"));
        } catch (FlyUnreachableException e) {
            return java.util.Optional.of(Failures.unreachable(e));
        }
    }

    @Override
    public PrepareCreateResponse prepareCreate(PrepareCreateRequest request) {
        return new PrepareCreateResponse(Map.of("name", request.planned().get("name")), List.of());
    }

    /** An app is found by its name, in our organization. */
    @Override
    public ReconcileResponse reconcile(ReconcileRequest request) {
        String name = String.valueOf(request.intentData().get("name"));
        try {
            JsonNode app = api.forIntent(String.valueOf(request.intentData().get("intent_id"))).get("apps", name);
            String org = String.valueOf(request.planned().get("org"));
            return org.equals(app.path("organization").path("slug").asText())
                    ? ReconcileResponse.created(withRollout(toState(request.address(), app), request.planned()))
                    : ReconcileResponse.notCreated();
        } catch (FlyApiException e) {
            // 404: not made (or not visible yet: the next create meets 422 and takes it over then).
            return e.httpStatus() == 404 || e.httpStatus() == 403 ? ReconcileResponse.notCreated()
                    : ReconcileResponse.unknown(Failures.refused("look up", request.address(), e));
        } catch (FlyUnreachableException e) {
            return ReconcileResponse.unknown(Failures.unreachable(e));
        }
    }

    /** An app of our organization with the declared name is taken over, never created twice. */
    @Override
    public LookupResponse lookup(LookupRequest request) {
        if (!(request.planned().get("name") instanceof String name) || !NAME.matcher(name).matches()) {
            return LookupResponse.none();
        }
        return Failures.lookingUp(request.address(), () -> {
            JsonNode app = planningGet(name);
            String org = request.planned().get("org") instanceof String o ? o : defaultOrg;
            if (!org.equals(app.path("organization").path("slug").asText()) || request.owned().contains(name)) {
                return LookupResponse.none();
            }
            String owner = request.owner() == null ? null : machinesOwner(name, request.owner());
            ResourceState found = withRollout(toState(request.address(), app), request.planned());
            return owner == null ? LookupResponse.of(found) : LookupResponse.ownedBy(found, owner);
        });
    }

    /**
     * An app cannot carry marks of its own: it is another state's when one of its machines is
     * marked as that state's.
     */
    private String machinesOwner(String app, String self) {
        for (JsonNode m : api.get("apps", app, "machines")) {
            String other = MachineResource.otherOwner(m, self);
            if (other != null && !"destroyed".equals(m.path("state").asText())) {
                return other;
            }
        }
        return null;
    }

    /**
     * How the app's machines roll out is flyform's alone: kept beside what Fly holds, as declared
     * ({@code from}: the planned or prior attributes; null: the defaults).
     */
    private static ResourceState withRollout(ResourceState state, Map<String, Object> from) {
        Map<String, Object> attrs = new LinkedHashMap<>(state.attributes());
        if (from != null && from.get("strategy") instanceof String strategy) {
            attrs.put("strategy", strategy);
        }
        if (from != null && from.get("max_unavailable") instanceof Number atOnce) {
            attrs.put("max_unavailable", atOnce);
        }
        attrs.remove("id");
        attrs.put("id", state.attributes().get("id"));   // (computed last, as declared)
        return state.withAttributes(attrs);
    }

    @Override
    public ApplyResponse apply(ApplyRequest request) {
        ApplyResponse response = applyToFly(request);
        return response.newState() == null ? response
                : new ApplyResponse(withRollout(response.newState(), request.planned()), response.diagnostics(), response.ambiguous());
    }

    private ApplyResponse applyToFly(ApplyRequest request) {
        forget(request.planned());
        forget(request.prior() == null ? null : request.prior().attributes());
        if (request.isCreate()) {
            try {
                return create(request.address(), request.planned(), String.valueOf(request.intent().get("intent_id")));
            } catch (FlyApiException | FlyUnreachableException e) {
                return Failures.createFailed("create", request.address(), e);
            }
        }
        try {
            if (request.isDelete()) {
                return delete(request.prior());
            }
            // Every attribute of an app forces replacement, so an update only refreshes it.
            JsonNode app = api.get("apps", (String) request.planned().get("name"));
            return ApplyResponse.of(toState(request.address(), app));
        } catch (FlyApiException e) {
            return ApplyResponse.failed(Failures.refused(request.isDelete() ? "delete" : "create", request.address(), e));
        } catch (FlyUnreachableException e) {
            return ApplyResponse.failed(Failures.unreachable(e));
        }
    }

    private void forget(Map<String, Object> attributes) {
        if (attributes != null && attributes.get("name") instanceof String name) {
            seen.remove(name);
        }
    }

    private ApplyResponse create(ResourceAddress address, Map<String, Object> planned, String intentId) {
        String name = (String) planned.get("name");
        String org = (String) planned.get("org");
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);   // the current spec's field; Fly's older docs call it app_name
        body.put("org_slug", org);
        if (!"default".equals(planned.get("network"))) {
            body.put("network", planned.get("network"));
        }
        try {
            api.forIntent(intentId).create(body, "apps");
        } catch (FlyApiException e) {
            if (!(e.httpStatus() == 422 && isNameTaken(e))) {
                throw e;
            }
            // Taken: ours (an earlier run created it) or someone else's. GET tells which.
            return adoptIfOurs(address, name, org);
        }
        return ApplyResponse.of(toState(address, visibility.awaitVisible(() -> api.get("apps", name))));
    }

    private ApplyResponse adoptIfOurs(ResourceAddress address, String name, String org) {
        try {
            // Taken, so it exists; a new app may still answer 404 for a moment.
            JsonNode existing = visibility.awaitVisible(() -> api.get("apps", name));
            String owner = existing.path("organization").path("slug").asText("");
            if (owner.equals(org)) {
                return ApplyResponse.of(toState(address, existing));
            }
            return ApplyResponse.failed(Diagnostic.error("App name \"" + name + "\" is taken by your organization " + owner,
                    "Set `org = '" + owner + "'` to manage it here, or choose another name.").forAttribute("name"));
        } catch (FlyApiException e) {
            if (e.httpStatus() == 403) {
                return ApplyResponse.failed(Diagnostic.error("App name \"" + name + "\" is already taken by another organization",
                        "Fly app names are global across all organizations. Choose another name.").forAttribute("name"));
            }
            throw e;
        }
    }

    private static boolean isNameTaken(FlyApiException e) {
        return "name_taken".equals(e.code()) || e.getMessage().contains("Name has already been taken");
    }

    /**
     * Fly accepts a deletion (202) and carries it out later; until then the app still reads and
     * its name is taken. Done is when Fly says 404, so that a replacement with the same name is
     * created only then and never lands in the dying app.
     */
    private ApplyResponse delete(ResourceState prior) {
        String name = (String) prior.attributes().get("name");
        try {
            api.delete("apps", name);
        } catch (FlyApiException e) {
            if (e.httpStatus() != 404) {
                throw e;
            }
            return ApplyResponse.of(null);   // already gone: the goal of a delete holds
        }
        long deadline = System.nanoTime() + DELETION_LIMIT.toNanos();
        long pauseMillis = 100;
        while (true) {
            try {
                api.get("apps", name);
            } catch (FlyApiException e) {
                if (e.httpStatus() == 404 || e.httpStatus() == 403) {
                    seen.remove(name);
                    return ApplyResponse.of(null);
                }
                throw e;
            }
            if (System.nanoTime() > deadline) {
                return ApplyResponse.failed(Diagnostic.error("App " + name + " is still being deleted",
                        "Fly accepted its deletion but still shows it after " + DELETION_LIMIT.toMinutes()
                                + " minutes. Run apply again later; nothing else was changed."));
            }
            Failures.pause(pauseMillis, "waiting for app " + name + " to be deleted");
            pauseMillis = Math.min(pauseMillis * 2, 2_000);
        }
    }

    @Override
    public ImportResponse importResource(ImportRequest request) {
        try {
            return new ImportResponse(List.of(withRollout(toState(request.address(), api.get("apps", request.id())), null)),
                    List.of());
        } catch (FlyApiException e) {
            String what = e.httpStatus() == 404 ? "No app named \"" + request.id() + "\" exists"
                    : e.httpStatus() == 403 ? "App \"" + request.id() + "\" belongs to an organization your token cannot see"
                    : "Cannot read app \"" + request.id() + "\": " + e.describe();
            return new ImportResponse(List.of(), List.of(Diagnostic.error(what, "").forResource(request.address())));
        } catch (FlyUnreachableException e) {
            return new ImportResponse(List.of(), List.of(Failures.unreachable(e)));
        }
    }

    private static ResourceState toState(ResourceAddress address, JsonNode app) {
        Map<String, Object> attrs = new LinkedHashMap<>();
        attrs.put("name", app.path("name").asText());
        attrs.put("org", app.path("organization").path("slug").asText());
        attrs.put("network", app.path("network").asText("default"));
        attrs.put("id", app.path("id").asText());
        return new ResourceState(address, app.path("name").asText(), attrs);
    }

    private static Object orDefault(Object configured, ResourceState prior, String attribute, String fallback) {
        if (configured != null) {
            return configured;
        }
        if (prior != null && prior.attributes().get(attribute) != null) {
            return prior.attributes().get(attribute);
        }
        return fallback;
    }

}
