package io.github.kcawspack.bench;

import io.github.kcawspack.it.fakests.FakeSts;
import java.nio.file.Path;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Runs one phase against the bench server and takes the readings around its measured window:
 * CPU of Keycloak, of this JVM and of the rest of the machine; connections the fake STS accepted;
 * Keycloak's heap after GC once the load has stopped. With a JFR directory, Keycloak is recorded
 * during the window.
 */
final class PhaseRunner {

    private final BenchServer server;
    private final ClosedLoopLoad load;
    private final Path jfrDirectory;
    private long stsConnectionsSoFar;

    /** @param jfrDirectory where to write a recording of each phase, or null for none */
    PhaseRunner(BenchServer server, Path jfrDirectory) {
        this.server = server;
        this.load = new ClosedLoopLoad(server.tokenEndpoint());
        this.jfrDirectory = jfrDirectory;
    }

    /** Every connection the fake STS accepted in the phases so far. */
    long stsConnectionsSoFar() {
        return stsConnectionsSoFar;
    }

    /** Runs load outside a phase, still counting the STS connections it makes towards the run's total. */
    <T> T countingStsConnections(Supplier<T> work) {
        server.sts().reset();
        T result = work.get();
        stsConnectionsSoFar += server.sts().connectionCount();
        return result;
    }

    PhaseResult run(PhasePlan plan, TokenRequestSource source, LongSupplier signedByWorkers) {
        FakeSts sts = server.sts();
        KeycloakJvm jvm = server.jvm();
        sts.setLatency(plan.stsLatency());
        sts.reset();
        LoadAverage loadBefore = LoadAverage.now();
        long signedBefore = signedByWorkers.getAsLong();
        CpuSnapshot[] window = new CpuSnapshot[2];
        String recording = "bench-" + plan.name().replaceAll("[^A-Za-z0-9]+", "-");
        System.out.printf("  %-34s %3d clients, STS latency %3d ms: %ds warm-up, %ds measured ... ", plan.name(),
                plan.concurrency(), plan.stsLatency().toMillis(), plan.warmup().toSeconds(), plan.duration().toSeconds());
        System.out.flush();

        ClosedLoopLoad.Tally tally = load.run(plan.concurrency(), plan.warmup(), plan.duration(), source,
                new ClosedLoopLoad.Window() {
                    @Override
                    public void opened() {
                        window[0] = CpuSnapshot.take(jvm);
                        if (jfrDirectory != null) {
                            jvm.startRecording(recording);
                        }
                    }

                    @Override
                    public void closed() {
                        window[1] = CpuSnapshot.take(jvm);
                        if (jfrDirectory != null) {
                            jvm.dumpRecording(recording, jfrDirectory.resolve(recording + ".jfr"));
                            jvm.stopRecording(recording);
                        }
                    }
                });

        long connections = sts.connectionCount();
        stsConnectionsSoFar += connections;
        PhaseResult result = PhaseResult.of(plan, tally, window[1].since(window[0]), connections, sts.peakInFlight(),
                jvm.heapUsedAfterGc(), loadBefore, signedByWorkers.getAsLong() - signedBefore);
        System.out.printf("%.0f tokens/s, p99 %.0f ms, %d errors%n", result.tokensPerSecond(), result.p99Ms(), result.errors());
        return result;
    }
}
