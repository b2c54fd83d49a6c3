package dev.flyform.engine.provider;

import dev.flyform.engine.addr.ResourceAddress;
import dev.flyform.engine.diag.Diagnostic;

import java.util.List;
import java.util.Map;

/** One read result per prior's address (a null {@code current} when the object is gone). */
public record ReadManyResponse(Map<ResourceAddress, ReadResponse> results, List<Diagnostic> diagnostics) {

    public ReadManyResponse {
        results = Map.copyOf(results);
        diagnostics = List.copyOf(diagnostics);
    }
}
