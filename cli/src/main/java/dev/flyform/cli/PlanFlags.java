package dev.flyform.cli;

import dev.flyform.engine.addr.ResourceAddress;
import dev.flyform.engine.plan.PlanOptions;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** The options plan, apply and destroy share. */
final class PlanFlags {

    @Option(names = {"-var", "--var"}, paramLabel = "NAME=VALUE",
            description = "Set a variable declared with variable('NAME', default). Repeatable; a later one wins.")
    List<String> vars = new ArrayList<>();

    @Option(names = {"-var-file", "--var-file"}, paramLabel = "FILE",
            description = "Set variables from a YAML or JSON file of `name: value`. Repeatable. Below -var and -var-file "
                    + "(in the order given): *.auto.vars.yml/.json files of the directory (name order), then "
                    + "FLYFORM_VAR_name environment variables, then the script's defaults.")
    List<String> varFiles = new ArrayList<>();

    @picocli.CommandLine.Spec(picocli.CommandLine.Spec.Target.MIXEE)
    picocli.CommandLine.Model.CommandSpec command;

    private VariableValues values;

    /** Every variable's value, from all the places they may be given (see {@link VariableValues}). */
    VariableValues values(Workspace ws, CliEnvironment env) {
        if (values == null) {
            values = VariableValues.of(env.variables(), ws.directory(), given());
        }
        return values;
    }

    /** -var and -var-file in the order the command line gives them. */
    private List<VariableValues.Given> given() {
        List<VariableValues.Given> out = new ArrayList<>();
        List<String> args = command == null || command.commandLine().getParseResult() == null ? List.of()
                : command.commandLine().getParseResult().originalArgs();
        java.util.Iterator<String> vs = vars.iterator();
        java.util.Iterator<String> fs = varFiles.iterator();
        for (String a : args) {
            String flag = a.startsWith("--") ? a.substring(1) : a;
            if ((flag.equals("-var") || flag.startsWith("-var=")) && vs.hasNext()) {
                out.add(new VariableValues.Given("-var", vs.next()));
            } else if ((flag.equals("-var-file") || flag.startsWith("-var-file=")) && fs.hasNext()) {
                out.add(new VariableValues.Given("-var-file", fs.next()));
            }
        }
        vs.forEachRemaining(v -> out.add(new VariableValues.Given("-var", v)));
        fs.forEachRemaining(f -> out.add(new VariableValues.Given("-var-file", f)));
        return out;
    }

    @Option(names = {"-refresh", "--refresh"}, arity = "1", paramLabel = "BOOL", defaultValue = "true",
            description = "Read every object in state from Fly before planning (default: ${DEFAULT-VALUE}). "
                    + "-refresh=false plans from the state alone.")
    boolean refresh = true;

    @Option(names = {"-target", "--target"}, paramLabel = "ADDR",
            description = "Plan only ADDR and what it depends on (a destroyed ADDR: and what depends on it). Repeatable.")
    List<String> targets = new ArrayList<>();

    @Option(names = {"-replace", "--replace"}, paramLabel = "ADDR",
            description = "Replace ADDR (delete it, then create it again) although nothing forces it. Repeatable.")
    List<String> replace = new ArrayList<>();

    @Option(names = {"-adopt", "--adopt"}, paramLabel = "ADDR",
            description = "Take ADDR over although another flyform state (another directory, or another shared state or "
                    + "workspace) marked it as its own; without it such an object is refused. Repeatable.")
    List<String> adopt = new ArrayList<>();

    @Option(names = {"-lock-timeout", "--lock-timeout"}, paramLabel = "DURATION", defaultValue = "0s",
            description = "Wait this long for another run's state lock, e.g. 30s or 2m (default: ${DEFAULT-VALUE}: fail at once).")
    String lockTimeout = "0s";

    @Option(names = {"-input", "--input"}, arity = "1", paramLabel = "BOOL", defaultValue = "true",
            description = "Accepted as Terraform takes it: flyform never asks for a variable, so -input=false changes nothing.")
    boolean input = true;

    PlanOptions options(boolean destroy) {
        return new PlanOptions(refresh, addresses("-target", targets), addresses("-replace", replace), destroy,
                addresses("-adopt", adopt));
    }

    Duration lockWait() {
        return Durations.parse("-lock-timeout", lockTimeout);
    }

    private static Set<ResourceAddress> addresses(String flag, List<String> given) {
        Set<ResourceAddress> out = new TreeSet<>();
        for (String g : given) {
            try {
                out.add(ResourceAddress.parse(g));
            } catch (IllegalArgumentException e) {
                throw new dev.flyform.engine.diag.DiagnosticsException(dev.flyform.engine.diag.Diagnostic.error(
                        flag + " " + g + ": not an address", "Write TYPE.NAME, e.g. fly_app.web."));
            }
        }
        return out;
    }
}
