package dev.flyform.bench;

import dev.flyform.dsl.CompiledScripts;
import dev.flyform.dsl.ConfigLoader;
import dev.flyform.provider.fly.FlyProvider;
import dev.flyform.provider.fly.FlySettings;

import java.net.URI;
import java.nio.file.Path;
import java.util.Map;

/**
 * The start-up floor: the same JVM evaluating the same .fly.groovy with flyform's loader, which
 * reads the Fly provider's schema for its blocks, and nothing else (no call is made).
 */
public final class Floor {

    public static void main(String[] args) {
        URI nowhere = URI.create("http://127.0.0.1:9");
        var schema = new FlyProvider(FlySettings.of(nowhere, nowhere, "unused"), "personal", "floor").schema();
        new ConfigLoader(CompiledScripts.NONE, schema).load(Path.of(args[0]), Map.of(), Path.of(args[0]), Map.of());
    }
}
