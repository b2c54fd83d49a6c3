package dev.flyform.provider.fly;

/**
 * One object found by {@link FlyProvider#discoverApp}: its resource type, the id that imports
 * it ({@code app/...}), and what a label can be made from (an IP's type, a volume's or machine's
 * name, a hostname).
 */
public record Discovered(String type, String importId, String hint) {
}
