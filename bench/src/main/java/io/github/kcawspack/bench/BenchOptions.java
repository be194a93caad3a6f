package io.github.kcawspack.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import joptsimple.OptionException;
import joptsimple.OptionParser;
import joptsimple.OptionSet;
import joptsimple.OptionSpec;

/**
 * The command line of {@code bin/bench}, read by jopt-simple (JMH's own parser, already on the
 * class path). Every number the benchmark uses is one of these, and results.json records them all,
 * so that a result can be reproduced from its parameters. Times in seconds unless named otherwise.
 *
 * @param maxConcurrentCalls the server's aws_identity {@code max-concurrent-calls}, 0 for its default
 * @param httpPoolMaxThreads Keycloak's {@code http-pool-max-threads} (its HTTP worker threads), 0 for its default
 */
record BenchOptions(Path projectRoot, Path resultsDir, int serverWarmupSeconds, int serverWarmupMaxSeconds,
        int warmupSeconds, int durationSeconds, int concurrency, int latencyConcurrency, int runs, int slices, int stsLatencyMs,
        int maxConcurrentCalls, int httpPoolMaxThreads, int principals, int replayRequests, boolean jfr, boolean soak, int soakMinutes,
        int soakWarmupSeconds, int soakSampleSeconds, int soakConcurrency, Path keycloakJavaHome) {

    /**
     * Reads the command line ({@code --name=value} or {@code --name value}).
     *
     * @param help where {@code --help} prints every option with its default (bin/bench prints its modes before)
     * @return the options, or null when {@code --help} was asked for (and printed)
     * @throws OptionException for an unknown option or a missing or malformed value
     * @throws IllegalArgumentException for a number below its minimum, or a stray argument
     * @throws IOException when the help cannot be printed
     */
    static BenchOptions parse(PrintStream help, String... args) throws IOException {
        OptionParser parser = new OptionParser(false); // no abbreviations: --dur is a typo, not --duration
        Map<OptionSpec<Integer>, Integer> minimums = new LinkedHashMap<>();
        OptionSpec<Void> helpSpec = parser.acceptsAll(List.of("h", "help"), "this text").forHelp();
        OptionSpec<String> root = parser.accepts("project-root", "the pack's checkout (bin/bench sets it)")
                .withRequiredArg().defaultsTo(".");
        OptionSpec<String> results = parser.accepts("results", "where results go (default: bench/results)").withRequiredArg();
        OptionSpec<Integer> serverWarmup = number(parser, minimums, "server-warmup", 30, 0, "seconds of every phase's load"
                + " in turn before the first measured one, at least, and until Keycloak's JIT compiler is idle");
        OptionSpec<Integer> serverWarmupMax = number(parser, minimums, "server-warmup-max", 90, 0, "... but no longer (seconds)");
        OptionSpec<Integer> warmup = number(parser, minimums, "warmup", 4, 0,
                "seconds of load before each measured stretch (shared among its slices)");
        OptionSpec<Integer> duration = number(parser, minimums, "duration", 10, 1, "measured seconds of a phase in each run");
        OptionSpec<Integer> concurrency = number(parser, minimums, "concurrency", 16, 1, "clients in the grants' phases");
        OptionSpec<Integer> latencyConcurrency = number(parser, minimums, "latency-concurrency", 64, 1,
                "clients in the STS latency phases and the replay store measurement");
        OptionSpec<Integer> runs = number(parser, minimums, "runs", 5, 1,
                "runs of each compared group, taking turns; targets use the median");
        OptionSpec<Integer> slices = number(parser, minimums, "slices", 5, 1, "slices of a compared phase's stretch in"
                + " each run, taking turns with the other phases' (its warm-up and measured seconds shared among them)");
        OptionSpec<Integer> stsLatency = number(parser, minimums, "sts-latency-ms", 50, 0,
                "delay of every fake STS answer in the slow-STS phase");
        OptionSpec<Integer> maxCalls = number(parser, minimums, "max-concurrent-calls", 0, 0,
                "Keycloak's --spi-authenticator--aws-identity--max-concurrent-calls; 0: the server's default");
        OptionSpec<Integer> poolThreads = number(parser, minimums, "http-pool-max-threads", 0, 0,
                "Keycloak's --http-pool-max-threads (each aws_identity login holds one through its STS call);"
                        + " 0: Keycloak's default, the greater of 50 and 4 x cores");
        OptionSpec<Integer> principals = number(parser, minimums, "principals", 16, 1,
                "AWS roles the aws_identity and jwt-bearer clients sign as");
        OptionSpec<Integer> replayRequests = number(parser, minimums, "replay-requests", 6_000, 100,
                "requests per step of the replay store measurement");
        OptionSpec<Void> jfr = parser.accepts("jfr", "record Keycloak with JFR in every measured stretch; jfr view of each phase");
        OptionSpec<Void> soak = parser.accepts("soak", "the soak instead of the grant comparison");
        OptionSpec<Integer> soakMinutes = number(parser, minimums, "soak-minutes", 10, 1, "soak: measured minutes");
        OptionSpec<Integer> soakWarmup = number(parser, minimums, "soak-warmup", 60, 0, "soak: seconds of load before the first reading");
        OptionSpec<Integer> soakSample = number(parser, minimums, "soak-sample-seconds", 60, 5, "soak: seconds between readings");
        OptionSpec<Integer> soakConcurrency = number(parser, minimums, "soak-concurrency", 16, 4, "soak: clients over the four grants");
        OptionSpec<String> javaHome = parser.accepts("keycloak-java-home", "JDK that runs Keycloak (default: the bench's)")
                .withRequiredArg();
        OptionSet set = parser.parse(args);
        if (set.has(helpSpec)) {
            parser.printHelpOn(help);
            return null;
        }
        if (!set.nonOptionArguments().isEmpty()) {
            throw new IllegalArgumentException("unexpected argument(s): " + set.nonOptionArguments());
        }
        minimums.forEach((spec, minimum) -> {
            if (set.valueOf(spec) < minimum) {
                throw new IllegalArgumentException("--" + spec.options().get(0) + " must be at least " + minimum
                        + ", not " + set.valueOf(spec));
            }
        });
        Path projectRoot = Path.of(set.valueOf(root)).toAbsolutePath().normalize();
        return new BenchOptions(projectRoot,
                set.has(results) ? Path.of(set.valueOf(results)).toAbsolutePath() : projectRoot.resolve("bench/results"),
                set.valueOf(serverWarmup), set.valueOf(serverWarmupMax), set.valueOf(warmup), set.valueOf(duration),
                set.valueOf(concurrency), set.valueOf(latencyConcurrency), set.valueOf(runs), set.valueOf(slices), set.valueOf(stsLatency),
                set.valueOf(maxCalls), set.valueOf(poolThreads), set.valueOf(principals), set.valueOf(replayRequests), set.has(jfr), set.has(soak),
                set.valueOf(soakMinutes), set.valueOf(soakWarmup), set.valueOf(soakSample), set.valueOf(soakConcurrency),
                set.has(javaHome) ? Path.of(set.valueOf(javaHome)) : null);
    }

    /** The server settings target 3 depends on, as its line prints them. */
    String serverSettings() {
        return String.format("max-concurrent-calls %s, http-pool-max-threads %s",
                maxConcurrentCalls == 0 ? "the server's default" : maxConcurrentCalls,
                httpPoolMaxThreads == 0 ? "Keycloak's default" : httpPoolMaxThreads);
    }

    private static OptionSpec<Integer> number(OptionParser parser, Map<OptionSpec<Integer>, Integer> minimums, String name,
            int fallback, int minimum, String help) {
        OptionSpec<Integer> spec = parser.accepts(name, help).withRequiredArg().ofType(Integer.class).defaultsTo(fallback);
        minimums.put(spec, minimum);
        return spec;
    }
}
