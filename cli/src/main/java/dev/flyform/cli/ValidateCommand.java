package dev.flyform.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flyform.engine.config.Configuration;
import dev.flyform.engine.diag.Diagnostic;
import dev.flyform.engine.diag.Diagnostics;
import dev.flyform.engine.diag.DiagnosticsException;
import dev.flyform.engine.plan.Planner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.List;

@Command(name = "validate", mixinStandardHelpOptions = true,
        description = {"Check the configuration: parse every *.fly.groovy file, check types and attributes, "
                + "build the dependency graph. Makes no API call and reads no state."},
        footer = {"", "Examples:", "  flyform validate", "  flyform validate -json   (for editors and CI: docs/json-format.md)"})
final class ValidateCommand extends FlyformCommand {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Mixin
    PlanFlags flags;

    @Option(names = {"-json", "--json"}, description = "The result as one JSON document, valid or not (docs/json-format.md).")
    boolean json;

    @Override
    public Integer call() {
        try (Workspace ws = Workspace.open(options(), env())) {
            Configuration config;
            Diagnostics diags;
            try {
                config = ws.configuration(flags.values(ws, env()));
                diags = new Planner(ws.offlineProvider()).validate(config);
                diags.throwIfErrors();
            } catch (DiagnosticsException e) {
                if (!json) {
                    throw e;
                }
                env().out().println(document(e.diagnostics()).toString());
                return 1;
            }
            if (json) {
                env().out().println(document(diags.all()).toString());
                return 0;
            }
            printWarnings(diags.all());
            env().out().println(style().green("Success!") + " The configuration is valid ("
                    + config.resources().size() + " resource" + (config.resources().size() == 1 ? "" : "s") + ").");
            return 0;
        }
    }

    /** One diagnostic as every JSON output writes it: severity, summary, detail, range, address, attribute. */
    static void fill(ObjectNode node, Diagnostic d) {
        node.put("severity", d.isError() ? "error" : "warning");
        node.put("summary", d.summary());
        node.put("detail", d.detail());
        if (d.location() != null) {
            ObjectNode range = node.putObject("range");
            range.put("filename", d.location().file());
            range.putObject("start").put("line", d.location().line());
        } else {
            node.putNull("range");
        }
        if (d.resource() != null) {
            node.put("address", d.resource().toString());
        } else {
            node.putNull("address");
        }
        if (d.attribute() != null) {
            node.put("attribute", d.attribute());
        } else {
            node.putNull("attribute");
        }
    }

    /** As Terraform's validate -json: valid, the counts, and each diagnostic with where it is. */
    static ObjectNode document(List<Diagnostic> diagnostics) {
        ObjectNode root = JSON.createObjectNode();
        root.put("format_version", PlanJson.FORMAT_VERSION);
        long errors = diagnostics.stream().filter(Diagnostic::isError).count();
        root.put("valid", errors == 0);
        root.put("error_count", errors);
        root.put("warning_count", diagnostics.size() - errors);
        ArrayNode list = root.putArray("diagnostics");
        for (Diagnostic d : diagnostics) {
            ObjectNode node = list.addObject();
            fill(node, d);
        }
        return root;
    }

    @Override
    java.util.List<String> notHonoured() {
        return java.util.List.of("-target", "-replace", "-refresh", "-lock-timeout", "-input");
    }
}
