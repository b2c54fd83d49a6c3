package dev.flyform.provider.fly;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Where the Fly API is and how to authenticate, read exactly as flyctl reads them:
 * {@code FLY_ACCESS_TOKEN}, then {@code FLY_API_TOKEN}, then {@code access_token} in
 * {@code config.yml} under {@code $FLY_CONFIG_DIR} or {@code ~/.fly}; {@code FLY_FLAPS_BASE_URL}
 * for the Machines API and {@code FLY_API_BASE_URL} for GraphQL.
 */
public record FlySettings(URI machinesBaseUrl, URI graphqlBaseUrl, Optional<FlyToken> token, String tokenSource) {

    public static final URI DEFAULT_MACHINES_URL = URI.create("https://api.machines.dev");
    public static final URI DEFAULT_GRAPHQL_URL = URI.create("https://api.fly.io");

    @Override
    public String toString() {
        return "FlySettings[machines=" + machinesBaseUrl + ", graphql=" + graphqlBaseUrl + ", token from " + tokenSource + "]";
    }

    /**
     * @param env  the process environment (a map, so tests need not change the real one)
     * @param home the user's home directory
     */
    public static FlySettings from(Map<String, String> env, Path home) {
        URI machines = url(env, "FLY_FLAPS_BASE_URL", DEFAULT_MACHINES_URL);
        URI graphql = url(env, "FLY_API_BASE_URL", DEFAULT_GRAPHQL_URL);
        for (String name : new String[] {"FLY_ACCESS_TOKEN", "FLY_API_TOKEN"}) {
            String value = env.get(name);
            if (value != null && !value.isBlank()) {
                return new FlySettings(machines, graphql, Optional.of(FlyToken.parse(value)), name);
            }
        }
        String dir = env.get("FLY_CONFIG_DIR");
        Path config = (dir != null && !dir.isBlank() ? Path.of(dir) : home.resolve(".fly")).resolve("config.yml");
        return new FlySettings(machines, graphql, tokenFromFile(config), config.toString());
    }

    public static FlySettings of(URI machinesBaseUrl, URI graphqlBaseUrl, String token) {
        return new FlySettings(machinesBaseUrl, graphqlBaseUrl, Optional.of(FlyToken.parse(token)), "given");
    }

    private static Optional<FlyToken> tokenFromFile(Path config) {
        if (!Files.isRegularFile(config)) {
            return Optional.empty();
        }
        try {
            JsonNode root = new ObjectMapper(new YAMLFactory()).readTree(config.toFile());
            JsonNode token = root == null ? null : root.get("access_token");
            if (token == null || token.asText().isBlank()) {
                return Optional.empty();
            }
            return Optional.of(FlyToken.parse(token.asText()));
        } catch (IOException e) {
            // The parser's message may quote the file's content; keep it out of the output.
            throw new IllegalArgumentException("cannot read " + config + ": it is not valid YAML");
        }
    }

    private static URI url(Map<String, String> env, String name, URI fallback) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            URI uri = URI.create(value.strip().replaceAll("/+$", ""));
            if (uri.getScheme() == null || uri.getHost() == null) {
                throw new IllegalArgumentException();
            }
            return uri;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + " is not a URL: " + value);
        }
    }
}
