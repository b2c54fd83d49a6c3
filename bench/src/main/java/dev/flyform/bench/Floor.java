package dev.flyform.bench;

import dev.flyform.dsl.ConfigLoader;

import java.nio.file.Path;
import java.util.Map;

/** The start-up floor: the same JVM evaluating the same .fly.groovy with flyform's loader, and nothing else. */
public final class Floor {

    public static void main(String[] args) {
        new ConfigLoader().load(Path.of(args[0]), Map.of(), Path.of(args[0]), Map.of());
    }
}
