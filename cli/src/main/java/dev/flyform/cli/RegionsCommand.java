package dev.flyform.cli;

import dev.flyform.engine.diag.Diagnostic;
import dev.flyform.engine.diag.DiagnosticsException;
import picocli.CommandLine.Command;

import java.util.Set;

@Command(name = "regions", mixinStandardHelpOptions = true,
        description = {"Fetch Fly's current regions and keep them in ~/.flyform/regions.json: validate, plan and apply "
                + "then accept a region Fly added after this flyform was built (without it, they check against the "
                + "regions flyform keeps, with no API call)."})
final class RegionsCommand extends FlyformCommand {

    @Override
    public Integer call() {
        try (Workspace ws = Workspace.open(options(), env())) {
            Set<String> regions;
            try {
                regions = ws.flyProvider().fetchRegions();
            } catch (IllegalArgumentException e) {
                throw new DiagnosticsException(Diagnostic.error(e.getMessage(), ""));
            }
            ws.keepRegions(regions);
            env().out().println("Fly's regions: " + String.join(", ", regions));
            env().out().println("Kept in " + ws.regionsFile() + ".");
            return 0;
        }
    }
}
