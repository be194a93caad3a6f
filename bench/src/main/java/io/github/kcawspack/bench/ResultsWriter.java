package io.github.kcawspack.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Prints a run's tables and writes results.json, results.md and the chart into the run's directory. */
final class ResultsWriter {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ResultsWriter() {
    }

    static void write(Path directory, BenchReport report) {
        String subtitle = subtitle(report);
        StringBuilder markdown = new StringBuilder("# bin/bench" + (report.soak() != null ? " --soak" : "") + "\n\n")
                .append(subtitle).append("\n\n");
        String chart;
        if (report.throughput() != null) {
            ThroughputReport throughput = report.throughput();
            ServerWarmUp.Result warmUp = throughput.warmUp();
            String warmUpLine = String.format("Warm-up: %.0f s, %d rounds of rehearsal; Keycloak's JIT compiler used %.2f"
                    + " cores in the last round (%s).", warmUp.seconds(), warmUp.rounds(), warmUp.lastJitCores(),
                    warmUp.quiet() ? "quiet" : "still compiling when the time ran out");
            markdown.append(warmUpLine).append("\n\n");
            Table phases = ResultsTables.phases(throughput);
            Table targets = ResultsTables.targets(throughput.targets());
            System.out.println();
            System.out.println(warmUpLine);
            System.out.println(phases.text());
            System.out.println(targets.text());
            throughput.targets().checks().forEach(check -> System.out.printf("  %d: %s%n", check.number(), check.note()));
            printReplayStore(throughput.replayStore());
            markdown.append(phases.markdown()).append('\n').append(targets.markdown()).append('\n');
            throughput.targets().checks().forEach(check -> markdown.append("- ").append(check.number()).append(": ")
                    .append(check.note()).append('\n'));
            chart = ThroughputChart.svg(throughput.phases(), subtitle);
        } else {
            SoakReport soak = report.soak();
            Table grants = ResultsTables.soakGrants(soak);
            Table readings = ResultsTables.soakReadings(soak);
            System.out.println();
            System.out.println(grants.text());
            System.out.println(readings.text());
            System.out.println("Classes whose live objects grew most from the first reading to the last (instances, bytes):");
            soak.grownClasses().forEach(delta -> System.out.printf("  %9d %11d  %s%n", delta.instances(), delta.bytes(),
                    delta.className()));
            System.out.println("and those that shrank most:");
            soak.shrunkClasses().forEach(delta -> System.out.printf("  %9d %11d  %s%n", delta.instances(), delta.bytes(),
                    delta.className()));
            markdown.append(grants.markdown()).append('\n').append(readings.markdown());
            chart = SoakChart.svg(soak, subtitle);
        }
        String chartName = report.soak() != null ? "soak.svg" : "results.svg";
        try {
            Files.createDirectories(directory);
            JSON.writeValue(directory.resolve("results.json").toFile(), report);
            Files.writeString(directory.resolve("results.md"), markdown);
            Files.writeString(directory.resolve(chartName), chart);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the results to " + directory, e);
        }
        System.out.printf("%nResults: %s (results.json, results.md, %s)%n", directory, chartName);
    }

    private static void printReplayStore(ReplayStoreFootprint.Result replay) {
        List<Long> heap = replay.liveBytes();
        System.out.printf("%nReplay store: Keycloak's live objects after GC %.2f MB, after %d client_credentials %.2f MB,"
                        + " after %d aws_identity %.2f MB, after %d client_credentials %.2f MB:%n"
                        + "  %.0f bytes per aws_identity request - %.0f bytes per client_credentials request"
                        + " = %.0f bytes per outstanding signed request.%n",
                mb(heap.get(0)), replay.requests(), mb(heap.get(1)), replay.requests(), mb(heap.get(2)), replay.requests(),
                mb(heap.get(3)), replay.awsIdentityBytesPerRequest(), replay.controlBytesPerRequest(),
                replay.bytesPerOutstandingRequest());
        System.out.println("  classes that grew over the aws_identity requests (instances, bytes):");
        replay.grownClasses().forEach(delta -> System.out.printf("    %9d %11d  %s%n", delta.instances(), delta.bytes(),
                delta.className()));
        System.out.println("  and those that shrank meanwhile (other caches settling: the measurement's noise):");
        replay.shrunkClasses().forEach(delta -> System.out.printf("    %9d %11d  %s%n", delta.instances(), delta.bytes(),
                delta.className()));
    }

    private static double mb(long bytes) {
        return bytes / 1048576.0;
    }

    static String subtitle(BenchReport report) {
        Machine machine = report.machine();
        return String.format("Keycloak %s (%s) on %s; %d cores, %.0f GiB, %s; load average %s at start, %s at end; %s",
                report.keycloakVersion(), report.keycloakMode(), machine.keycloakJava(), machine.cores(),
                machine.memoryBytes() / 1073741824.0, machine.cpu(), report.loadAverageAtStart(),
                report.loadAverageAtEnd(), report.startedAt());
    }
}
