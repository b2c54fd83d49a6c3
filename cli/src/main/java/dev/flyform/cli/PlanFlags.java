package dev.flyform.cli;

import picocli.CommandLine.Option;

import java.util.LinkedHashMap;
import java.util.Map;

/** The options plan and apply share. */
final class PlanFlags {

    @Option(names = {"-var", "--var"}, paramLabel = "NAME=VALUE",
            description = "Set a variable declared with variable('NAME', default). Repeatable.")
    Map<String, String> variables = new LinkedHashMap<>();

    @Option(names = {"-refresh", "--refresh"}, arity = "1", paramLabel = "BOOL", defaultValue = "true",
            description = "Read every object in state from Fly before planning (default: ${DEFAULT-VALUE}). "
                    + "-refresh=false plans from the state alone.")
    boolean refresh = true;
}
