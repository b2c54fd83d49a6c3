package dev.flyform.provider.fly.internal;

import dev.flyform.engine.provider.ApplyRequest;
import dev.flyform.engine.provider.ApplyResponse;
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

/** One Fly resource type: the provider's methods, for that type only. */
public interface FlyResourceType {

    ResourceSchema schema();

    ValidateResponse validate(ValidateRequest request);

    ReadResponse read(ReadRequest request);

    PlanResponse plan(PlanRequest request);

    ApplyResponse apply(ApplyRequest request);

    ImportResponse importResource(ImportRequest request);

    PrepareCreateResponse prepareCreate(PrepareCreateRequest request);

    ReconcileResponse reconcile(ReconcileRequest request);

    LookupResponse lookup(LookupRequest request);

    /** The identity of an object whose name repeats across apps (a secret, a certificate): app and name. */
    static String inApp(String app, String name) {
        return app + "/" + name;
    }
}
