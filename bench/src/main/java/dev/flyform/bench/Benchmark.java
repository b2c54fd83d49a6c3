package dev.flyform.bench;

import dev.flyform.cli.CliEnvironment;
import dev.flyform.cli.Flyform;
import dev.flyform.emulator.Call;
import dev.flyform.emulator.FaultSettings;
import dev.flyform.emulator.FlyEmulator;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Apply and no-change plan of 1, 10 and 100 apps (each: app, 2 IPs, certificate, secret,
 * volume, machine), against the emulator with injected latency and Fly's rate limits, flyform
 * as it is beside the naive baseline (one change at a time, one GET per resource). Prints a
 * table. A benchmark, not a test: numbers depend on the machine; compare within one run.
 *
 * <p>Usage: bin/bench [LATENCY_MS] [SIZES...]   (defaults: 50 and 1 10 100)
 */
public final class Benchmark {

    private record Measure(String variant, int apps, double applySeconds, double planSeconds, Map<String, Integer> applyCalls,
                           Map<String, Integer> planCalls, int tooMany) {
    }

    public static void main(String[] args) throws Exception {
        long latency = args.length > 0 ? Long.parseLong(args[0]) : 50;
        List<Integer> sizes = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            sizes.add(Integer.parseInt(args[i]));
        }
        if (sizes.isEmpty()) {
            sizes = List.of(1, 10, 100);
        }
        System.out.printf("flyform benchmark: emulator latency %d ms per call, Fly's rate limits enforced%n%n", latency);
        System.out.printf("%-9s %5s %9s | %10s %6s %6s %6s %5s | %10s %6s %6s | %9s%n", "variant", "apps", "resources",
                "apply s", "calls", "POST", "GET", "429", "plan s", "calls", "gql", "floor s");
        // A first, unprinted run loads and compiles the code both variants share: otherwise the
        // first row measures the JVM warming up.
        measure("flyform", 1, latency, Map.of());
        // Each row as soon as it is measured: the largest sizes take minutes.
        for (int apps : sizes) {
            for (String variant : List.of("flyform", "pg-state", "naive")) {
                Measure m = measure(variant, apps, latency,
                        variant.equals("naive") ? Map.of("FLYFORM_REFRESH", "per-resource")
                                : variant.equals("pg-state") ? Map.of("FLYFORM_STATE", postgresState()) : Map.of());
                double floor = Math.max(criticalPathCalls() * latency / 1000.0 + MACHINE_START_SECONDS, Math.max(0, apps - 3));
                System.out.printf("%-9s %5d %9d | %10.2f %6d %6d %6d %5d | %10.2f %6d %6d | %9.2f%n", m.variant(), m.apps(),
                        m.apps() * 7, m.applySeconds(), m.applyCalls().getOrDefault("all", 0), m.applyCalls().getOrDefault("POST", 0),
                        m.applyCalls().getOrDefault("GET", 0), m.tooMany(), m.planSeconds(), m.planCalls().getOrDefault("all", 0),
                        m.planCalls().getOrDefault("graphql", 0), floor);
                System.out.flush();
            }
        }
        System.out.println();
        System.out.println("variant: flyform = parallelism 10, batched GraphQL refresh, client-side rate limiting;");
        System.out.println("         pg-state = flyform with its state in PostgreSQL (a local server) instead of the H2 file;");
        System.out.println("         naive   = parallelism 1, one REST GET per resource on refresh.");
        System.out.println("floor s: the larger of the apply's critical path (app -> volume -> machine, " + criticalPathCalls()
                + " sequential calls) x latency, plus the " + (int) (MACHINE_START_SECONDS * 1000) + " ms a new machine takes to start,");
        System.out.println("         and Fly's limit of 1 app create/s per organization after a burst of 3 (N apps: N - 3 s).");
        System.out.println("         flyform's limiter keeps a tenth under Fly's rates: its own floor for N apps is (N - 3) / 0.9 s.");
        lockTimes();
        if (postgres != null) {
            postgres.close();
        }
    }

    private static io.zonky.test.db.postgres.embedded.EmbeddedPostgres postgres;

    /** A fresh schema on a local PostgreSQL server, started on first use. */
    private static String postgresState() {
        try {
            if (postgres == null) {
                postgres = io.zonky.test.db.postgres.embedded.EmbeddedPostgres.builder().start();
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return "postgres://postgres@localhost:" + postgres.getPort() + "/postgres?schema=b_"
                + java.util.UUID.randomUUID().toString().replace("-", "");
    }

    /** Taking and releasing the state lock, H2 beside PostgreSQL: medians of 50 in this run. */
    private static void lockTimes() throws IOException {
        Path dir = Files.createTempDirectory("flyform-bench-lock");
        try (dev.flyform.engine.state.StateStore h2 = dev.flyform.state.h2.H2StateStore.openDirectory(dir);
             dev.flyform.engine.state.StateStore pg = dev.flyform.state.postgres.PostgresStateStore.open(
                     dev.flyform.state.postgres.PostgresUrl.parse(postgresState(), Map.of()), "default")) {
            System.out.println();
            System.out.printf("state lock, take and release (median of 50): H2 %.2f ms, PostgreSQL %.2f ms%n", lockMillis(h2), lockMillis(pg));
        } finally {
            deleteTree(dir);
        }
    }

    private static double lockMillis(dev.flyform.engine.state.StateStore store) {
        List<Double> times = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            long t0 = System.nanoTime();
            store.lock("plan").close();
            if (i >= 10) {   // the first ones warm the code up
                times.add((System.nanoTime() - t0) / 1e6);
            }
        }
        java.util.Collections.sort(times);
        return times.get(times.size() / 2);
    }

    /** How long the emulator's new machine takes to start (its default transition time). */
    static final double MACHINE_START_SECONDS = FaultSettings.DEFAULT_MACHINE_TRANSITION_MS / 1000.0;

    /**
     * Sequential calls on the longest chain: app (create, wait visible), volume (list, create),
     * machine (create, wait until settled, read).
     */
    static int criticalPathCalls() {
        return 7;
    }

    private static Measure measure(String variant, int apps, long latency, Map<String, String> extraEnv) throws IOException {
        Path dir = Files.createTempDirectory("flyform-bench");
        try (FlyEmulator fly = FlyEmulator.start(0)) {
            fly.faults(FaultSettings.NONE.withLatency(latency).withRateLimits(true));
            Files.writeString(dir.resolve("main.fly.groovy"), config(apps));
            Map<String, String> env = new HashMap<>(extraEnv);
            env.put("FLY_FLAPS_BASE_URL", fly.baseUrl().toString());
            env.put("FLY_API_BASE_URL", fly.baseUrl().toString());
            env.put("FLY_API_TOKEN", FlyEmulator.PERSONAL_TOKEN);
            env.put("BENCH_SECRET", "s3cret");
            String parallelism = variant.equals("naive") ? "1" : "10";

            long t0 = System.nanoTime();
            run(dir, env, "apply", "-auto-approve", "-parallelism", parallelism);
            double applySeconds = (System.nanoTime() - t0) / 1e9;
            List<Call> applyCalls = fly.calls();

            t0 = System.nanoTime();
            String plan = run(dir, env, "plan");
            double planSeconds = (System.nanoTime() - t0) / 1e9;
            if (!plan.startsWith("No changes.")) {
                throw new IllegalStateException("the second plan was not empty:\n" + plan);
            }
            List<Call> planCalls = fly.calls().subList(applyCalls.size(), fly.calls().size());
            int tooMany = (int) applyCalls.stream().filter(c -> c.status() == 429).count();
            return new Measure(variant, apps, applySeconds, planSeconds, kinds(applyCalls), kinds(planCalls), tooMany);
        } finally {
            deleteTree(dir);
        }
    }

    private static Map<String, Integer> kinds(List<Call> calls) {
        Map<String, Integer> kinds = new HashMap<>();
        for (Call c : calls) {
            kinds.merge("all", 1, Integer::sum);
            kinds.merge(c.path().equals("/graphql") ? "graphql" : c.method(), 1, Integer::sum);
        }
        return kinds;
    }

    /** Runs flyform in this JVM; its output, or an exception with everything it printed. */
    static String run(Path dir, Map<String, String> env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Flyform.run(new CliEnvironment(env, dir.resolve(".home"), dir, new BufferedReader(new StringReader("")),
                new PrintWriter(out), new PrintWriter(err), false), args);
        if (code != 0) {
            throw new IllegalStateException("flyform " + String.join(" ", args) + " failed:\n" + out + err);
        }
        return out.toString();
    }

    /** N apps, each with 2 IPs, a certificate, a secret, a volume and a machine mounting it. */
    static String config(int apps) {
        return """
                def count = %d
                (1..count).each { i ->
                    def web = app("app_${i}") {
                        name = "bench-app-${i}"
                        ip 'v6'
                        ip 'shared_v4'
                        certificate "www.bench-${i}.example.com"
                        secret 'TOKEN', env('BENCH_SECRET')
                    }
                    def data = volume("data_${i}") { app = web; name = 'data'; region = 'iad'; sizeGb = 1 }
                    machine("web_${i}") {
                        app = web
                        region = 'iad'
                        image = 'flyio/hellofly:latest'
                        env PORT: '8080'
                        service(internalPort: 8080) { port 443, handlers: ['tls', 'http'] }
                        mount data, path: '/data'
                    }
                }
                """.formatted(apps);
    }

    static void deleteTree(Path dir) throws IOException {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
