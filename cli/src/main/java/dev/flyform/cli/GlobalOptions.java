package dev.flyform.cli;

import picocli.CommandLine.Option;

import java.nio.file.Path;

/**
 * Options every command takes, before or after its name ({@code flyform -chdir x plan} or
 * {@code flyform plan -chdir x}). Terraform's single-dash spellings and GNU double-dash ones both work.
 */
public final class GlobalOptions {

    @Option(names = {"-chdir", "--chdir"}, paramLabel = "DIR",
            description = "Switch to DIR before doing anything else: read its *.fly.groovy files, keep its .flyform/ state.")
    Path chdir;

    @Option(names = {"-sandbox", "--sandbox"},
            description = "Run against an embedded Fly API emulator whose data and state live in .flyform/sandbox/, "
                    + "apart from the real state. Nothing reaches Fly.")
    boolean sandbox;

    @Option(names = {"-no-color", "--no-color"}, description = "Plain output, without terminal colors.")
    boolean noColor;

    @Option(names = {"-state", "--state"}, paramLabel = "URL",
            description = "Where the state lives: postgres://USER@HOST:PORT/DB?schema=S for a state shared by a team or CI "
                    + "(password from PGPASSWORD or ~/.pgpass, never shown), else the local .flyform/ (the default). "
                    + "Also FLYFORM_STATE.")
    String state;

    @Option(names = {"-workspace", "--workspace"}, paramLabel = "NAME",
            description = "The workspace: a state of its own within the same store (one per pull request, say); "
                    + "default: FLYFORM_WORKSPACE, else \"default\".")
    String workspace;

    /** This command's options, falling back to the ones given before the command name. */
    GlobalOptions over(GlobalOptions outer) {
        GlobalOptions merged = new GlobalOptions();
        merged.chdir = chdir != null ? chdir : outer == null ? null : outer.chdir;
        merged.sandbox = sandbox || (outer != null && outer.sandbox);
        merged.noColor = noColor || (outer != null && outer.noColor);
        merged.state = state != null ? state : outer == null ? null : outer.state;
        merged.workspace = workspace != null ? workspace : outer == null ? null : outer.workspace;
        return merged;
    }
}
