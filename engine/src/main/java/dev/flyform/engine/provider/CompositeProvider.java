package dev.flyform.engine.provider;

import dev.flyform.engine.addr.ResourceAddress;
import dev.flyform.engine.diag.Diagnostic;
import dev.flyform.engine.state.ResourceState;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Several providers as one: each call goes to the provider of the resource type it is about,
 * so the planner and applier work on one configuration that mixes them.
 */
public final class CompositeProvider implements Provider {

    private final List<Provider> providers;
    private final Map<String, Provider> byType = new TreeMap<>();
    private final Map<String, Provider> byDataSource = new TreeMap<>();
    private final ProviderSchema schema;

    public CompositeProvider(List<Provider> providers) {
        this.providers = List.copyOf(providers);
        Map<String, ResourceSchema> all = new TreeMap<>();
        Map<String, ResourceSchema> data = new TreeMap<>();
        for (Provider p : this.providers) {
            p.schema().resourceTypes().forEach((type, s) -> {
                if (byType.putIfAbsent(type, p) != null) {
                    throw new IllegalArgumentException("Two providers serve the resource type " + type);
                }
                all.put(type, s);
            });
            p.schema().dataSources().forEach((type, s) -> {
                if (byDataSource.putIfAbsent(type, p) != null) {
                    throw new IllegalArgumentException("Two providers serve the data source " + type);
                }
                data.put(type, s);
            });
        }
        Map<String, DeclarationReader> readers = new java.util.TreeMap<>();
        for (Provider p : providers) {
            p.schema().readers().forEach((name, r) -> {
                if (readers.putIfAbsent(name, r) != null) {
                    throw new IllegalArgumentException("Two providers serve the function " + name);
                }
            });
        }
        this.schema = new ProviderSchema(all, data, readers);
    }

    /** One provider alone is itself; several are one composite. */
    public static Provider of(List<Provider> providers) {
        return providers.size() == 1 ? providers.get(0) : new CompositeProvider(providers);
    }

    private Provider of(String type) {
        Provider p = byType.get(type);
        if (p == null) {
            throw new IllegalArgumentException("No provider serves the resource type " + type);
        }
        return p;
    }

    @Override
    public ProviderSchema schema() {
        return schema;
    }

    @Override
    public ValidateResponse validate(ValidateRequest request) {
        return of(request.config().address().type()).validate(request);
    }

    @Override
    public ReadResponse read(ReadRequest request) {
        return of(request.prior().address().type()).read(request);
    }

    @Override
    public PlanResponse plan(PlanRequest request) {
        return of(request.address().type()).plan(request);
    }

    @Override
    public ApplyResponse apply(ApplyRequest request) {
        return of(request.address().type()).apply(request);
    }

    @Override
    public ReadResponse readData(ResourceAddress address, Map<String, Object> config) {
        Provider p = byDataSource.get(address.baseType());
        return p == null ? Provider.super.readData(address, config) : p.readData(address, config);
    }

    @Override
    public ImportResponse importResource(ImportRequest request) {
        return of(request.address().type()).importResource(request);
    }

    /** Each provider reads its own objects, in one batch if it can. */
    @Override
    public ReadManyResponse readMany(ReadManyRequest request) {
        Map<Provider, List<ResourceState>> split = new LinkedHashMap<>();
        request.priors().forEach(p -> split.computeIfAbsent(of(p.address().type()), k -> new ArrayList<>()).add(p));
        Map<ResourceAddress, ReadResponse> results = new LinkedHashMap<>();
        List<Diagnostic> diagnostics = new ArrayList<>();
        split.forEach((provider, priors) -> {
            ReadManyResponse r = provider.readMany(new ReadManyRequest(priors));
            results.putAll(r.results());
            diagnostics.addAll(r.diagnostics());
        });
        return new ReadManyResponse(results, diagnostics);
    }

    @Override
    public PrepareCreateResponse prepareCreate(PrepareCreateRequest request) {
        return of(request.address().type()).prepareCreate(request);
    }

    @Override
    public ReconcileResponse reconcile(ReconcileRequest request) {
        return of(request.address().type()).reconcile(request);
    }

    @Override
    public List<Diagnostic> applyFinished() {
        List<Diagnostic> all = new ArrayList<>();
        providers.forEach(p -> all.addAll(p.applyFinished()));
        return all;
    }

    @Override
    public ReadManyResponse readAgainAfterApply(List<ResourceState> recorded) {
        Map<ResourceAddress, ReadResponse> results = new LinkedHashMap<>();
        List<Diagnostic> diagnostics = new ArrayList<>();
        for (Provider p : providers) {
            List<ResourceState> own = recorded.stream().filter(r -> byType.get(r.address().type()) == p).toList();
            ReadManyResponse r = p.readAgainAfterApply(own);
            results.putAll(r.results());
            diagnostics.addAll(r.diagnostics());
        }
        return new ReadManyResponse(results, diagnostics);
    }

    @Override
    public String identity(ResourceState state) {
        return of(state.address().type()).identity(state);
    }

    @Override
    public LookupResponse lookup(LookupRequest request) {
        return of(request.address().type()).lookup(request);
    }
}
