package dev.flyform.bench;

import dev.flyform.cli.CliEnvironment;
import dev.flyform.cli.Flyform;
import dev.flyform.emulator.FlyEmulator;

import java.io.BufferedReader;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Scale: apply, then plan with no change, APPS x 7 resources against the emulator with no
 * latency, in this JVM (run it with -Xmx512m). Prints wall times and the heap's peak.
 *
 * <p>Usage: java -Xmx512m -cp ... dev.flyform.bench.Scale [APPS]   (default 1429: 10,003 resources)
 */
public final class Scale {

    public static void main(String[] args) throws Exception {
        int apps = args.length > 0 ? Integer.parseInt(args[0]) : 1429;
        Path dir = Files.createTempDirectory("flyform-scale");
        try (FlyEmulator fly = FlyEmulator.start(0)) {
            Files.writeString(dir.resolve("main.fly.groovy"), Benchmark.config(apps));
            Map<String, String> env = Map.of("FLY_FLAPS_BASE_URL", fly.baseUrl().toString(), "FLY_API_BASE_URL",
                    fly.baseUrl().toString(), "FLY_API_TOKEN", FlyEmulator.PERSONAL_TOKEN, "BENCH_SECRET", "s3cret");
            long t0 = System.nanoTime();
            String apply = run(dir, env, "apply", "-auto-approve", "-parallelism", "10");
            double applySeconds = (System.nanoTime() - t0) / 1e9;
            int applyCalls = fly.calls().size();
            t0 = System.nanoTime();
            String plan = run(dir, env, "plan");
            double planSeconds = (System.nanoTime() - t0) / 1e9;
            long peak = ManagementFactory.getMemoryPoolMXBeans().stream().filter(p -> p.getType() == java.lang.management.MemoryType.HEAP)
                    .mapToLong(p -> p.getPeakUsage().getUsed()).sum();
            System.out.printf("%d resources: apply %.1f s (%d API calls), no-change plan %.1f s (%d API calls): %s; "
                            + "max heap %d MB, peak heap use %d MB%n",
                    apps * 7, applySeconds, applyCalls, planSeconds, fly.calls().size() - applyCalls,
                    plan.startsWith("No changes.") ? "No changes." : "CHANGES?", Runtime.getRuntime().maxMemory() >> 20, peak >> 20);
            if (!apply.contains("Apply complete!")) {
                System.out.println(apply);
            }
        }
    }

    private static String run(Path dir, Map<String, String> env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Flyform.run(new CliEnvironment(env, dir.resolve(".home"), dir, new BufferedReader(new StringReader("")),
                new PrintWriter(out), new PrintWriter(err), false), args);
        if (code != 0) {
            throw new IllegalStateException("flyform " + String.join(" ", args) + " failed:\n" + err);
        }
        return out.toString();
    }

}
