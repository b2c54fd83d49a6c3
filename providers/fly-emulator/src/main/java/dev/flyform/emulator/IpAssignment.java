package dev.flyform.emulator;

/**
 * An allocated address. REST shows it without id or type; GraphQL shows both, so the emulator
 * keeps them.
 */
public record IpAssignment(String id, String ip, String type, String region, String serviceName, String network,
                           String createdAt) {

    public boolean shared() {
        return type.equals("shared_v4");
    }
}
