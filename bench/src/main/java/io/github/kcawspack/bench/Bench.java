package io.github.kcawspack.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code bin/bench}: starts Keycloak with the pack and the fake STS, drives load from this JVM,
 * prints the tables and writes results under bench/results/. Targets are reported, never
 * enforced: the exit status is non-zero only when the benchmark itself could not run.
 */
public final class Bench {

    private static final DateTimeFormatter RUN_NAME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);
    static final String KEYCLOAK_MODE = "kc.sh start-dev: development mode, embedded H2 database, local caches";

    private Bench() {
    }

    public static void main(String[] args) throws Exception {
        if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
            System.out.print(BenchOptions.USAGE);
            return;
        }
        BenchOptions options;
        try {
            options = BenchOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("bench: " + e.getMessage());
            System.err.print(BenchOptions.USAGE);
            System.exit(2);
            return;
        }
        Instant started = Instant.now();
        long startNanos = System.nanoTime();
        String mode = options.soak() ? "soak" : "throughput";
        Path runDirectory = options.resultsDir().resolve(RUN_NAME.format(started) + "-" + mode);
        Path jfrDirectory = options.jfr() ? options.projectRoot().resolve("bench/target/jfr/" + RUN_NAME.format(started)) : null;
        if (jfrDirectory != null) {
            Files.createDirectories(jfrDirectory);
        }
        LoadAverage loadAtStart = LoadAverage.now();
        System.out.printf("Load average at start: %s (%d cores)%n", loadAtStart, Runtime.getRuntime().availableProcessors());
        System.out.println("Starting Keycloak with the pack and the fake STS ...");

        try (BenchServer server = BenchServer.start(options)) {
            System.out.printf("Keycloak %s is up (pid %d, log %s)%n", server.version(), server.jvm().pid(), server.log());
            ThroughputReport throughput = null;
            SoakReport soak = null;
            if (options.soak()) {
                soak = new SoakRun(options, server).run();
            } else {
                throughput = new ThroughputRun(options, server, jfrDirectory).run();
            }
            BenchReport report = new BenchReport(mode, started.toString(), (System.nanoTime() - startNanos) / 1e9,
                    Machine.describe(server.javaHome()), server.version(), KEYCLOAK_MODE, loadAtStart, LoadAverage.now(),
                    options.recorded(), throughput, soak);
            Results.write(runDirectory, report);
            if (jfrDirectory != null) {
                summariseRecordings(jfrDirectory);
            }
        }
        System.out.printf("The benchmark took %.0f s.%n", (System.nanoTime() - startNanos) / 1e9);
    }

    /** One summary per phase, over the recordings of all its turns. */
    private static void summariseRecordings(Path directory) throws Exception {
        Map<String, List<Path>> byPhase = new TreeMap<>();
        try (var recordings = Files.list(directory)) {
            recordings.filter(path -> path.toString().endsWith(".jfr")).sorted().forEach(path -> byPhase
                    .computeIfAbsent(path.getFileName().toString().replaceAll("(--turn-\\d+)?\\.jfr$", ""),
                            phase -> new ArrayList<>()).add(path));
        }
        for (Map.Entry<String, List<Path>> phase : byPhase.entrySet()) {
            String summary = JfrHotMethods.of(phase.getValue(), 25, List.of("io.github.kcawspack.", "org.keycloak.",
                    "org.apache.http.", "org.infinispan.", "org.hibernate.", "org.h2.", "com.sun.org.apache.xerces.",
                    "javax.xml.", "jdk.xml.")).text(phase.getKey());
            Files.writeString(directory.resolve(phase.getKey() + ".txt"), summary);
            System.out.println(summary);
        }
    }
}
