package dev.flyform.emulator;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * {@code /v1/apps/{app}/certificates}: ACME or custom certificates by hostname. Adding a
 * hostname the app already has answers 422 (an emulator choice: Fly does not document it).
 * New certificates wait for DNS ({@code pending_validation}); with {@code certificate_issuance_ms}
 * set, each is issued ({@code active}) that long after it was added, as Fly issues one once DNS
 * points at the app. The DNS requirements name the app's addresses as they are when read.
 */
final class CertificatesApi {

    private static final Pattern HOSTNAME = Pattern.compile("(\\*\\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,63}");

    private final World world;

    CertificatesApi(World world) {
        this.world = world;
    }

    /** Path: v1 apps APP certificates [acme|custom|HOST [check|acme|custom]]. */
    Reply handle(Request r) {
        String app = r.segment(2);
        EmulatedApp owner = world.visibleApp(r.caller(), app);
        Map<String, ObjectNode> certs = world.inventory.certificatesOf(app);
        int n = r.path().size();
        certs.values().forEach(c -> current(app, c));
        if (r.is("GET", 4)) {
            return list(r, certs);
        }
        if (r.is("POST", 5) && (r.segment(4).equals("acme") || r.segment(4).equals("custom"))) {
            return Reply.created(detail(add(owner, Json.text(r.body(), "hostname"), r.segment(4).equals("custom"))));
        }
        String hostname = r.segment(4);
        ObjectNode cert = certs.get(hostname);
        if (cert == null) {
            throw new ApiError(404, "certificate for " + hostname + " not found");
        }
        if (n == 5 && r.method().equals("GET")) {
            return Reply.ok(detail(cert));
        }
        if (n == 5 && r.method().equals("DELETE")) {
            remove(app, hostname);
            return Reply.noContent();
        }
        if (r.is("POST", 6) && r.segment(5).equals("check")) {
            ObjectNode answer = detail(cert);
            ObjectNode records = answer.putObject("dns_records");
            records.putArray("a");
            records.putArray("aaaa");
            records.putArray("cname");
            records.putArray("resolved_addresses");
            records.put("soa", "");
            records.put("acme_challenge_cname", "");
            records.put("ownership_txt", "");
            return Reply.ok(answer);
        }
        if (r.is("DELETE", 6) && (r.segment(5).equals("acme") || r.segment(5).equals("custom"))) {
            cert.put(r.segment(5).equals("acme") ? "acme_requested" : "has_custom_certificate", false);
            world.changed();
            return Reply.ok(detail(cert));
        }
        return null;
    }

    /** The certificate as the API shows it: without the bookkeeping kept for listings. */
    static ObjectNode detail(ObjectNode stored) {
        ObjectNode shown = stored.deepCopy();
        shown.remove(List.of("has_custom_certificate", "created_at", "updated_at", "added_ms"));
        return shown;
    }

    /** Brought up to now: issued once its time has come, its A and AAAA records the app's addresses today. */
    ObjectNode current(String app, ObjectNode c) {
        long after = world.faults().certificateIssuanceMs();
        if (after >= 0 && !c.path("status").asText().equals("active")
                && world.now() - c.path("added_ms").asLong() >= after) {
            String now = Json.now();
            String expires = java.time.Instant.parse(now).plus(java.time.Duration.ofDays(90)).toString();
            c.put("status", "active");
            c.put("configured", true);
            c.put("updated_at", now);
            ((ObjectNode) c.get("validation")).put("dns_configured", true);
            ObjectNode issued = ((ArrayNode) c.get("certificates")).addObject();
            issued.put("source", "fly");
            issued.put("status", "active");
            issued.put("created_at", now);
            issued.put("expires_at", expires);
            issued.put("issuer", "Let's Encrypt R11");
            issued.putArray("issued").addObject().put("type", "ecdsa").put("expires_at", expires)
                    .put("certificate_authority", "lets_encrypt");
            world.changed();
        }
        ObjectNode dns = (ObjectNode) c.get("dns_requirements");
        ArrayNode a = Json.array();
        ArrayNode aaaa = Json.array();
        for (IpAssignment ip : world.inventory.ipsOf(app)) {
            if (ip.type().equals("v4") || ip.type().equals("shared_v4")) {
                a.add(ip.ip());
            } else if (ip.type().equals("v6")) {
                aaaa.add(ip.ip());
            }
        }
        dns.set("a", a);
        dns.set("aaaa", aaaa);
        return c;
    }

