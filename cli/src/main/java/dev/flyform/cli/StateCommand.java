package dev.flyform.cli;

import dev.flyform.engine.addr.ResourceAddress;
import dev.flyform.engine.diag.Diagnostic;
import dev.flyform.engine.diag.DiagnosticsException;
import dev.flyform.engine.state.ResourceState;
import dev.flyform.engine.state.RunRecord;
import dev.flyform.engine.state.State;
import dev.flyform.engine.state.StateLock;
import dev.flyform.engine.state.StateStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;


/** {@code flyform state ...}: look at and repair the state, without any API call. */
@Command(name = "state", mixinStandardHelpOptions = true,
        description = {"Look at and repair the state. No subcommand makes an API call; those that change the state take its lock."},
        subcommands = {StateCommand.ListState.class, StateCommand.ShowState.class, StateCommand.Remove.class,
                StateCommand.Move.class, StateCommand.History.class, StateCommand.Pull.class, StateCommand.Unlock.class,
                StateCommand.Restore.class, StateCommand.Migrate.class})
final class StateCommand extends CommandGroup {

    /** What every state subcommand shares. */
    abstract static class Sub extends FlyformCommand {

        static ResourceAddress address(String text) {
            try {
                return ResourceAddress.parse(text);
            } catch (IllegalArgumentException e) {
                throw new DiagnosticsException(Diagnostic.error("Invalid address \"" + text + "\"", "Write TYPE.NAME, e.g. fly_app.web."));
            }
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the addresses in the state.")
    static final class ListState extends Sub {
        @Override
        public Integer call() {
            try (Workspace ws = Workspace.open(options(), env())) {
                ws.state(false).read().resources().keySet().forEach(a -> env().out().println(a));
                return 0;
            }
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Show one resource of the state.")
    static final class ShowState extends Sub {
        @Parameters(index = "0", paramLabel = "ADDR")
        String addr;

        @Override
        public Integer call() {
            try (Workspace ws = Workspace.open(options(), env())) {
                ResourceAddress a = address(addr);
                ResourceState r = ws.state(false).read().resource(a).orElseThrow(() ->
                        new DiagnosticsException(Diagnostic.error(a + " is not in the state", "")));
                var schema = ws.offlineProvider().schema().resourceType(a.type());
                env().out().println("# " + a + " (id " + r.id() + ")");
                r.attributes().forEach((k, v) -> env().out().println(k + " = "
                        + PlanRenderer.value(v, schema.map(t -> t.isSensitive(k)).orElse(false))));
                return 0;
            }
        }
    }

    @Command(name = "rm", mixinStandardHelpOptions = true,
            description = "Forget a resource: flyform no longer manages it; nothing is deleted on Fly.")
    static final class Remove extends Sub {
        @Parameters(index = "0", paramLabel = "ADDR")
        String addr;

        @Override
        public Integer call() {
            try (Workspace ws = Workspace.open(options(), env())) {
                ResourceAddress a = address(addr);
                StateStore store = ws.state(false);
                try (StateLock ignored = store.lock("state rm")) {
                    if (store.read().resource(a).isEmpty()) {
                        throw new DiagnosticsException(Diagnostic.error(a + " is not in the state", ""));
                    }
                    store.remove(a);
                }
                env().out().println("Removed " + a + " from the state. Nothing was deleted on Fly.");
                return 0;
            }
        }
    }

    @Command(name = "mv", mixinStandardHelpOptions = true,
            description = "Move a resource to another address of the same type, after renaming its block.")
    static final class Move extends Sub {
        @Parameters(index = "0", paramLabel = "SRC")
        String src;

        @Parameters(index = "1", paramLabel = "DST")
        String dst;

        @Override
        public Integer call() {
            try (Workspace ws = Workspace.open(options(), env())) {
                ResourceAddress from = address(src);
                ResourceAddress to = address(dst);
                if (!from.type().equals(to.type())) {
                    throw new DiagnosticsException(Diagnostic.error("Cannot move " + from + " to " + to,
                            "Both addresses must have the same type."));
                }
                StateStore store = ws.state(false);
                try (StateLock ignored = store.lock("state mv")) {
                    State state = store.read();
                    if (state.resource(from).isEmpty()) {
                        throw new DiagnosticsException(Diagnostic.error(from + " is not in the state", ""));
                    }
                    if (state.resource(to).isPresent()) {
                        throw new DiagnosticsException(Diagnostic.error(to + " is already in the state", ""));
                    }
                    store.move(from, to);
                }
                env().out().println("Moved " + from + " to " + to + ".");
                return 0;
            }
        }
    }

    @Command(name = "history", mixinStandardHelpOptions = true, description = "Every apply: serial, time, user, host and what it did.")
    static final class History extends Sub {
        @Override
        public Integer call() {
            try (Workspace ws = Workspace.open(options(), env())) {
                for (RunRecord run : ws.state(false).runs()) {
                    env().out().println("serial " + run.serial() + "  " + run.at() + "  " + run.user() + "@" + run.host()
                            + "  " + run.summary());
                }
                return 0;
            }
        }
    }

    @Command(name = "pull", mixinStandardHelpOptions = true, description = "Print the whole state as JSON (sensitive values hidden).")
    static final class Pull extends Sub {
        @Override
        public Integer call() {
            try (Workspace ws = Workspace.open(options(), env())) {
                var provider = ws.offlineProvider();
                var store = ws.state(false);
                env().out().println(PlanJson.state(store.read(), store.outputs(), (type, attr) ->
                        provider.schema().resourceType(type).map(t -> t.isSensitive(attr)).orElse(false)).toPrettyString());
                return 0;
            }
        }
    }

    @Command(name = "restore", mixinStandardHelpOptions = true,
            description = {"Put the backup of the state (kept as it was before the last run that changed it) in place of "
                    + "a damaged state file, which is kept beside it as state.mv.db.damaged-TIME."})
    static final class Restore extends Sub {
        @Override
        public Integer call() {
            try (Workspace ws = Workspace.open(options(), env())) {
                java.nio.file.Path aside = dev.flyform.state.h2.H2StateStore.restoreBackup(ws.stateDir());
                env().out().println("Restored the state from " + ws.stateDir().resolve(dev.flyform.state.h2.H2StateStore.BACKUP)
                        + (aside == null ? "." : "; the damaged file is kept as " + aside + "."));
                env().out().println("Run flyform plan: what the lost run made is adopted, nothing is made twice.");
                return 0;
            }
        }
    }

    @Command(name = "unlock", mixinStandardHelpOptions = true,
            description = {"Release the state's lock of id ID (the id a locked run names) when its holder is gone, "
                    + "as Terraform's force-unlock. A holder still running on this host is never unlocked. "
                    + "Asks for `yes` on a terminal; without one, needs -force."})
    static final class Unlock extends Sub {
        @Parameters(index = "0", arity = "1", paramLabel = "ID", description = "The lock's id.")
        String id;

        @picocli.CommandLine.Option(names = {"-force", "--force"}, description = "Do not ask for confirmation.")
        boolean force;

        @Override
        public Integer call() {
            try (Workspace ws = Workspace.open(options(), env())) {
                StateStore store = ws.state(false);
                var holder = store.lockHolder();
                if (holder.isEmpty()) {
                    env().out().println("The state is not locked.");
                    return 0;
                }
                if (!force && !confirmed(holder.get())) {
                    return 1;
                }
                try {
                    store.forceUnlock(id);
                } catch (IllegalArgumentException | IllegalStateException e) {
                    throw new DiagnosticsException(Diagnostic.error("Cannot unlock: " + e.getMessage(), "It is held by " + holder.get() + "."));
                }
                env().out().println("Released the lock held by " + holder.get() + ".");
                return 0;
            }
        }

        /** As Terraform asks before a force-unlock; without a terminal, only -force proceeds. */
        private boolean confirmed(String holder) {
            if (!env().terminal()) {
                throw new DiagnosticsException(Diagnostic.error("state unlock needs a terminal to ask for confirmation, or -force",
                        "The lock is held by " + holder + ". Unlocking a lock whose holder still runs lets two runs change "
                                + "the same state."));
            }
            env().out().println("The lock is held by " + holder + ".");
            env().out().println("Do you really want to force-unlock it? Only 'yes' will be accepted.");
            env().out().print("  Enter a value: ");
            env().out().flush();
            try {
                String answer = env().in().readLine();
                if (answer != null && answer.strip().equals("yes")) {
                    return true;
                }
            } catch (java.io.IOException e) {
                // no answer: not confirmed
            }
            env().out().println("Unlock cancelled.");
            env().out().flush();
            return false;
        }
    }

    @Command(name = "migrate", mixinStandardHelpOptions = true,
            description = {"Copy this workspace's state, with its history, outputs and runs, to another store: "
                    + "-to postgres://USER@HOST:PORT/DB?schema=S, or -to local (this directory's .flyform/). "
                    + "The target must be empty; the copy is read back and compared before this says it is done. "
                    + "The source is left as it was: use the copy from then on (-state, FLYFORM_STATE), "
                    + "and keep the source as a backup or delete it."})
    static final class Migrate extends Sub {
        @picocli.CommandLine.Option(names = {"-to", "--to"}, required = true, paramLabel = "URL|local",
                description = "The store to copy to.")
        String to;

        @Override
        public Integer call() {
            GlobalOptions there = new GlobalOptions().over(options());
            there.state = to.equals("local") ? "" : to;
            try (Workspace ws = Workspace.open(options(), env()); Workspace target = Workspace.open(there, env())) {
                if (ws.storeName().equals(target.storeName())) {
                    throw new DiagnosticsException(Diagnostic.error("-to names the store the state is in already", ws.storeName()));
                }
                StateStore source = ws.state(false);
                if (source.read().serial() == 0 && source.read().resources().isEmpty()) {
                    throw new DiagnosticsException(Diagnostic.error("No state to migrate in " + ws.storeName(),
                            "Workspace " + ws.workspace() + " holds nothing yet."));
                }
                StateStore destination = target.state(true);
                try (StateLock a = source.lock("state migrate"); StateLock b = destination.lock("state migrate")) {
                    dev.flyform.engine.state.StateSnapshot original = source.snapshot();
                    try {
                        destination.load(original);
                    } catch (IllegalStateException e) {
                        throw new DiagnosticsException(Diagnostic.error("The target holds a state already: " + target.storeName(),
                                "flyform never overwrites a state. Migrate to an empty one (another schema, another workspace)."));
                    }
                    dev.flyform.engine.state.StateSnapshot copy = destination.snapshot();
                    if (!same(original, copy)) {
                        throw new DiagnosticsException(Diagnostic.error("The copy at " + target.storeName() + " differs from the source",
                                "The source is untouched; the copy should not be used."));
                    }
                    env().out().println("Copied workspace " + ws.workspace() + " to " + target.storeName() + ": "
                            + copy.state().resources().size() + " objects at serial " + copy.state().serial() + ", "
                            + copy.history().size() + " changes, " + copy.runs().size() + " runs, " + copy.outputs().size()
                            + " outputs; read back and compared.");
                    env().out().println("The source (" + ws.storeName() + ") is left as it was. Use the copy from now on "
                            + "(-state or FLYFORM_STATE), and keep the source as a backup or delete it.");
                }
                return 0;
            }
        }

        private static boolean same(dev.flyform.engine.state.StateSnapshot a, dev.flyform.engine.state.StateSnapshot b) {
            State x = a.state();
            State y = b.state();
            boolean objects = x.resources().keySet().equals(y.resources().keySet()) && x.resources().values().stream().allMatch(r -> {
                ResourceState other = y.resources().get(r.address());
                return other.id().equals(r.id()) && other.dependencies().equals(r.dependencies())
                        && dev.flyform.engine.config.Values.same(r.attributes(), other.attributes());
            });
            return objects && x.lineage().equals(y.lineage()) && x.serial() == y.serial() && x.digestKey().equals(y.digestKey())
                    && java.util.Objects.equals(x.target(), y.target()) && a.history().size() == b.history().size()
                    && a.runs().size() == b.runs().size() && a.outputs().size() == b.outputs().size()
                    && a.intents().size() == b.intents().size();
        }
    }
}
