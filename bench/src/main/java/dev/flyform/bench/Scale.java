package dev.flyform.bench;

import dev.flyform.emulator.FlyEmulator;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/**
 * Scale, against the emulator with no latency, in this JVM (run it with -Xmx512m; the emulator
 * shares the heap). Prints wall times, API calls and the peak of the heap in use:
 * <ol>
 * <li>a plan of APPS x 7 resources, none of which exists yet;</li>
 * <li>the same number of objects made directly through the API (an apply of that size is bound
 *     by Fly's limit of one app create per second and organization: 24 minutes), then
 *     {@code import org} writing their configuration and state, then a no-change plan of it.</li>
 * </ol>
 *
 * <p>Usage: java -Xmx512m -cp ... dev.flyform.bench.Scale [APPS]   (default 1429: 10,003 resources)
 */
public final class Scale {

    public static void main(String[] args) throws Exception {
        int apps = args.length > 0 ? Integer.parseInt(args[0]) : 1429;
        // The heap in use, sampled: its peak (garbage not yet collected included) is printed last.
        java.util.concurrent.atomic.AtomicLong peak = new java.util.concurrent.atomic.AtomicLong();
        java.util.concurrent.atomic.AtomicLong peakLive = new java.util.concurrent.atomic.AtomicLong();
        Thread sampler = new Thread(() -> {
            while (true) {
                peak.accumulateAndGet(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed(), Math::max);
                // What each heap pool held right after its last collection: the live data.
                peakLive.accumulateAndGet(ManagementFactory.getMemoryPoolMXBeans().stream()
                        .filter(p -> p.getType() == java.lang.management.MemoryType.HEAP && p.getCollectionUsage() != null)
                        .mapToLong(p -> p.getCollectionUsage().getUsed()).sum(), Math::max);
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        sampler.setDaemon(true);
        sampler.start();
        for (boolean imported : new boolean[] {false, true}) {
            Path dir = Files.createTempDirectory("flyform-scale");
            try {
                if (imported) {
                    scaleImportedPlan(dir, apps);
                } else {
                    scaleFreshPlan(dir, apps);
                }
            } finally {
                Benchmark.deleteTree(dir);
            }
        }
        System.out.printf("heap (emulator included, sampled every 20 ms): max %d MB; peak in use %d MB, garbage included;"
                + " peak after a collection %d MB%n", Runtime.getRuntime().maxMemory() >> 20, peak.get() >> 20, peakLive.get() >> 20);
    }

    private static void scaleFreshPlan(Path dir, int apps) throws Exception {
        try (FlyEmulator fly = FlyEmulator.start(0)) {
            Files.writeString(dir.resolve("main.fly.groovy"), Benchmark.config(apps));
            Map<String, String> env = Map.of("FLY_FLAPS_BASE_URL", fly.baseUrl().toString(), "FLY_API_BASE_URL",
                    fly.baseUrl().toString(), "FLY_API_TOKEN", FlyEmulator.PERSONAL_TOKEN, "BENCH_SECRET", "s3cret");
            long t0 = System.nanoTime();
            String plan = Benchmark.run(dir, env, "plan");
            double planSeconds = (System.nanoTime() - t0) / 1e9;
            System.out.printf("plan of %d resources (none exists yet): %.1f s, %d API calls, %s; max heap %d MB%n",
                    apps * 7, planSeconds, fly.calls().size(),
                    plan.contains("Plan: " + apps * 7 + " to add") ? "all planned" : "UNEXPECTED PLAN",
                    Runtime.getRuntime().maxMemory() >> 20);
        }
    }

    private static void scaleImportedPlan(Path dir, int apps) throws Exception {
        try (FlyEmulator fly = FlyEmulator.start(0)) {
            // The generated files read each secret with env('NAME'); given at import, its digest is recorded.
            // Each app's secret TOKEN is read from SCALE_APP_<n>_TOKEN, as import names it.
            Map<String, String> env = new java.util.HashMap<>(Map.of("FLY_FLAPS_BASE_URL", fly.baseUrl().toString(), "FLY_API_BASE_URL",
                    fly.baseUrl().toString(), "FLY_API_TOKEN", FlyEmulator.PERSONAL_TOKEN));
            for (int i = 0; i <= apps; i++) {
                env.put("SCALE_APP_" + i + "_TOKEN", "s3cret");
            }
            long t0 = System.nanoTime();
            int made = seed(fly, apps);
            double seedSeconds = (System.nanoTime() - t0) / 1e9;
            int before = lastCall(fly);
            t0 = System.nanoTime();
            Benchmark.run(dir, env, "import", "org", FlyEmulator.PERSONAL_ORG, "-generate-config", ".");
            double importSeconds = (System.nanoTime() - t0) / 1e9;
            int importCalls = lastCall(fly) - before;
            // Counted by sequence: the emulator keeps only the last 20,000 calls.
            before = lastCall(fly);
            t0 = System.nanoTime();
            String plan = Benchmark.run(dir, env, "plan");
            double planSeconds = (System.nanoTime() - t0) / 1e9;
            int planCalls = lastCall(fly) - before;
            t0 = System.nanoTime();
            String again = Benchmark.run(dir, env, "plan");
            double againSeconds = (System.nanoTime() - t0) / 1e9;
            System.out.printf("%d objects made through the API in %.1f s; import org: %.1f s, %d API calls;%n"
                            + "no-change plan of them: %.1f s (again, scripts compiled: %.1f s), %d API calls, %s; max heap %d MB%n",
                    made, seedSeconds, importSeconds, importCalls, planSeconds, againSeconds, planCalls,
                    plan.startsWith("No changes.") && again.startsWith("No changes.") ? "No changes."
                            : "UNEXPECTED PLAN:\n" + plan.lines().limit(20).toList(),
                    Runtime.getRuntime().maxMemory() >> 20);
        }
    }

    private static int lastCall(FlyEmulator fly) {
        List<dev.flyform.emulator.Call> calls = fly.calls();
        return calls.isEmpty() ? 0 : (int) calls.get(calls.size() - 1).sequence();
    }

    /** Per app: the app, a v6 and a shared v4 address, a certificate, a secret, a volume and a machine mounting it. */
    private static int seed(FlyEmulator fly, int apps) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        java.util.concurrent.atomic.AtomicInteger made = new java.util.concurrent.atomic.AtomicInteger();
        List<java.util.concurrent.Future<?>> done = new ArrayList<>();
        for (int i = 1; i <= apps; i++) {
            String app = "scale-app-" + i;
            done.add(pool.submit(() -> {
                post(http, fly, "/v1/apps", "{\"name\":\"" + app + "\",\"org_slug\":\"personal\"}");
                post(http, fly, "/v1/apps/" + app + "/ip_assignments", "{\"type\":\"v6\"}");
                post(http, fly, "/v1/apps/" + app + "/ip_assignments", "{\"type\":\"shared_v4\"}");
                post(http, fly, "/v1/apps/" + app + "/certificates/acme", "{\"hostname\":\"www." + app + ".example.com\"}");
                post(http, fly, "/v1/apps/" + app + "/secrets/TOKEN", "{\"value\":\"s3cret\"}");
                String volume = post(http, fly, "/v1/apps/" + app + "/volumes", "{\"name\":\"data\",\"region\":\"iad\",\"size_gb\":1}")
                        .replaceAll("(?s).*\"id\"\\s*:\\s*\"([^\"]+)\".*", "$1");
                post(http, fly, "/v1/apps/" + app + "/machines", "{\"region\":\"iad\",\"config\":{\"image\":\"flyio/hellofly:latest\","
                        + "\"env\":{\"PORT\":\"8080\"},\"mounts\":[{\"volume\":\"" + volume + "\",\"path\":\"/data\"}]}}");
                made.addAndGet(7);
                return null;
            }));
        }
        try {
            for (var f : done) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        return made.get();
    }

    private static String post(HttpClient http, FlyEmulator fly, String path, String body) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(fly.baseUrl().resolve(path))
                .header("Authorization", "Bearer " + FlyEmulator.PERSONAL_TOKEN).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException("POST " + path + ": " + response.statusCode() + " " + response.body());
        }
        return response.body();
    }



}
