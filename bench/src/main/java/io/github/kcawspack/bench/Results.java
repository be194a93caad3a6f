package io.github.kcawspack.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * A run's results: results.json (every figure, by Jackson), results.md (the tables, also printed
 * on the terminal) and one HdrHistogram percentile distribution per phase or grant
 * ({@code <name>.hgrm}, in milliseconds, which HdrHistogram's plotter draws).
 */
final class Results {

    /**
     * One run as written to results.json: the machine and how busy it was, the parameters, and
     * what the run measured (the default run or the soak, one of them).
     */
    record Run(String mode, String startedAt, double wallSeconds, Machine machine, String keycloakVersion,
            String keycloakMode, LoadAverage loadAverageAtStart, LoadAverage loadAverageAtEnd,
            Map<String, Object> parameters, Throughput throughput, SoakReport soak) {
    }

    /** What the default run measured and judged; the warm-up's failures count towards the zero-errors target. */
    record Throughput(ServerWarmUp.Result warmUp, List<PhaseResult> phases, ReplayStoreFootprint.Result replayStore,
            Targets targets, long stsConnections, long stsRequests) {
    }

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private Results() {
    }

    static void write(Path directory, Run report) {
        StringBuilder md = new StringBuilder("# bin/bench" + (report.soak() != null ? " --soak" : "") + "\n\n")
                .append(subtitle(report)).append("\n\n");
        try {
            Files.createDirectories(directory);
            if (report.throughput() != null) {
                Throughput throughput = report.throughput();
                throughputTables(md, throughput);
                for (PhaseResult phase : throughput.phases()) {
                    writeDistribution(directory, phase.name(), phase.latencies());
                }
            } else {
                soakTables(md, report.soak());
                for (SoakReport.GrantSummary grant : report.soak().grants()) {
                    writeDistribution(directory, "soak " + grant.grant(), grant.latencies());
                }
            }
            JSON.writeValue(directory.resolve("results.json").toFile(), report);
            Files.writeString(directory.resolve("results.md"), md);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the results to " + directory, e);
        }
        System.out.println();
        System.out.print(md);
        System.out.printf("%nResults: %s (results.json, results.md, *.hgrm)%n", directory);
    }

    private static void throughputTables(StringBuilder md, Throughput report) {
        ServerWarmUp.Result warmUp = report.warmUp();
        md.append(String.format(Locale.ROOT, "Warm-up: %.0f s, %d rounds of rehearsal; Keycloak's JIT compiler used %.2f cores"
                + " in the last round (%s).%n%n", warmUp.seconds(), warmUp.rounds(), warmUp.lastJitCores(),
                warmUp.quiet() ? "quiet" : "still compiling when the time ran out"));
        List<List<Object>> rows = new ArrayList<>();
        for (PhaseResult p : report.phases()) {
            rows.add(List.of(p.name(), p.concurrency(), p.stsLatencyMs(), number(p.tokensPerSecond(), 0), number(p.p50Ms(), 1),
                    number(p.p95Ms(), 1), number(p.p99Ms(), 1), p.errors(), p.stsConnections(),
                    number(p.keycloakCpuMsPerToken(), 2), number(p.keycloakCores(), 2), number(p.keycloakJitCores(), 2),
                    number(p.othersCores(), 2), number(p.heapAfterGcBytes() / 1048576.0, 1)));
        }
        table(md, List.of("phase", "clients", "STS ms", "tokens/s", "p50 ms", "p95 ms", "p99 ms", "errors", "STS conns",
                "KC CPU ms/token", "KC cores", "KC JIT cores", "other cores", "KC live heap MB"), rows);
        md.append("\nLatency percentiles corrected for coordinated omission (HdrHistogram); p99 as measured, uncorrected:");
        report.phases().forEach(p -> md.append(' ').append(p.name()).append(' ').append(number(p.p99UncorrectedMs(), 1))
                .append(" ms;"));
        md.append("\n\n");
        table(md, List.of("#", "target", "measured", "result"), report.targets().checks().stream()
                .map(c -> List.<Object>of(c.number(), c.target(), c.measured(), c.verdict())).toList());
        md.append('\n');
        report.targets().checks().forEach(c -> md.append("- ").append(c.number()).append(": ").append(c.note()).append('\n'));
        ReplayStoreFootprint.Result replay = report.replayStore();
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

    private static void soakTables(StringBuilder md, SoakReport soak) {
        table(md, List.of("grant", "clients", "tokens/s", "p50 ms", "p95 ms", "p99 ms", "errors"), soak.grants().stream()
                .map(g -> List.<Object>of(g.grant(), g.clients(), number(g.tokensPerSecond(), 0), number(g.p50Ms(), 1),
                        number(g.p95Ms(), 1), number(g.p99Ms(), 1), g.errors())).toList());
        md.append('\n');
        table(md, List.of("reading", "first", "last", "change", "result"), List.of(
                List.of("Keycloak heap after GC (live objects), MB", number(soak.heap().start() / 1048576.0, 1),
                        number(soak.heap().end() / 1048576.0, 1), percent(soak.heap().change()), verdict(soak.heap())),
                List.of("Keycloak open file descriptors", soak.fileDescriptors().start(), soak.fileDescriptors().end(),
                        percent(soak.fileDescriptors().change()), verdict(soak.fileDescriptors()))));
        md.append('\n');
        classes(md, "Classes whose live objects grew most from the first reading to the last", soak.grownClasses());
        classes(md, "and those that shrank most", soak.shrunkClasses());
    }

    static void table(StringBuilder md, List<String> headers, List<List<Object>> rows) {
        md.append("| ").append(String.join(" | ", headers)).append(" |\n|---").append("|---:".repeat(headers.size() - 1))
                .append("|\n");
        rows.forEach(row -> md.append("| ").append(String.join(" | ", row.stream().map(String::valueOf).toList())).append(" |\n"));
    }

    private static void classes(StringBuilder md, String title, List<ClassHistogram.Delta> deltas) {
        md.append(title).append(" (instances, bytes):\n\n");
        deltas.forEach(d -> md.append(String.format(Locale.ROOT, "    %9d %11d  %s%n", d.instances(), d.bytes(), d.className())));
        md.append('\n');
    }

    private static void writeDistribution(Path directory, String name, Histogram latencies) throws IOException {
        if (latencies.getTotalCount() == 0) {
            return;
        }
        try (PrintStream out = new PrintStream(directory.resolve(name.replaceAll("[^A-Za-z0-9_]+", "-") + ".hgrm").toFile())) {
            latencies.outputPercentileDistribution(out, 1e6);
        }
    }

    static String number(double value, int decimals) {
        return Double.isFinite(value) ? String.format(Locale.ROOT, "%." + decimals + "f", value) : "-";
    }

    private static String percent(double change) {
        return String.format(Locale.ROOT, "%+.1f %%", change * 100);
    }

    private static String verdict(SoakReport.Verdict verdict) {
        return verdict.pass() ? "PASS" : "FAIL";
    }

    private static double mb(long bytes) {
        return bytes / 1048576.0;
    }

    static String subtitle(Run report) {
        Machine machine = report.machine();
        return String.format(Locale.ROOT, "Keycloak %s (%s) on %s; %d cores, %.0f GiB, %s; load average %s at start, %s at end; %s",
                report.keycloakVersion(), report.keycloakMode(), machine.keycloakJava(), machine.cores(),
                machine.memoryBytes() / 1073741824.0, machine.cpu(), report.loadAverageAtStart(),
                report.loadAverageAtEnd(), report.startedAt());
    }
}
