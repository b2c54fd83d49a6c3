package dev.flyform.emulator;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.function.Supplier;

/**
 * What every API handler works on: the inventory, the lock that guards it (held while a
 * handler runs), and the fault settings in force. Also the checks all app-scoped calls share.
 */
final class World {

    final Inventory inventory;
    final Object lock;
    private final Supplier<FaultSettings> faults;
    private final Supplier<java.util.Random> random;

    World(Inventory inventory, Object lock, Supplier<FaultSettings> faults, Supplier<java.util.Random> random) {
        this.inventory = inventory;
        this.lock = lock;
        this.faults = faults;
        this.random = random;
    }

    /**
     * The time apps and certificates age by (visibility, 401s after create, deletion, issuance),
     * in epoch milliseconds: the wall clock, or a test's own.
     */
    volatile java.util.function.LongSupplier clock = System::currentTimeMillis;

    long now() {
        return clock.getAsLong();
    }

    FaultSettings faults() {
        return faults.get();
    }

    /**
     * A list answer as Fly's eventually consistent store may give it: with list omissions on,
     * each item is left out at random.
     */
    <T> java.util.List<T> listed(java.util.Collection<T> items) {
        double rate = faults.get().listOmissionRate();
        if (rate <= 0) {
            return java.util.List.copyOf(items);
        }
        java.util.List<T> kept = new java.util.ArrayList<>();
        for (T item : items) {
            if (random.get().nextDouble() >= rate) {
                kept.add(item);
            }
        }
        return kept;
    }

    /**
     * The app, as the caller may see it: 404 when absent (or too new to be visible yet),
     * 403 when another organization owns it.
     */
    EmulatedApp visibleApp(Organization caller, String name) {
        EmulatedApp app = inventory.apps.get(name);
        if (app == null || now() < app.createdAt() + faults.get().appVisibilityDelayMs()) {
            throw new ApiError(404, "Could not find App \"" + name + "\"");
        }
        if (now() < app.createdAt() + faults.get().unauthorizedAfterCreateMs()) {
            // Fly's auth layer can lag behind a new app, as flyctl's WaitForApp allows for.
            throw new ApiError(401, "You must be authenticated to view this.");
        }
        if (!app.orgSlug().equals(caller.slug())) {
            throw new ApiError(403, "You are not authorized to access this app");
        }
        return app;
    }

    /** Fly's region codes; anything else is refused with 400, as Fly refuses it. */
    static final java.util.Set<String> REGIONS = java.util.Set.of("ams", "arn", "atl", "bog", "bom", "bos", "cdg", "den",
            "dfw", "ewr", "eze", "fra", "gdl", "gig", "gru", "hkg", "iad", "jnb", "lax", "lhr", "mad", "mia", "nrt", "ord",
            "otp", "phx", "qro", "scl", "sea", "sin", "sjc", "syd", "waw", "yul", "yyz");

    /** Every region this Fly has: the well-known ones and those the settings add. */
    java.util.SortedSet<String> regions() {
        java.util.SortedSet<String> all = new java.util.TreeSet<>(REGIONS);
        all.addAll(faults.get().newRegions());
        return all;
    }

    /** The region asked for, or Fly's choice near the caller when none is given. */
    String region(String asked) {
        if (asked == null || asked.isBlank()) {
            return "iad";
        }
        if (!regions().contains(asked)) {
            throw new ApiError(400, "invalid region: " + asked);
        }
        return asked;
    }

    Organization organization(String slug) {
        return inventory.organizations.get(slug);
    }

    /** Wakes anything waiting for a machine state. Call after every change. */
    void changed() {
        lock.notifyAll();
    }

    ObjectNode appJson(EmulatedApp app) {
        Organization org = inventory.organizations.get(app.orgSlug());
        ObjectNode node = Json.object();
        node.put("id", app.id());
        node.put("name", app.name());
        node.put("status", app.status());
        node.put("network", app.network());
        node.put("internal_numeric_id", app.internalNumericId());
        ObjectNode o = node.putObject("organization");
        o.put("name", org.name());
        o.put("slug", org.slug());
        o.put("internal_numeric_id", org.internalNumericId());
        node.put("cname_target", app.name() + ".fly.dev");
        node.put("app_role", "");
        return node;
    }

    /** A deterministic id: {@code prefix} then {@code length} characters from the alphabet. */
    String newId(String prefix, int length, String alphabet) {
        long n = inventory.nextId() * 2_654_435_761L + 97;
        StringBuilder id = new StringBuilder();
        for (int i = 0; i < length; i++) {
            id.append(alphabet.charAt((int) Math.floorMod(n, alphabet.length())));
            n = n / alphabet.length() + (long) i * 7919;
        }
        return prefix + id;
    }
}
