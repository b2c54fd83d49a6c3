package dev.flyform.cli;

import dev.flyform.engine.diag.Diagnostic;
import dev.flyform.engine.diag.DiagnosticsException;
import dev.flyform.engine.state.StateLockedException;
import dev.flyform.engine.state.StateTargetMismatchException;
import dev.flyform.state.h2.StateDamagedException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** The {@code flyform} command: declarative, idempotent Fly.io apps. */
@Command(name = "flyform", mixinStandardHelpOptions = true, versionProvider = Flyform.Version.class,
        description = {"Declare Fly apps in *.fly.groovy files; plan shows the difference from what exists, "
                + "apply makes exactly that difference. Running apply twice changes nothing the second time.",
                "",
                "Credentials as flyctl reads them: FLY_ACCESS_TOKEN, then FLY_API_TOKEN, then access_token in "
                        + "~/.fly/config.yml ($FLY_CONFIG_DIR). Endpoints: FLY_FLAPS_BASE_URL, FLY_API_BASE_URL. "
                        + "Default organization: FLY_ORG, else personal."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:success, no changes", "1:error", "2:changes present (plan -detailed-exitcode)"})
public final class Flyform implements Runnable {

    @Mixin
    GlobalOptions globalOptions;

    @Spec
    CommandSpec spec;

    /** Terraform's spellings of --version (picocli allows one option marked as the version help). */
    @picocli.CommandLine.Option(names = {"-version", "-v"}, description = "Print the version and exit (as --version).")
    boolean versionRequested;

    private final CliEnvironment environment;

    Flyform(CliEnvironment environment) {
        this.environment = environment;
    }

    CliEnvironment environment() {
        return environment;
    }

    @Override
    public void run() {
        if (versionRequested) {
            spec.commandLine().printVersionHelp(environment.out());
            environment.out().flush();
            return;
        }
        spec.commandLine().usage(environment.out());
    }

    /**
     * The subcommands, in the order help lists them. Built on demand: picocli reads a command's
     * annotations by reflection, and doing it for every command costs each run a tenth of a second.
     */
    private static final Map<String, Supplier<Object>> SUBCOMMANDS = new LinkedHashMap<>();

    static {
        SUBCOMMANDS.put("validate", ValidateCommand::new);
        SUBCOMMANDS.put("plan", PlanCommand::new);
        SUBCOMMANDS.put("apply", ApplyCommand::new);
        SUBCOMMANDS.put("destroy", DestroyCommand::new);
        SUBCOMMANDS.put("import", ImportCommand::new);
        SUBCOMMANDS.put("show", ShowCommand::new);
        SUBCOMMANDS.put("output", OutputCommand::new);
        SUBCOMMANDS.put("graph", GraphCommand::new);
        SUBCOMMANDS.put("state", StateCommand::new);
        SUBCOMMANDS.put("workspace", WorkspaceCommand::new);
        SUBCOMMANDS.put("sweep", SweepCommand::new);
        SUBCOMMANDS.put("regions", RegionsCommand::new);
        SUBCOMMANDS.put("version", VersionCommand::new);
        SUBCOMMANDS.put("emulator", EmulatorCommand::new);
        SUBCOMMANDS.put("generate-completion", picocli.AutoComplete.GenerateCompletion::new);
    }

    /**
     * Only the command the line names, when it names one; all of them otherwise (for help, for
     * "did you mean", and for the completion script, which covers every command).
     */
    private static Collection<String> subcommandsFor(String... args) {
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (List.of("-chdir", "--chdir", "-state", "--state", "-workspace", "--workspace").contains(arg)) {
                i++; // its value
            } else if (!arg.startsWith("-")) {
                return SUBCOMMANDS.containsKey(arg) && !arg.equals("generate-completion") ? List.of(arg) : SUBCOMMANDS.keySet();
            }
        }
        return SUBCOMMANDS.keySet();
    }

    private static void withoutOptions(CommandLine.Model.CommandSpec spec, List<String> names) {
        for (String name : names) {
            CommandLine.Model.OptionSpec option = spec.findOption(name);
            if (option != null) {
                spec.remove(option);
            }
            spec.positionalParameters().stream().filter(p -> p.paramLabel().equals(name)).toList().forEach(spec::remove);
        }
    }

    public static void main(String[] args) {
        System.exit(run(CliEnvironment.system(), args));
    }

    /** Runs one command line and answers its exit code; everything the user sees goes to env's writers. */
    public static int run(CliEnvironment env, String... args) {
        CommandLine cli = new CommandLine(new Flyform(env));
        for (String name : subcommandsFor(args)) {
            Object command = SUBCOMMANDS.get(name).get();
            cli.addSubcommand(name, command);
            if (command instanceof FlyformCommand own) {
                withoutOptions(cli.getSubcommands().get(name).getCommandSpec(), own.notHonoured());
            }
        }
        cli.setOut(env.out());
        cli.setErr(env.err());
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        cli.setParameterExceptionHandler((ex, arguments) -> {
            PrintWriter err = ex.getCommandLine().getErr();
            err.println("Error: " + plainly(ex.getMessage()));
            CommandLine.UnmatchedArgumentException.printSuggestions(ex, err);   // "Did you mean: plan?"
            err.println("Run '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help' for the options.");
            err.flush();
            return 1;
        });
        cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> report(env, ex));
        int code = cli.execute(args);
        env.out().flush();
        env.err().flush();
        return code;
    }

    /** Every failure maps to exit 1 here, in one place; a user's mistake never prints a stack trace. */
    private static int report(CliEnvironment env, Exception ex) {
        PrintWriter err = env.err();
        if (ex instanceof DiagnosticsException d) {
            for (Diagnostic diagnostic : d.diagnostics()) {
                err.println(diagnostic.render());
                err.println();
            }
        } else if (ex instanceof StateLockedException locked) {
            err.println("Error: the state is locked: " + locked.getMessage());
            err.println();
            err.println("Another flyform is working on it. Wait for it to finish; a lock whose holder died is freed "
                    + "automatically when its lease runs out.");
        } else if (ex instanceof StateTargetMismatchException || ex instanceof StateDamagedException
                || ex instanceof dev.flyform.engine.state.StateLockLostException
                || ex instanceof dev.flyform.state.postgres.StaleStateException) {
            err.println("Error: " + ex.getMessage());
        } else if (ex instanceof UncheckedIOException io) {
            err.println("Error: " + io.getCause().getMessage());
        } else {
            err.println("Error: internal error in flyform: " + ex);
            if (env.variable("FLYFORM_DEBUG") != null) {
                ex.printStackTrace(err);
            } else {
                err.println("Set FLYFORM_DEBUG=1 to see where it happened, and please report it.");
            }
        }
        err.flush();
        return 1;
    }

    /**
     * picocli's messages in flyform's words: options as README spells them (-var, not --var),
     * and without its doubled "option option".
     */
    static String plainly(String message) {
        String m = message.replace("option option '", "option '").replaceAll("'--([a-z])", "'-$1");
        java.util.regex.Matcher keyValue = java.util.regex.Pattern
                .compile("Value for option '(-[\\w-]+)' \\((\\w+)=(\\w+)\\) should be in KEY=VALUE format but was (.*)").matcher(m);
        if (keyValue.matches()) {
            return keyValue.group(1) + " " + keyValue.group(4) + ": write " + keyValue.group(1) + " " + keyValue.group(2) + "="
                    + keyValue.group(3) + ", e.g. " + keyValue.group(1) + " region=iad";
        }
        return m;
    }

    /** flyform's version, as the build wrote it (version.properties: the project's version). */
    static final String VERSION = readVersion();

    private static String readVersion() {
        try (java.io.InputStream in = Flyform.class.getResourceAsStream("version.properties")) {
            java.util.Properties p = new java.util.Properties();
            if (in != null) {
                p.load(in);
            }
            String v = p.getProperty("version", "");
            return v.isEmpty() || v.startsWith("${") ? "unknown" : v;
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }

    /** What -version, --version and `flyform version` print. */
    static final class Version implements picocli.CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"flyform " + VERSION};
        }
    }
}
