package dev.flyform.provider.fly.internal;

import java.util.Set;
import java.util.TreeSet;

/**
 * Fly's regions, for checks made before any call: the list kept in flyform
 * ({@link Checks#REGIONS}) and those a user fetched from Fly since ({@code flyform regions}
 * keeps them), so a region Fly added after this flyform was built is accepted too.
 */
public final class Regions {

    private final Set<String> known = new java.util.concurrent.ConcurrentSkipListSet<>(Checks.REGIONS);

    /** Regions fetched from Fly earlier, beyond the kept list. */
    public void add(Set<String> fetched) {
        known.addAll(fetched);
    }

    boolean known(String code) {
        return known.contains(code);
    }

    Set<String> all() {
        return java.util.Collections.unmodifiableSet(known);
    }

    /** Fly's regions now (GraphQL {@code platform.regions}), its deprecated ones left out. */
    public static Set<String> fetch(GraphqlClient graphql) {
        Set<String> codes = new TreeSet<>();
        graphql.query("query Regions { platform { regions { code deprecated } } }", java.util.Map.of())
                .path("data").path("platform").path("regions").forEach(r -> {
                    if (!r.path("deprecated").asBoolean(false)) {
                        codes.add(r.path("code").asText());
                    }
                });
        return codes;
    }
}
