package dev.flyform.cli;

import dev.flyform.emulator.FaultSettings;
import dev.flyform.emulator.FlyEmulator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
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

    @Option(names = {"-latency", "--latency"}, paramLabel = "MS", defaultValue = "0",
            description = "Add MS milliseconds before every answer.")
    long latencyMs;

    @Option(names = {"-fault-rate", "--fault-rate"}, paramLabel = "R", defaultValue = "0",
            description = "Fail this share (0..1) of API calls, before doing anything, with one of -fault-statuses.")
    double faultRate;

    @Option(names = {"-fault-statuses", "--fault-statuses"}, paramLabel = "CODES", split = ",",
            description = "Statuses for -fault-rate, e.g. 500,502,503,408,429 (default: 500,502,503).")
    List<Integer> faultStatuses = new ArrayList<>();

    @Option(names = {"-seed", "--seed"}, paramLabel = "N", defaultValue = "0",
            description = "Seed for -fault-rate: the same seed fails the same calls.")
    long seed;

    @Option(names = {"-app-visibility-delay", "--app-visibility-delay"}, paramLabel = "MS", defaultValue = "0",
            description = "A new app answers 404 for MS milliseconds after it is created, as Fly's sometimes does.")
    long appVisibilityDelayMs;

    @Option(names = {"-rate-limits", "--rate-limits"},
            description = "Enforce Fly's documented rate limits (answering 429).")
    boolean rateLimits;

    @Option(names = {"-machine-transition", "--machine-transition"}, paramLabel = "MS",
            defaultValue = "" + FaultSettings.DEFAULT_MACHINE_TRANSITION_MS,
            description = "How long a machine spends in each transient state (created, starting, replacing, stopping, "
                    + "destroying) before it settles (default: ${DEFAULT-VALUE}; 0: at once).")
    long machineTransitionMs;

    @Option(names = {"-app-deletion", "--app-deletion"}, paramLabel = "MS",
            defaultValue = "" + FaultSettings.DEFAULT_APP_DELETION_MS,
            description = "How long a deleted app (answered 202) still reads and holds its name (default: ${DEFAULT-VALUE}; 0: at once).")
    long appDeletionMs;

    @Option(names = {"-list-omission-rate", "--list-omission-rate"}, paramLabel = "R", defaultValue = "0",
            description = "Leave this share (0..1) of the items out of every list answer, REST and GraphQL, at random.")
    double listOmissionRate;

    @Option(names = {"-partial-graphql", "--partial-graphql"}, paramLabel = "APPS", split = ",",
            description = "For these apps (* for all), GraphQL answers the app as null beside an errors entry.")
    Set<String> partialGraphqlApps = new java.util.TreeSet<>();

    @Option(names = {"-unauthorized-after-create", "--unauthorized-after-create"}, paramLabel = "MS", defaultValue = "0",
            description = "A new app answers 401 for MS milliseconds after it is created.")
    long unauthorizedAfterCreateMs;

    @Option(names = {"-idle-close", "--idle-close"}, paramLabel = "MS", defaultValue = "0",
            description = "Close keep-alive connections idle for longer than MS: a request sent on one gets no answer.")
    long idleCloseMs;

    @Option(names = {"-foreign-lease", "--foreign-lease"}, paramLabel = "SECONDS", defaultValue = "0",
            description = "The first change to each machine finds it leased by another client (as fly deploy leases it) for SECONDS.")
    long foreignLeaseSeconds;

    @Option(names = {"-failing-images", "--failing-images"}, paramLabel = "IMAGES", split = ",",
            description = "Machines running one of these images fail to start.")
    Set<String> failingImages = new java.util.TreeSet<>();

    @Option(names = {"-new-regions", "--new-regions"}, paramLabel = "CODES", split = ",",
            description = "Regions this Fly has beyond the well-known ones, as Fly adds regions after a client is built.")
    Set<String> newRegions = new java.util.TreeSet<>();

    @Option(names = {"-certificate-issuance", "--certificate-issuance"}, paramLabel = "MS", defaultValue = "-1",
            description = "Issue each certificate MS milliseconds after it is added, as Fly does once DNS points at the app "
                    + "(default: never, since no DNS points at an emulator).")
    long certificateIssuanceMs;

    @Override
    public Integer call() throws InterruptedException {
        if (port < 0 || port > 65535) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "-port: must be 0..65535, got " + port);
        }
        FaultSettings faults;
        try {
            faults = new FaultSettings.Builder().seed(seed).latencyMs(latencyMs).failureRate(faultRate)
                    .failureStatuses(faultStatuses).appVisibilityDelayMs(appVisibilityDelayMs).rateLimits(rateLimits)
                    .machineTransitionMs(machineTransitionMs).appDeletionMs(appDeletionMs).listOmissionRate(listOmissionRate)
                    .partialGraphqlApps(partialGraphqlApps).unauthorizedAfterCreateMs(unauthorizedAfterCreateMs)
                    .idleCloseMs(idleCloseMs).foreignLeaseSeconds(foreignLeaseSeconds).failingImages(failingImages)
                    .newRegions(newRegions).certificateIssuanceMs(certificateIssuanceMs).build();
        } catch (IllegalArgumentException e) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        Path dir = data == null ? null : env().workingDirectory().resolve(data);
        FlyEmulator emulator = FlyEmulator.start(port, dir);
        emulator.faults(faults);
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
        env().out().println("GraphQL: " + url + "/graphql. Call log and inventory: " + url + "/_emulator/calls, "
                + url + "/_emulator/inventory; faults: POST " + url + "/_emulator/faults");
        env().out().println("Press Ctrl-C to stop.");
        env().out().flush();
        stopped.await();
        return 0;
    }

    @Override
    java.util.List<String> notHonoured() {
        return java.util.List.of("-sandbox", "-chdir");
    }
}
