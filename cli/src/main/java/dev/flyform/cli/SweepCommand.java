package dev.flyform.cli;

import dev.flyform.engine.diag.Diagnostic;
import dev.flyform.engine.diag.DiagnosticsException;
import dev.flyform.engine.state.ResourceState;
import dev.flyform.provider.fly.FlyProvider;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

@Command(name = "sweep", mixinStandardHelpOptions = true,
        description = {"Find the apps of an organization that match a name pattern and that no workspace of this "
                + "state holds (preview apps whose pull request closed while no run was there to delete them), and list "
                + "them; with -auto-approve, delete each (with all it holds), waiting until Fly has it gone.",
                "An app younger than -older-than is left alone: one being made by a run right now is not in its state yet."},
        footer = {"", "Examples:", "  flyform sweep -match 'acme-preview-pr-*'",
                "  flyform sweep -match 'acme-preview-pr-*' -older-than 72h -auto-approve"})
final class SweepCommand extends FlyformCommand {

    @Option(names = {"-match", "--match"}, required = true, paramLabel = "PATTERN",
            description = "App names to consider: * stands for any characters, e.g. 'acme-preview-pr-*'.")
    String match;

    @Option(names = {"-org", "--org"}, paramLabel = "SLUG", description = "The organization (default: FLY_ORG, else personal).")
    String org;

    @Option(names = {"-older-than", "--older-than"}, paramLabel = "DURATION", defaultValue = "1h",
            description = "Only apps created longer ago than this, e.g. 72h or 30m (default: ${DEFAULT-VALUE}).")
    String olderThan;

    @Option(names = {"-auto-approve", "--auto-approve"}, description = "Delete what is found; without it, only list it.")
    boolean autoApprove;

    @Option(names = {"-keep-workspaces", "--keep-workspaces"}, split = ",", paramLabel = "NAME",
            description = "The workspaces still wanted (the open pull requests': pr-7,pr-8). Given, a matching app held only "
                    + "by another workspace is swept too (its pull request closed while no run was there), its objects "
                    + "forgotten by that workspace, and the workspace deleted once empty.")
    List<String> keep;

    @Override
    public Integer call() {
        Duration age = Durations.parse("-older-than", olderThan);
        Pattern pattern = glob(match);
        try (Workspace ws = Workspace.open(options(), env())) {
            java.util.Map<String, String> heldBy = heldBy(ws);
            Set<String> held = new TreeSet<>();
            heldBy.forEach((app, workspace) -> {
                if (keep == null || keep.contains(workspace)) {
                    held.add(app);
                }
            });
            FlyProvider fly = ws.flyProvider();
            String slug = org != null ? org : ws.defaultOrg();
            List<String> found = new ArrayList<>();
            Instant cutoff = Instant.now().minus(age);
            for (String app : guarded(() -> fly.appsOf(slug))) {
                if (!pattern.matcher(app).matches() || held.contains(app)) {
                    continue;
                }
                Instant created = guarded(() -> fly.appCreatedAt(app));
                if (created.isBefore(cutoff)) {
                    found.add(app);
                    env().out().println((autoApprove ? "Deleting " : "Would delete ") + app + " (created " + created + ", "
                            + (heldBy.containsKey(app) ? "held by workspace " + heldBy.get(app) + ", not kept"
                            : "held by no workspace of this state") + ")");
                }
            }
            env().out().flush();
            if (found.isEmpty()) {
                env().out().println("Nothing to sweep: every app of " + slug + " matching " + match + " older than " + olderThan
                        + " is held by a workspace of this state.");
                return 0;
            }
            if (!autoApprove) {
                env().out().println(found.size() + " app(s) to sweep. Run again with -auto-approve to delete them.");
                return 0;
            }
            for (String app : found) {
                guarded(() -> {
                    fly.deleteApp(app);
                    return null;
                });
                if (heldBy.containsKey(app)) {
                    forget(heldBy.get(app), app);
                }
                env().out().println("Deleted " + app + (heldBy.containsKey(app) ? " (and workspace " + heldBy.get(app) + ")" : ""));
                env().out().flush();
            }
            env().out().println("Sweep complete! " + found.size() + " app(s) deleted.");
            return 0;
        }
    }

    /** Each app a workspace of this state holds, by name, and which workspace. */
    private java.util.Map<String, String> heldBy(Workspace ws) {
        java.util.Map<String, String> apps = new java.util.TreeMap<>();
        for (String name : ws.workspaces()) {
            try (Workspace there = Workspace.open(WorkspaceCommand.in(options(), name), env())) {
                for (ResourceState r : there.state(false).read().resources().values()) {
                    if (r.address().type().equals("fly_app") && r.attributes().get("name") instanceof String app) {
                        apps.put(app, name);
                    }
                }
            }
        }
        return apps;
    }

    /** After its app is gone from Fly: the workspace forgets the app and what it held, and goes when empty. */
    private void forget(String workspace, String app) {
        try (Workspace there = Workspace.open(WorkspaceCommand.in(options(), workspace), env())) {
            dev.flyform.engine.state.StateStore store = there.state(false);
            try (dev.flyform.engine.state.StateLock ignored = store.lock("sweep", Durations.parse("-lock-timeout", "5m"))) {
                for (ResourceState r : store.read().resources().values()) {
                    if (app.equals(r.attributes().get(r.address().type().equals("fly_app") ? "name" : "app"))) {
                        store.remove(r.address());
                    }
                }
            }
            if (store.read().resources().isEmpty() && !workspace.equals(Workspace.DEFAULT_WORKSPACE)) {
                there.deleteWorkspace();
            }
        }
    }

    /** {@code acme-preview-pr-*} as a pattern over whole names. */
    static Pattern glob(String pattern) {
        StringBuilder regex = new StringBuilder();
        for (String part : pattern.split("\\*", -1)) {
            if (!regex.isEmpty()) {
                regex.append(".*");
            }
            regex.append(Pattern.quote(part));
        }
        return Pattern.compile(regex.toString());
    }

    private static <T> T guarded(java.util.function.Supplier<T> call) {
        try {
            return call.get();
        } catch (IllegalArgumentException e) {
            throw new DiagnosticsException(Diagnostic.error(e.getMessage(), ""));
        }
    }
}
