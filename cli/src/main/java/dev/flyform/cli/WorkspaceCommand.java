package dev.flyform.cli;

import dev.flyform.engine.diag.Diagnostic;
import dev.flyform.engine.diag.DiagnosticsException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Files;

/** {@code flyform workspace ...}: states of their own within one store, one per pull request say. */
@Command(name = "workspace", mixinStandardHelpOptions = true,
        description = {"Workspaces: states of their own within one store (-state), chosen with -workspace NAME, "
                + "FLYFORM_WORKSPACE, or `workspace select`; scripts read the name as `workspace`."},
        subcommands = {WorkspaceCommand.ListWorkspaces.class, WorkspaceCommand.NewWorkspace.class, WorkspaceCommand.Select.class,
                WorkspaceCommand.ShowWorkspace.class, WorkspaceCommand.Delete.class})
final class WorkspaceCommand extends CommandGroup {

    /** The workspace named {@code name} in the same store as {@code options}. */
    static GlobalOptions in(GlobalOptions options, String name) {
        Workspace.checkWorkspaceName(name, "NAME");
        GlobalOptions there = new GlobalOptions().over(options);
        there.workspace = name;
        return there;
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the workspaces; * marks the current one.")
    static final class ListWorkspaces extends FlyformCommand {
        @Override
        public Integer call() {
            try (Workspace ws = Workspace.open(options(), env())) {
                String current = ws.workspace();
                ws.workspaces().forEach(w -> env().out().println((w.equals(current) ? "* " : "  ") + w));
                return 0;
            }
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Print the current workspace's name.")
    static final class ShowWorkspace extends FlyformCommand {
        @Override
        public Integer call() {
            try (Workspace ws = Workspace.open(options(), env())) {
                env().out().println(ws.workspace());
                return 0;
            }
        }
    }

    @Command(name = "new", mixinStandardHelpOptions = true, description = "Make a workspace, empty, and select it.")
    static final class NewWorkspace extends FlyformCommand {
        @Parameters(paramLabel = "NAME", description = "Lowercase letters, digits, '-' and '_'.")
        String name;

        @Override
        public Integer call() {
            try (Workspace ws = Workspace.open(in(options(), name), env())) {
                if (ws.workspaces().contains(name)) {
                    throw new DiagnosticsException(Diagnostic.error("Workspace " + name + " exists already",
                            "Select it with `flyform workspace select " + name + "`."));
                }
                ws.state(true).read();
                select(ws, name);
                env().out().println("Created and selected workspace " + name + ".");
                return 0;
            }
        }
    }

    @Command(name = "select", mixinStandardHelpOptions = true,
            description = "Make a workspace the current one in this directory (-workspace and FLYFORM_WORKSPACE still win).")
    static final class Select extends FlyformCommand {
        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        public Integer call() {
            try (Workspace ws = Workspace.open(in(options(), name), env())) {
                if (!ws.workspaces().contains(name)) {
                    throw new DiagnosticsException(Diagnostic.error("No workspace " + name,
                            "Workspaces: " + String.join(", ", ws.workspaces()) + ". Make it with `flyform workspace new " + name + "`."));
                }
                select(ws, name);
                env().out().println("Switched to workspace " + name + ".");
                return 0;
            }
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true,
            description = "Delete an empty workspace; one that still holds objects is refused (destroy them first).")
    static final class Delete extends FlyformCommand {
        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        public Integer call() {
            if (name.equals(Workspace.DEFAULT_WORKSPACE)) {
                throw new DiagnosticsException(Diagnostic.error("The default workspace cannot be deleted", ""));
            }
            try (Workspace current = Workspace.open(options(), env())) {
                if (current.workspace().equals(name)) {
                    throw new DiagnosticsException(Diagnostic.error("Workspace " + name + " is the current one",
                            "Select another first: flyform workspace select default."));
                }
                if (!current.workspaces().contains(name)) {
                    throw new DiagnosticsException(Diagnostic.error("No workspace " + name, "Workspaces: " + String.join(", ", current.workspaces()) + "."));
                }
            }
            try (Workspace ws = Workspace.open(in(options(), name), env())) {
                ws.deleteWorkspace();
                env().out().println("Deleted workspace " + name + ".");
                return 0;
            }
        }
    }

    private static void select(Workspace ws, String name) {
        try {
            Files.createDirectories(ws.selectedFile().getParent());
            Files.writeString(ws.selectedFile(), name + "\n");
        } catch (IOException e) {
            throw new DiagnosticsException(Diagnostic.error("Cannot write " + ws.selectedFile(), e.getMessage()));
        }
    }
}
