package io.github.kcawspack.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

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
            Table phases = ResultsTables.phases(throughput);
            Table targets = ResultsTables.targets(throughput.targets());
            System.out.println();
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
        System.out.printf("%nReplay store: Keycloak heap after GC %.1f MB -> %.1f MB over %d client_credentials requests"
                        + " (%.0f bytes each), -> %.1f MB over %d aws_identity requests (%.0f bytes each):"
                        + " %.0f bytes per outstanding signed request.%n",
                replay.heapBeforeControl() / 1048576.0, replay.heapAfterControl() / 1048576.0, replay.requests(),
                replay.controlBytesPerRequest(), replay.heapAfterAwsIdentity() / 1048576.0, replay.requests(),
                replay.awsIdentityBytesPerRequest(), replay.bytesPerOutstandingRequest());
        System.out.println("  classes that grew over the aws_identity requests (instances, bytes):");
        replay.grownClasses().forEach(delta -> System.out.printf("    %9d %11d  %s%n", delta.instances(), delta.bytes(),
                delta.className()));
    }

    static String subtitle(BenchReport report) {
        Machine machine = report.machine();
        return String.format("Keycloak %s (%s) on %s; %d cores, %.0f GiB, %s; load average %s at start, %s at end; %s",
                report.keycloakVersion(), report.keycloakMode(), machine.keycloakJava(), machine.cores(),
                machine.memoryBytes() / 1073741824.0, machine.cpu(), report.loadAverageAtStart(),
                report.loadAverageAtEnd(), report.startedAt());
    }
}
