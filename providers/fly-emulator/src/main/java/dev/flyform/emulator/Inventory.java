package dev.flyform.emulator;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Everything the emulated Fly holds, in one object that is saved as JSON. Guarded by the
 * emulator's lock; the per-app maps go with their app when it is deleted.
 */
final class Inventory {

    public long session;
    public long nextSequence = 1;
    public long nextNumericId = 1_000_000;
    public long nextObjectId = 1;
    public Map<String, Organization> organizations = new TreeMap<>();
    public Map<String, EmulatedApp> apps = new TreeMap<>();
    /** app → machine id → machine, as the API shows it. */
    public Map<String, Map<String, ObjectNode>> machines = new TreeMap<>();
    /** "app/machine id" → the states a machine will pass through, each {@code {"at": epoch ms, "state": ...}}. */
    public Map<String, List<ObjectNode>> transitions = new TreeMap<>();
    /** app being deleted → when it is gone (epoch ms); until then it reads and holds its name. */
    public Map<String, Long> deleting = new TreeMap<>();
    /** machine id → lease. */
    public Map<String, ObjectNode> leases = new TreeMap<>();
    /** app → volume id → volume. */
    public Map<String, Map<String, ObjectNode>> volumes = new TreeMap<>();
    /** app → IP assignments, in allocation order. */
    public Map<String, List<IpAssignment>> ips = new TreeMap<>();
    /** app → egress addresses, each {@code {id, ip, region, version, pair, updatedAt}}; allocated in v4/v6 pairs. */
    public Map<String, List<ObjectNode>> egressIps = new TreeMap<>();
    /** app → hostname → certificate detail. */
    public Map<String, Map<String, ObjectNode>> certificates = new TreeMap<>();
    /** app → secret name → secret (name, digest, timestamps; never the value). */
    public Map<String, Map<String, ObjectNode>> secrets = new TreeMap<>();
    /** app → secrets version, bumped by every change. */
    public Map<String, Long> secretVersions = new TreeMap<>();
    public List<Call> calls = new ArrayList<>();

    Map<String, ObjectNode> machinesOf(String app) {
        return machines.computeIfAbsent(app, k -> new LinkedHashMap<>());
    }

    Map<String, ObjectNode> volumesOf(String app) {
        return volumes.computeIfAbsent(app, k -> new LinkedHashMap<>());
    }

    List<IpAssignment> ipsOf(String app) {
        return ips.computeIfAbsent(app, k -> new ArrayList<>());
    }

    Map<String, ObjectNode> certificatesOf(String app) {
        return certificates.computeIfAbsent(app, k -> new TreeMap<>());
    }

    Map<String, ObjectNode> secretsOf(String app) {
        return secrets.computeIfAbsent(app, k -> new TreeMap<>());
    }

    /** Deleting an app takes its machines, volumes, IPs, certificates and secrets with it. */
    void deleteApp(String name) {
        apps.remove(name);
        deleting.remove(name);
        transitions.keySet().removeIf(k -> k.startsWith(name + "/"));
        Map<String, ObjectNode> gone = machines.remove(name);
        if (gone != null) {
            gone.keySet().forEach(leases::remove);
        }
        volumes.remove(name);
        ips.remove(name);
        egressIps.remove(name);
        certificates.remove(name);
        secrets.remove(name);
        secretVersions.remove(name);
    }

    long nextId() {
        return nextObjectId++;
    }
}
