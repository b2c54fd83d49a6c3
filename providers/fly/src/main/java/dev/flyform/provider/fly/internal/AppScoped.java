package dev.flyform.provider.fly.internal;

import dev.flyform.engine.config.Unknown;
import dev.flyform.engine.diag.Diagnostic;
import dev.flyform.engine.provider.ApplyRequest;
import dev.flyform.engine.provider.ApplyResponse;
import dev.flyform.engine.provider.AttributeSchema;
import dev.flyform.engine.provider.PlanRequest;
import dev.flyform.engine.provider.PlanResponse;
import dev.flyform.engine.provider.ResourceSchema;
import dev.flyform.engine.provider.ValidateRequest;
import dev.flyform.engine.provider.ValidateResponse;
import dev.flyform.engine.state.ResourceState;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What every Fly type that lives inside an app shares: the Machines API, its schema, planned
 * values read off that schema, deletion at the object's path under its app, and one way of
 * saying what went wrong. A type says only what is its own: how it is made, changed and read.
 */
abstract class AppScoped implements FlyResourceType {

    protected final MachinesApi api;
    private final ResourceSchema schema;
    private final String collection;
    private final String createVerb;
    private final String updateVerb;
    private final String deleteVerb;

    /**
     * @param collection where its objects live under {@code apps/APP/} ({@code "secrets"}), for deletion
     * @param createVerb what making one is called in a message ({@code "set"}, {@code "allocate"})
     * @param updateVerb what changing one is called ({@code "set"}, {@code "update"})
     * @param deleteVerb what deleting one is called ({@code "unset"}, {@code "release"})
     */
    protected AppScoped(MachinesApi api, ResourceSchema schema, String collection, String createVerb, String updateVerb,
                        String deleteVerb) {
        this.api = api;
        this.schema = schema;
        this.collection = collection;
        this.createVerb = createVerb;
        this.updateVerb = updateVerb;
        this.deleteVerb = deleteVerb;
    }

    @Override
    public final ResourceSchema schema() {
        return schema;
    }

    /** Nothing to check beyond the schema, unless the type says otherwise. */
    @Override
    public ValidateResponse validate(ValidateRequest request) {
        return new ValidateResponse(List.of());
    }

    /** The values {@link #planned} reads off the schema, with no attribute that forces more than the schema says. */
    @Override
    public PlanResponse plan(PlanRequest request) {
        return new PlanResponse(planned(request), Set.of(), List.of());
    }

    /**
     * Each settable attribute as declared, else its schema's default; each attribute only Fly
     * sets as Fly last said it, else known after apply.
     */
    protected final Map<String, Object> planned(PlanRequest request) {
        Map<String, Object> prior = request.prior() == null ? null : request.prior().attributes();
        Map<String, Object> planned = new LinkedHashMap<>();
        for (AttributeSchema a : schema.attributes().values()) {
            Object declared = request.config().get(a.name());
            if (a.settable()) {
                planned.put(a.name(), declared != null ? declared : a.defaultValue());
            } else {
                planned.put(a.name(), prior == null ? Unknown.AFTER_APPLY : prior.get(a.name()));
            }
        }
        return planned;
    }

    /** The name of the app an object of this type belongs to. */
    static String app(Map<String, Object> attributes) {
        return Attrs.string(attributes, "app");
    }

    /**
     * Deletes, creates or changes the object, Fly's refusals and an unreachable API reported one
     * way for every type. A create says itself when its failure may have made the object anyway
     * ({@link Failures#createFailed}).
     */
    @Override
    public final ApplyResponse apply(ApplyRequest request) {
        try {
            if (request.isDelete()) {
                return delete(request);
            }
            return request.isCreate() ? create(request) : update(request);
        } catch (FlyApiException e) {
            return ApplyResponse.failed(Failures.refused(request.isDelete() ? deleteVerb : request.isCreate() ? createVerb : updateVerb,
                    request.address(), e));
        } catch (FlyUnreachableException e) {
            return ApplyResponse.failed(Failures.unreachable(e));
        }
    }

    /** Deletes the object at {@code apps/APP/<collection>/<id>}; one gone already is deleted. */
    protected ApplyResponse delete(ApplyRequest request) {
        ResourceState prior = request.prior();
        Failures.deleting(() -> api.delete("apps", app(prior.attributes()), collection, prior.id()));
        return ApplyResponse.of(null);
    }

    /** Sends the create, once, under the request's intent. */
    protected abstract ApplyResponse create(ApplyRequest request);

    /** Changes the object in place; by default there is nothing to change (every attribute forces a replacement). */
    protected ApplyResponse update(ApplyRequest request) {
        return ApplyResponse.of(request.prior());
    }

    /** The MachinesApi that sends the request's create under its intent, so a lost answer is found again. */
    protected static MachinesApi underIntent(MachinesApi api, ApplyRequest request) {
        return api.forIntent(String.valueOf(request.intent().get("intent_id")));
    }

    /** No error, or one for {@code attribute} when it is text that {@code pattern} does not match. */
    protected static ValidateResponse matching(ValidateRequest request, String attribute, Pattern pattern, String what, String how) {
        Object value = request.config().attributes().get(attribute);
        if (value instanceof String s && !pattern.matcher(s).matches()) {
            return new ValidateResponse(List.of(Diagnostic.error("Invalid " + what + " \"" + s + "\"", how).forAttribute(attribute)));
        }
        return new ValidateResponse(List.of());
    }
}
