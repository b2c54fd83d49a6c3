package dev.flyform.emulator;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Set;

/**
 * {@code /v1/apps/{app}/ip_assignments}: every v4, v6 and private_v6 allocation makes a new
 * address (a resend duplicates); shared_v4 is one per app and a second allocation answers the
 * same address. No id and no type on the wire: identity is the address.
 */
final class IpAssignmentsApi {

    static final Set<String> TYPES = Set.of("v4", "shared_v4", "v6", "private_v6");

    private final World world;

    IpAssignmentsApi(World world) {
        this.world = world;
    }

    /** Path: v1 apps APP ip_assignments [IP]. */
    Reply handle(Request r) {
        String app = r.segment(2);
        world.visibleApp(r.caller(), app);
        List<IpAssignment> ips = world.inventory.ipsOf(app);
        if (r.is("GET", 4)) {
            ArrayNode list = Json.array();
            world.listed(ips).forEach(ip -> list.add(rest(ip)));
            ObjectNode answer = Json.object();
            answer.set("ips", list);
            return Reply.ok(answer);
        }
        if (r.is("POST", 4)) {
            String type = Json.text(r.body(), "type");
            if (type == null || !TYPES.contains(type)) {
                throw new ApiError(400, "type must be one of v4, shared_v4, v6, private_v6");
            }
            return Reply.ok(rest(allocate(app, type, Json.text(r.body(), "region"), Json.text(r.body(), "network"),
                    Json.text(r.body(), "service_name"))));
        }
        if (r.is("DELETE", 5)) {
            release(app, r.segment(4));
            return Reply.noContent();
        }
        return null;
    }

    /** Shared by REST and GraphQL, which see one store. */
    IpAssignment allocate(String app, String type, String region, String network, String serviceName) {
        List<IpAssignment> ips = world.inventory.ipsOf(app);
        if (type.equals("shared_v4")) {
            for (IpAssignment existing : ips) {
                if (existing.shared()) {
                    return existing;
                }
            }
        }
        long n = world.inventory.nextId();
        String address = switch (type) {
            case "v4" -> "137.66." + (n / 250 % 250 + 1) + "." + (n % 250 + 1);
            case "shared_v4" -> "66.241.125." + (n % 250 + 1);
            case "v6" -> "2a09:8280:1::" + Long.toHexString(n);
            default -> "fdaa:0:1:0::" + Long.toHexString(n);
        };
        IpAssignment ip = new IpAssignment("ip_" + Long.toString(n * 7919 + 10007, 36), address, type,
                region == null || region.isBlank() ? "global" : region,
                serviceName == null ? "" : serviceName, network == null ? "" : network, Json.now());
        ips.add(ip);
        world.changed();
        return ip;
    }

    void release(String app, String address) {
        boolean removed = world.inventory.ipsOf(app).removeIf(ip -> ip.ip().equals(address));
        if (!removed) {
            throw new ApiError(404, "IP address " + address + " not found in app " + app);
        }
        world.changed();
    }

    private static ObjectNode rest(IpAssignment ip) {
        ObjectNode node = Json.object();
        node.put("ip", ip.ip());
        node.put("region", ip.region());
        node.put("service_name", ip.serviceName());
        node.put("shared", ip.shared());
        node.put("created_at", ip.createdAt());
        return node;
    }
}
