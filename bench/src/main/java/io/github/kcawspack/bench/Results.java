package io.github.kcawspack.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.HdrHistogram.Histogram;

/**
 * A run's results: results.json (every figure and parameter, by Jackson), results.md (the
 * tables, also printed) and one HdrHistogram percentile distribution per phase or grant
 * ({@code <name>.hgrm}, in milliseconds, which HdrHistogram's plotter draws).
 */
final class Results {

    /** One run as written to results.json: the machine and how busy it was, the parameters, and the default run or the soak. */
    record Run(String mode, String startedAt, double wallSeconds, Machine machine, String keycloakVersion,
            String keycloakMode, LoadAverage loadAverageAtStart, LoadAverage loadAverageAtEnd,
            BenchOptions parameters, ThroughputRun.Result throughput, SoakRun.Report soak) {
    }

    /** The machine a result was taken on: without it, a throughput figure means little. */
    record Machine(int cores, long memoryBytes, String cpu, String os, String benchJava, String keycloakJava) {

        static Machine describe(Path keycloakJavaHome) {
            String release = read(keycloakJavaHome.resolve("release")); // the JDK's release file
            return new Machine(Runtime.getRuntime().availableProcessors(),
                    ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getTotalMemorySize(),
                    value(read(Path.of("/proc/cpuinfo")), "model name", ':').trim(), // no JDK API names the CPU
                    System.getProperty("os.name") + " " + System.getProperty("os.version"),
                    System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"),
                    (value(release, "IMPLEMENTOR", '=') + " " + value(release, "JAVA_RUNTIME_VERSION", '=')).replace("\"", ""));
        }

        private static String value(String text, String key, char separator) {
            return text.lines().filter(line -> line.startsWith(key)).map(line -> line.substring(line.indexOf(separator) + 1))
                    .findFirst().orElse("?");
        }
    }

    /** The machine's load averages: from /proc/loadavg, as the JDK's OperatingSystemMXBean gives only the one-minute one. */
    record LoadAverage(double oneMinute, double fiveMinutes, double fifteenMinutes) {

        static LoadAverage now() {
            String[] fields = read(Path.of("/proc/loadavg")).trim().split("\\s+");
            return new LoadAverage(Double.parseDouble(fields[0]), Double.parseDouble(fields[1]), Double.parseDouble(fields[2]));
        }

        @Override
        public String toString() {
            return oneMinute + " " + fiveMinutes + " " + fifteenMinutes;
        }
    }

    private Results() {
    }

    static void write(Path directory, Run run) throws IOException {
        Machine machine = run.machine();
        StringBuilder md = new StringBuilder(String.format(Locale.ROOT, "# bin/bench%s%n%nKeycloak %s (%s) on %s; %d cores,"
                + " %.0f GiB, %s; load average %s at start, %s at end; %s%n%n", run.soak() != null ? " --soak" : "",
                run.keycloakVersion(), run.keycloakMode(), machine.keycloakJava(), machine.cores(),
                machine.memoryBytes() / 1073741824.0, machine.cpu(), run.loadAverageAtStart(), run.loadAverageAtEnd(),
                run.startedAt()));
        Files.createDirectories(directory);
        if (run.throughput() != null) {
            throughput(md, run.throughput());
            for (PhaseResult phase : run.throughput().phases()) {
                writeDistribution(directory, phase.name(), phase.tally().corrected());
            }
        } else {
            soak(md, run.soak());
            for (SoakRun.GrantSummary grant : run.soak().grants()) {
                writeDistribution(directory, "soak " + grant.grant(), grant.latencies());
            }
        }
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(directory.resolve("results.json").toFile(), run);
        Files.writeString(directory.resolve("results.md"), md);
        System.out.printf("%n%s%nResults: %s (results.json, results.md, *.hgrm)%n", md, directory);
    }

