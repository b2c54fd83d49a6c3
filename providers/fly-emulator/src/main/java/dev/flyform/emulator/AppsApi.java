package dev.flyform.emulator;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** {@code /v1/apps}: global names, 422 {@code name_taken}, 403 for another organization's app. */
final class AppsApi {

    private static final Pattern APP_NAME = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

    private final World world;

    AppsApi(World world) {
        this.world = world;
    }

    /** Handles {@code /v1/apps} and {@code /v1/apps/{name}}; null when the path is not one of those. */
    Reply handle(Request r) {
        if (r.is("POST", 2)) {
            return create(r);
        }
        if (r.is("GET", 2)) {
            return list(r);
        }
        if (r.is("GET", 3)) {
            return Reply.ok(world.appJson(world.visibleApp(r.caller(), r.segment(2))));
        }
        if (r.is("DELETE", 3)) {
            world.visibleApp(r.caller(), r.segment(2));
            long lingers = world.faults().appDeletionMs();
            if (lingers == 0) {
                world.inventory.deleteApp(r.segment(2));
            } else {
                // Accepted, not done: until then the app still reads and its name stays taken.
                world.inventory.deleting.putIfAbsent(r.segment(2), world.now() + lingers);
            }
            return new Reply(202, null);
        }
        return null;
    }

    /** Finishes the deletions that are due. */
    void settle(long now) {
        List<String> due = new ArrayList<>();
        world.inventory.deleting.forEach((name, at) -> {
            if (at <= now) {
                due.add(name);
            }
        });
        due.forEach(world.inventory::deleteApp);
    }

    private Reply create(Request r) {
        // Fly's docs send app_name; current clients send name. Both are accepted.
        String name = Json.text(r.body(), "app_name");
        if (name == null) {
            name = Json.text(r.body(), "name");
        }
        String orgSlug = Json.text(r.body(), "org_slug");
        if (name == null || name.isBlank()) {
            throw new ApiError(422, "Validation failed: Name can't be blank");
        }
        if (orgSlug == null || orgSlug.isBlank()) {
            throw new ApiError(400, "org_slug is required");
        }
        if (!orgSlug.equals(r.caller().slug())) {
            throw new ApiError(404, "Organization not found: " + orgSlug);
        }
        if (!APP_NAME.matcher(name).matches()) {
            throw new ApiError(422, "Validation failed: Name under 63 chars using numbers, lowercase letters and dashes");
        }
        Inventory inv = world.inventory;
        if (inv.apps.containsKey(name)) {
            throw new ApiError(422, "Validation failed: Name has already been taken", "name_taken");
        }
        String network = Json.text(r.body(), "network");
        long numeric = inv.nextNumericId++;
        EmulatedApp app = new EmulatedApp(world.newId("", 16, "abcdefghijklmnopqrstuvwxyz0123456789"), name,
                r.caller().slug(), "pending", network == null || network.isBlank() ? "default" : network, numeric,
                world.now());
        inv.apps.put(name, app);
        ObjectNode answer = world.appJson(app);
        answer.put("created_at", app.createdAt());
        return Reply.created(answer);
    }

    private Reply list(Request r) {
        String orgSlug = r.param("org_slug");
        if (orgSlug == null || orgSlug.isBlank()) {
            throw new ApiError(400, "org_slug is required");
        }
        if (!orgSlug.equals(r.caller().slug())) {
            throw new ApiError(404, "Organization not found: " + orgSlug);
        }
        ArrayNode apps = Json.array();
        for (EmulatedApp app : world.listed(world.inventory.apps.values())) {
            if (app.orgSlug().equals(orgSlug)) {
                ObjectNode item = apps.addObject();
                item.put("id", app.id());
                item.put("name", app.name());
                item.put("machine_count", world.inventory.machinesOf(app.name()).size());
                item.put("volume_count", world.inventory.volumesOf(app.name()).size());
                item.put("network", app.network());
            }
        }
        ObjectNode answer = Json.object();
        answer.put("total_apps", apps.size());
        answer.set("apps", apps);
        return Reply.ok(answer);
    }
}
