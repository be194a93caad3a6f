package io.github.kcawspack.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
            Results.Throughput throughput = null;
            SoakReport soak = null;
            if (options.soak()) {
                soak = new SoakRun(options, server).run();
            } else {
                throughput = new ThroughputRun(options, server, jfrDirectory).run();
            }
            Results.Run report = new Results.Run(mode, started.toString(), (System.nanoTime() - startNanos) / 1e9,
                    Machine.describe(server.javaHome()), server.version(), KEYCLOAK_MODE, loadAtStart, LoadAverage.now(),
                    options.recorded(), throughput, soak);
            Results.write(runDirectory, report);
            if (jfrDirectory != null) {
                summariseRecordings(jfrDirectory, server.javaHome());
            }
        }
        System.out.printf("The benchmark took %.0f s.%n", (System.nanoTime() - startNanos) / 1e9);
    }

    /**
     * One summary per phase, over the recordings of all its turns: the JDK's {@code jfr} tool,
     * {@code jfr summary} and {@code jfr view hot-methods} (JDK 21 and later) on the turns'
     * recordings concatenated (a recording is a sequence of self-contained chunks).
     */
    private static void summariseRecordings(Path directory, Path keycloakJavaHome) throws Exception {
        Map<String, List<Path>> byPhase = new TreeMap<>();
        try (var recordings = Files.list(directory)) {
            recordings.filter(path -> path.toString().endsWith(".jfr")).sorted().forEach(path -> byPhase
                    .computeIfAbsent(path.getFileName().toString().replaceAll("(--turn-\\d+)?\\.jfr$", ""),
                            phase -> new ArrayList<>()).add(path));
        }
        Path jfr = jfrTool(keycloakJavaHome);
        for (Map.Entry<String, List<Path>> phase : byPhase.entrySet()) {
            Path all = directory.resolve(phase.getKey() + ".all-turns.jfr");
            for (Path turn : phase.getValue()) {
                Files.write(all, Files.readAllBytes(turn), StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            }
            if (jfr == null) {
                System.out.printf("No JDK 21 or later found for `jfr view`; read %s with `jfr view hot-methods`%n", all);
                continue;
            }
            Path summary = directory.resolve(phase.getKey() + ".txt");
            Files.deleteIfExists(summary);
            if (!summarise(jfr, all, summary)) {
                // jfr view of JDK 25 failed on recordings of two JVMs concatenated; if so, each turn on its own
                for (Path turn : phase.getValue()) {
                    summarise(jfr, turn, summary);
                }
            }
            System.out.println(phase.getKey() + ":\n" + Files.readString(summary));
        }
    }

    private static boolean summarise(Path jfr, Path recording, Path summary) throws Exception {
        boolean ok = true;
        for (List<String> view : List.of(List.of("summary"), List.of("view", "--width", "160", "hot-methods"))) {
            List<String> command = new ArrayList<>(List.of(jfr.toString()));
            command.addAll(view);
            command.add(recording.toString());
            ok &= new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(summary.toFile())).start().waitFor() == 0;
        }
        return ok;
    }

    /** The {@code jfr} tool of a JDK that has {@code jfr view}: Keycloak's, this one, or another under /usr/lib/jvm. */
    private static Path jfrTool(Path keycloakJavaHome) throws Exception {
        List<Path> homes = new ArrayList<>(List.of(keycloakJavaHome, Path.of(System.getProperty("java.home"))));
        try (var installed = Files.list(Path.of("/usr/lib/jvm"))) {
            installed.sorted(Comparator.reverseOrder()).forEach(homes::add);
        } catch (java.io.IOException none) {
            // only the two above
        }
        for (Path home : homes) {
            Path release = home.resolve("release");
            if (Files.isExecutable(home.resolve("bin/jfr")) && Files.isReadable(release)) {
                Matcher version = Pattern.compile("JAVA_VERSION=\"(\\d+)").matcher(Files.readString(release));
                if (version.find() && Integer.parseInt(version.group(1)) >= 21) {
                    return home.resolve("bin/jfr");
                }
            }
        }
        return null;
    }
}
