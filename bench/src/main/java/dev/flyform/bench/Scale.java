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
 * Scale: a plan of APPS x 7 resources (none exists yet) against the emulator with no latency,
 * in this JVM (run it with -Xmx512m). Prints the wall time and the heap's peak. (An apply of
 * that size is bound by Fly's limit of one app create per second and per organization.)
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
            String plan = run(dir, env, "plan");
            double planSeconds = (System.nanoTime() - t0) / 1e9;
            long peak = ManagementFactory.getMemoryPoolMXBeans().stream()
                    .filter(p -> p.getType() == java.lang.management.MemoryType.HEAP)
                    .mapToLong(p -> p.getPeakUsage().getUsed()).sum();
            System.out.printf("plan of %d resources (none exists yet): %.1f s, %d API calls, %s; max heap %d MB, peak heap use %d MB%n",
                    apps * 7, planSeconds, fly.calls().size(),
                    plan.contains("Plan: " + apps * 7 + " to add") ? "all planned" : "UNEXPECTED PLAN",
                    Runtime.getRuntime().maxMemory() >> 20, peak >> 20);
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