    private static void throughput(StringBuilder md, ThroughputRun.Result run) {
        ThroughputRun.WarmUp warmUp = run.warmUp();
        md.append(String.format(Locale.ROOT, "Warm-up: %.0f s, %d rounds of rehearsal; Keycloak's JIT compiler used %.2f cores"
                + " in the last round (%s).%n%n", warmUp.seconds(), warmUp.rounds(), warmUp.lastJitCores(),
                warmUp.quiet() ? "quiet" : "still compiling when the time ran out"));
        table(md, "phase | clients | STS ms | tokens/s | p50 ms | p95 ms | p99 ms | errors | STS conns | KC CPU ms/token"
                + " | KC cores | KC JIT cores | KC GC cores | KC switches/token | other cores | KC live heap MB", run.phases().stream().map(p -> List.of(
                p.name(), p.concurrency(), p.stsLatencyMs(), number(p.tokensPerSecond(), 0), number(p.p50Ms(), 1),
                number(p.p95Ms(), 1), number(p.p99Ms(), 1), p.errors(), p.stsConnections(), number(p.keycloakCpuMsPerToken(), 2),
                number(p.keycloakCores(), 2), number(p.keycloakJitCores(), 2), number(p.keycloakGcCores(), 2),
                number(p.keycloakSwitchesPerToken(), 1), number(p.othersCores(), 2),
                number(mb(p.heapAfterGcBytes()), 1))));
        md.append("\nThe compared phases over all their runs. Latency percentiles corrected for coordinated omission"
                + " (HdrHistogram); p99 as measured, uncorrected:");
        run.phases().forEach(p -> md.append(' ').append(p.name()).append(' ').append(number(p.p99UncorrectedMs(), 1)).append(" ms;"));
        md.append("\n\n");
        table(md, "# | target | measured | result", run.targets().checks().stream()
                .map(c -> List.of(c.number(), c.target(), c.measured(), c.pass() ? "PASS" : "FAIL")));
        md.append('\n');
        run.targets().checks().forEach(c -> md.append("- ").append(c.number()).append(": ").append(c.note()).append('\n'));
        ThroughputRun.ReplayStore replay = run.replayStore();
        List<Long> heap = replay.liveBytes();
        md.append(String.format(Locale.ROOT, "%nReplay store: Keycloak's live objects after GC %.2f MB, after %d client_credentials"
                        + " %.2f MB, after %d aws_identity %.2f MB, after %d client_credentials %.2f MB: %.0f bytes per"
                        + " aws_identity request - %.0f bytes per client_credentials request = %.0f bytes per outstanding"
                        + " signed request.%n%n", mb(heap.get(0)), replay.requests(), mb(heap.get(1)), replay.requests(),
                mb(heap.get(2)), replay.requests(), mb(heap.get(3)), replay.awsIdentityBytesPerRequest(),
                replay.controlBytesPerRequest(), replay.bytesPerOutstandingRequest()));
        classes(md, "Classes that grew over the aws_identity requests", replay.grownClasses());
        classes(md, "and those that shrank meanwhile (other caches settling: the measurement's noise)", replay.shrunkClasses());
    }

    private static void soak(StringBuilder md, SoakRun.Report soak) {
        table(md, "grant | clients | tokens/s | p50 ms | p95 ms | p99 ms | errors", soak.grants().stream().map(g -> List.of(
                g.grant(), g.clients(), number(g.tokensPerSecond(), 0), number(g.p50Ms(), 1), number(g.p95Ms(), 1),
                number(g.p99Ms(), 1), g.errors())));
        md.append('\n');
        table(md, "reading | first | last | change | result", Stream.of(
                verdict("Keycloak heap after GC (live objects), MB", soak.heap(), bytes -> number(mb(bytes), 1)),
                verdict("Keycloak open file descriptors", soak.fileDescriptors(), String::valueOf)));
        md.append('\n');
        classes(md, "Classes whose live objects grew most from the first reading to the last", soak.grownClasses());
        classes(md, "and those that shrank most", soak.shrunkClasses());
    }

    private static List<String> verdict(String reading, SoakRun.Verdict verdict, java.util.function.LongFunction<String> value) {
        return List.of(reading, value.apply(verdict.start()), value.apply(verdict.end()),
                String.format(Locale.ROOT, "%+.1f %%", verdict.change() * 100), verdict.pass() ? "PASS" : "FAIL");
    }

    /** A markdown table: {@code headers} separated by " | ", the first column left-aligned, the others right. */
    static void table(StringBuilder md, String headers, Stream<? extends List<?>> rows) {
        md.append("| ").append(headers).append(" |\n|---").append("|---:".repeat(headers.split(" \\| ").length - 1)).append("|\n");
        rows.forEach(row -> md.append("| ").append(String.join(" | ", row.stream().map(String::valueOf).toList())).append(" |\n"));
    }

    private static void classes(StringBuilder md, String title, List<BenchServer.ClassHistogram.Delta> deltas) {
        md.append(title).append(" (instances, bytes):\n\n");
        deltas.forEach(d -> md.append(String.format(Locale.ROOT, "    %9d %11d  %s%n", d.instances(), d.bytes(), d.className())));
        md.append('\n');
    }

    private static void writeDistribution(Path directory, String name, Histogram latencies) throws IOException {
        if (latencies.getTotalCount() > 0) {
            try (PrintStream out = new PrintStream(directory.resolve(name.replaceAll("[^A-Za-z0-9_]+", "-") + ".hgrm").toFile())) {
                latencies.outputPercentileDistribution(out, 1e6);
            }
        }
    }

    static String number(double value, int decimals) {
        return Double.isFinite(value) ? String.format(Locale.ROOT, "%." + decimals + "f", value) : "-";
    }

    private static double mb(long bytes) {
        return bytes / 1048576.0;
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
