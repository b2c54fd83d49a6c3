package dev.flyform.cli;

import dev.flyform.emulator.FlyEmulator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

@Command(name = "emulator", mixinStandardHelpOptions = true,
        description = {"Run a local Fly API on loopback, for trying flyform (or flyctl) without Fly. "
                + "It prints the environment variables that point a client at it, and runs until interrupted."})
final class EmulatorCommand extends FlyformCommand {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = {"-port", "--port"}, paramLabel = "N", defaultValue = "4280",
            description = "Port to listen on, on 127.0.0.1 (default: ${DEFAULT-VALUE}; 0 picks a free one).")
    int port;

    @Option(names = {"-data", "--data"}, paramLabel = "DIR",
            description = "Keep the emulator's apps and call log in DIR, so a restart finds them. Default: in memory.")
    Path data;

    @Override
    public Integer call() throws InterruptedException {
        if (port < 0 || port > 65535) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "-port: must be 0..65535, got " + port);
        }
        Path dir = data == null ? null : env().workingDirectory().resolve(data);
        FlyEmulator emulator = FlyEmulator.start(port, dir);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            emulator.close();
            stopped.countDown();
        }, "emulator-shutdown"));
        String url = emulator.baseUrl().toString();
        env().out().println("Fly API emulator listening on " + url + (dir == null ? "" : " (data in " + dir + ")"));
        env().out().println();
        env().out().println("Point flyform or flyctl at it with:");
        env().out().println("  export FLY_FLAPS_BASE_URL=" + url);
        env().out().println("  export FLY_API_BASE_URL=" + url);
        env().out().println("  export FLY_API_TOKEN=" + FlyEmulator.PERSONAL_TOKEN
                + "    # the emulator's fixed test token for organization \"" + FlyEmulator.PERSONAL_ORG + "\"");
        env().out().println();
        env().out().println("Call log and inventory: " + url + "/_emulator/calls, " + url + "/_emulator/inventory");
        env().out().println("Press Ctrl-C to stop.");
        env().out().flush();
        stopped.await();
        return 0;
    }
}