    /** Shared with GraphQL's addCertificate. */
    ObjectNode add(EmulatedApp app, String hostname, boolean custom) {
        if (hostname == null || !HOSTNAME.matcher(hostname).matches()) {
            throw new ApiError(422, "Validation failed: Hostname is invalid");
        }
        Map<String, ObjectNode> certs = world.inventory.certificatesOf(app.name());
        if (certs.containsKey(hostname)) {
            throw new ApiError(422, "Hostname has already been taken");
        }
        String now = Json.now();
        ObjectNode c = Json.object();
        c.put("hostname", hostname);
        c.put("configured", false);
        c.put("acme_requested", !custom);
        c.put("status", "pending_validation");
        c.put("dns_provider", "");
        c.putArray("certificates");
        ObjectNode validation = c.putObject("validation");
        validation.put("dns_configured", false);
        validation.put("alpn_configured", false);
        validation.put("http_configured", false);
        validation.put("ownership_txt_configured", false);
        ObjectNode dns = c.putObject("dns_requirements");
        dns.putArray("a");
        dns.putArray("aaaa");
        dns.put("cname", app.name() + ".fly.dev");
        String bare = hostname.startsWith("*.") ? hostname.substring(2) : hostname;
        ObjectNode challenge = dns.putObject("acme_challenge");
        challenge.put("name", "_acme-challenge." + bare);
        challenge.put("target", bare + "." + world.newId("", 6, "0123456789abcdefghjkmnpqrstvwxyz") + ".flydns.net");
        ObjectNode ownership = dns.putObject("ownership");
        ownership.put("name", "_fly-ownership." + bare);
        ownership.put("app_value", "app-" + app.id());
        ownership.put("org_value", "org-" + app.orgSlug());
        c.putArray("validation_errors");
        // Kept for listings; not part of the detail's documented shape, so stripped when shown.
        c.put("has_custom_certificate", custom);
        c.put("created_at", now);
        c.put("updated_at", now);
        c.put("added_ms", world.now());
        certs.put(hostname, c);
        current(app.name(), c);
        world.changed();
        return c;
    }

    void remove(String app, String hostname) {
        if (world.inventory.certificatesOf(app).remove(hostname) == null) {
            throw new ApiError(404, "certificate for " + hostname + " not found");
        }
        world.changed();
    }

    private Reply list(Request r, Map<String, ObjectNode> certs) {
        String filter = r.param("filter");
        int limit = parse(r.param("limit"), 25);
        int start = parse(r.param("cursor"), 0);
        List<ObjectNode> matching = new ArrayList<>();
        for (ObjectNode c : world.listed(certs.values())) {
            if (filter == null || c.get("hostname").asText().contains(filter)) {
                matching.add(c);
            }
        }
        ArrayNode page = Json.array();
        for (int i = start; i < Math.min(matching.size(), start + limit); i++) {
            ObjectNode c = matching.get(i);
            ObjectNode item = page.addObject();
            item.put("hostname", c.get("hostname").asText());
            item.put("status", c.get("status").asText());
            item.put("dns_provider", c.get("dns_provider").asText());
            item.put("acme_dns_configured", false);
            item.put("acme_alpn_configured", false);
            item.put("acme_http_configured", false);
            item.put("ownership_txt_configured", false);
            item.put("configured", c.get("configured").asBoolean());
            item.put("acme_requested", c.get("acme_requested").asBoolean());
            item.put("has_custom_certificate", c.path("has_custom_certificate").asBoolean());
            item.put("has_fly_certificate", c.path("status").asText().equals("active"));
            item.put("created_at", c.get("created_at").asText());
            item.put("updated_at", c.get("updated_at").asText());
        }
        ObjectNode answer = Json.object();
        answer.set("certificates", page);
        int next = start + limit;
        answer.put("next_cursor", next < matching.size() ? String.valueOf(next) : "");
        answer.put("total_count", matching.size());
        return Reply.ok(answer);
    }

    private static int parse(String value, int fallback) {
        try {
            return value == null || value.isBlank() ? fallback : Math.max(0, Integer.parseInt(value));
        } catch (NumberFormatException e) {
            throw new ApiError(400, "not a number: " + value);
        }
    }
}
