package dev.flyform.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Map;

/**
 * {@code /v1/apps/{app}/volumes}: names are not unique (two creates make two volumes), update
 * takes only snapshot retention and backups, extend only grows, and delete answers the volume
 * in state {@code destroyed}. Deleted volumes stay listed as {@code pending_destroy} for a while,
 * as Fly's listing does, so clients must filter them.
 */
final class VolumesApi {

    private static final String ALNUM = "abcdefghijklmnopqrstuvwxyz0123456789";

    private final World world;

    VolumesApi(World world) {
        this.world = world;
    }

    /** Path: v1 apps APP volumes [ID [extend|snapshots]]. */
    Reply handle(Request r) {
        String app = r.segment(2);
        world.visibleApp(r.caller(), app);
        Map<String, ObjectNode> volumes = world.inventory.volumesOf(app);
        int n = r.path().size();
        if (n == 4) {
            return switch (r.method()) {
                case "GET" -> {
                    ArrayNode list = Json.array();
                    world.listed(volumes.values()).forEach(list::add);
                    yield Reply.ok(list);
                }
                case "POST" -> create(r, volumes);
                default -> null;
            };
        }
        ObjectNode volume = volumes.get(r.segment(4));
        if (volume == null) {
            throw new ApiError(404, "volume not found");
        }
        boolean gone = !"created".equals(Json.text(volume, "state"));
        String action = n >= 6 ? r.segment(5) : "";
        return switch (r.method() + " " + action) {
            case "GET " -> Reply.ok(volume);
            // The 2024 spec says POST for update; Fly's docs and clients use PUT. Both work.
            case "PUT ", "POST " -> {
                requireLive(gone);
                update(r.body(), volume);
                yield Reply.ok(volume);
            }
            case "PUT extend" -> {
                requireLive(gone);
                yield extend(r.body(), volume);
            }
            case "DELETE " -> {
                requireLive(gone);
                if (Json.text(volume, "attached_machine_id") != null) {
                    throw new ApiError(412, "failed_precondition: volume is attached to machine "
                            + Json.text(volume, "attached_machine_id") + "; destroy the machine first");
                }
                volume.put("state", "pending_destroy");
                ObjectNode answer = volume.deepCopy();
                answer.put("state", "destroyed");
                yield Reply.ok(answer);
            }
            case "GET snapshots" -> Reply.ok(Json.array());
            default -> null;
        };
    }

    private static void requireLive(boolean gone) {
        if (gone) {
            throw new ApiError(404, "volume not found");
        }
    }

    private Reply create(Request r, Map<String, ObjectNode> volumes) {
        JsonNode body = r.body();
        String name = Json.text(body, "name");
        if (name == null || !name.matches("[a-z0-9_]{1,30}")) {
            throw new ApiError(400, "name is required: up to 30 lowercase letters, digits and underscores");
        }
        int size = body.path("size_gb").asInt(3);
        if (size < 1 || size > 500) {
            throw new ApiError(400, "size_gb must be between 1 and 500");
        }
        int retention = body.path("snapshot_retention").asInt(5);
        if (retention < 1 || retention > 60) {
            throw new ApiError(400, "snapshot_retention must be between 1 and 60");
        }
        String fstype = body.hasNonNull("fstype") ? body.get("fstype").asText() : "ext4";
        if (!fstype.equals("ext4") && !fstype.equals("raw")) {
            throw new ApiError(400, "fstype must be ext4 or raw");
        }
        String region = world.region(Json.text(body, "region"));
        ObjectNode v = Json.object();
        v.put("id", world.newId("vol_", 16, ALNUM));
        v.put("name", name);
        v.put("state", "created");
        v.put("size_gb", size);
        v.put("region", region);
        v.put("zone", world.newId("", 4, "0123456789abcdef"));
        v.put("encrypted", body.path("encrypted").asBoolean(true));
        v.put("created_at", Json.now());
        v.put("block_size", 4096);
        v.put("blocks", size * 262_144L);
        v.put("blocks_free", size * 262_144L);
        v.put("blocks_avail", size * 249_000L);
        v.put("fstype", fstype);
        v.put("snapshot_retention", retention);
        v.put("auto_backup_enabled", body.path("auto_backup_enabled").asBoolean(true));
        v.put("host_status", "ok");
        volumes.put(v.get("id").asText(), v);
        return Reply.ok(v);
    }

    private static void update(JsonNode body, ObjectNode volume) {
        if (body.has("snapshot_retention")) {
            int retention = body.get("snapshot_retention").asInt();
            if (retention < 1 || retention > 60) {
                throw new ApiError(400, "snapshot_retention must be between 1 and 60");
            }
            volume.put("snapshot_retention", retention);
        }
        if (body.has("auto_backup_enabled")) {
            volume.put("auto_backup_enabled", body.get("auto_backup_enabled").asBoolean());
        }
    }

    private static Reply extend(JsonNode body, ObjectNode volume) {
        int size = body.path("size_gb").asInt(0);
        int current = volume.get("size_gb").asInt();
        if (size <= current) {
            throw new ApiError(400, "size_gb must be larger than the current size (" + current + " GB): volumes only grow");
        }
        if (size > 500) {
            throw new ApiError(400, "size_gb must be at most 500");
        }
        volume.put("size_gb", size);
        volume.put("blocks", size * 262_144L);
        ObjectNode answer = Json.object();
        answer.set("volume", volume);
        answer.put("needs_restart", Json.text(volume, "attached_machine_id") != null);
        return Reply.ok(answer);
    }
}
