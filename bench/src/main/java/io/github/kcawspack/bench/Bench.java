package io.github.kcawspack.bench;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import joptsimple.OptionException;

/**
 * {@code bin/bench}: starts Keycloak with the pack and the fake STS, drives load from this JVM,
 * prints the tables and writes results under bench/results/. Targets are reported, never
 * enforced: the exit status is non-zero only when the benchmark itself could not run.
 */
public final class Bench {

    private static final DateTimeFormatter RUN_NAME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    private Bench() {
    }

    /** @param args the options of {@link BenchOptions}; exit status 2 when they are wrong */
    public static void main(String[] args) throws Exception {
        BenchOptions options;
        try {
            options = BenchOptions.parse(System.out, args);
        } catch (OptionException | IllegalArgumentException e) {
            System.err.println("bench: " + e.getMessage() + " (bin/bench --help lists the options)");
            System.exit(2);
            return;
        }
        if (options == null) {
            return; // --help
        }
        Instant started = Instant.now();
        long startNanos = System.nanoTime();
        Path jfrDirectory = options.jfr()
                ? Files.createDirectories(options.projectRoot().resolve("bench/target/jfr/" + RUN_NAME.format(started))) : null;
        Results.LoadAverage loadAtStart = Results.LoadAverage.now();
        System.out.printf("Load average at start: %s (%d cores)%nStarting Keycloak with the pack and the fake STS ...%n",
                loadAtStart, Runtime.getRuntime().availableProcessors());
        try (BenchServer server = BenchServer.start(options)) {
            System.out.printf("Keycloak %s is up (pid %d, log %s)%n", server.keycloak().version(), server.process().pid(),
                    server.keycloak().log());
            ThroughputRun.Result throughput = options.soak() ? null : new ThroughputRun(options, server, jfrDirectory).run();
            SoakRun.Report soak = options.soak() ? new SoakRun(options, server).run() : null;
            String mode = options.soak() ? "soak" : "throughput";
            Results.write(options.resultsDir().resolve(RUN_NAME.format(started) + "-" + mode), new Results.Run(mode,
                    started.toString(), (System.nanoTime() - startNanos) / 1e9, Results.Machine.describe(server.javaHome()),
                    server.keycloak().version(), BenchServer.KEYCLOAK_MODE, loadAtStart, Results.LoadAverage.now(), options,
                    throughput, soak));
            if (jfrDirectory != null) {
                summariseRecordings(jfrDirectory, server.javaHome());
            }
        }
        System.out.printf("The benchmark took %.0f s.%n", (System.nanoTime() - startNanos) / 1e9);
    }

    /**
     * {@code jfr summary} and {@code jfr view hot-methods} per phase, over its runs' recordings
     * concatenated (a recording is a sequence of self-contained chunks), by the first JDK 21 or
     * later of Keycloak's, this one, and those under /usr/lib/jvm.
     */
    private static void summariseRecordings(Path directory, Path keycloakJavaHome) throws IOException, InterruptedException {
        Map<String, List<Path>> byPhase;
        try (var recordings = Files.list(directory)) {
            byPhase = recordings.filter(path -> path.toString().endsWith(".jfr")).sorted().collect(Collectors.groupingBy(
                    path -> path.getFileName().toString().replaceAll("(--run-[0-9-]+)?\\.jfr$", ""), TreeMap::new, Collectors.toList()));
        }
        File[] installed = Objects.requireNonNullElse(new File("/usr/lib/jvm").listFiles(), new File[0]); // null: no such directory
        List<Path> tools = Stream.concat(Stream.of(keycloakJavaHome, Path.of(System.getProperty("java.home"))),
                Arrays.stream(installed).map(File::toPath).sorted(Comparator.reverseOrder()))
                .map(home -> home.resolve("bin/jfr")).filter(Files::isExecutable).toList();
        for (Map.Entry<String, List<Path>> phase : byPhase.entrySet()) {
            Path all = directory.resolve(phase.getKey() + ".all-runs.jfr");
            for (Path run : phase.getValue()) {
                Files.write(all, Files.readAllBytes(run), StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            }
            Path summary = directory.resolve(phase.getKey() + ".txt");
            boolean viewed = false;
            for (int i = 0; i < tools.size() && !viewed; i++) {
                Files.deleteIfExists(summary);
                viewed = jfr(tools.get(i), summary, "summary", all.toString())
                        && jfr(tools.get(i), summary, "view", "--width", "160", "hot-methods", all.toString());
            }
            System.out.println(phase.getKey() + ":\n" + (viewed ? Files.readString(summary)
                    : "no JDK 21 or later found for `jfr view`; read " + all + " with `jfr view hot-methods`"));
        }
    }

    private static boolean jfr(Path jfr, Path output, String... arguments) throws IOException, InterruptedException {
        return new ProcessBuilder(Stream.concat(Stream.of(jfr.toString()), Stream.of(arguments)).toList()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile())).start().waitFor() == 0;
    }
}
