package dev.flyform.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.flyform.engine.diag.Diagnostic;
import dev.flyform.engine.diag.DiagnosticsException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The values of a configuration's variables, from every place they may be given, as Terraform
 * takes them, each later one winning: the environment ({@code FLYFORM_VAR_name}); the files
 * {@code *.auto.vars.yml}, {@code *.auto.vars.yaml} and {@code *.auto.vars.json} of the
 * directory, in name order; then {@code -var NAME=VALUE} and {@code -var-file FILE} in the order
 * they are given. (A default in the script is below them all.)
 *
 * @param values   name to value, as text (the script's default says what type it is)
 * @param explicit the names given on the command line: an undeclared one is an error; one given
 *                 from the environment or an automatic file is not (it may be for another
 *                 configuration)
 */
record VariableValues(Map<String, String> values, Set<String> explicit) {

    static final String ENV_PREFIX = "FLYFORM_VAR_";
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper JSON = new ObjectMapper();

    VariableValues {
        values = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(values));
        explicit = Set.copyOf(explicit);
    }

    /** One -var or -var-file, in the order given. */
    record Given(String flag, String value) {
    }

    static VariableValues of(Map<String, String> environment, Path dir, List<Given> given) {
        Map<String, String> values = new LinkedHashMap<>();
        new TreeMap<>(environment).forEach((k, v) -> {
            if (k.startsWith(ENV_PREFIX) && k.length() > ENV_PREFIX.length()) {
                values.put(k.substring(ENV_PREFIX.length()), v);
            }
        });
        for (Path file : automaticFiles(dir)) {
            values.putAll(read(file, dir.relativize(file).toString()));
        }
        Set<String> explicit = new TreeSet<>();
        for (Given g : given) {
            if (g.flag().equals("-var")) {
                int eq = g.value().indexOf('=');
                if (eq <= 0) {
                    throw new DiagnosticsException(Diagnostic.error("-var " + g.value() + ": write -var NAME=VALUE, e.g. "
                            + "-var region=iad", ""));
                }
                values.put(g.value().substring(0, eq), g.value().substring(eq + 1));
                explicit.add(g.value().substring(0, eq));
            } else {
                Path file = dir.resolve(g.value());
                if (!Files.isRegularFile(file)) {
                    throw new DiagnosticsException(Diagnostic.error("-var-file " + g.value() + ": no such file", ""));
                }
                Map<String, String> read = read(file, "-var-file " + g.value());
                values.putAll(read);
                explicit.addAll(read.keySet());
            }
        }
        return new VariableValues(values, explicit);
    }

    /** {@code *.auto.vars.yml}, {@code .yaml} and {@code .json} in {@code dir}, in name order. */
    static List<Path> automaticFiles(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> Files.isRegularFile(f) && f.getFileName().toString().matches(".+\\.auto\\.vars\\.(yml|yaml|json)"))
                    .sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    /** A YAML or JSON file of {@code name: value}; each value a string, a number or true/false. */
    private static Map<String, String> read(Path file, String shown) {
        JsonNode root;
        try {
            root = (file.toString().endsWith(".json") ? JSON : YAML).readTree(file.toFile());
        } catch (IOException e) {
            String why = e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst().orElse("");
            throw new DiagnosticsException(Diagnostic.error(shown + " cannot be read",
                    why.replaceAll(" at \\[Source:.*", "") + ". It holds one `name: value` per variable."));
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            return Map.of();
        }
        if (!root.isObject()) {
            throw new DiagnosticsException(Diagnostic.error(shown + " holds no variables",
                    "It holds one `name: value` per variable, e.g. region: iad."));
        }
        Map<String, String> out = new LinkedHashMap<>();
        List<String> bad = new ArrayList<>();
        root.fields().forEachRemaining(e -> {
            if (e.getValue().isValueNode() && !e.getValue().isNull()) {
                out.put(e.getKey(), e.getValue().asText());
            } else {
                bad.add(e.getKey());
            }
        });
        if (!bad.isEmpty()) {
            throw new DiagnosticsException(Diagnostic.error(shown + ": " + String.join(", ", bad)
                    + (bad.size() == 1 ? " is" : " are") + " not a string, a number or true/false",
                    "A variable holds one value: region: iad, machines: 2, debug: true."));
        }
        return out;
    }
}
