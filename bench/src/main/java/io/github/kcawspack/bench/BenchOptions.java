package io.github.kcawspack.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The command line of {@code bin/bench}: every number the benchmark uses is one of these, so a
 * result can always be reproduced from the parameters recorded with it.
 */
public record BenchOptions(
        Path projectRoot,
        Path resultsDir,
        Duration serverWarmup,
        Duration serverWarmupMax,
        Duration warmup,
        Duration duration,
        int concurrency,
        int latencyConcurrency,
        int rounds,
        Duration stsLatency,
        int principals,
        int replayRequests,
        boolean jfr,
        boolean soak,
        Duration soakDuration,
        Duration soakWarmup,
        Duration soakSampleInterval,
        int soakConcurrency,
        Path keycloakJavaHome) {

    static final String USAGE = """
            bin/bench [options]            grants side by side on one Keycloak, targets checked
            bin/bench --soak [options]     mixed grants for a long time, heap and descriptors compared
            bin/bench --jmh [JMH options]  JMH: the pack's own checks per aws_identity request, no Keycloak

              --server-warmup=SECONDS      all grants at once before the first phase, not measured, at
                                           least this long and until Keycloak's JIT compiler is idle (30)
              --server-warmup-max=SECONDS  ... but no longer than this (90)
              --warmup=SECONDS             load before each measured phase, not measured (8)
              --duration=SECONDS           measured time of each phase (20)
              --concurrency=N              clients in the grant comparison phases (16)
              --latency-concurrency=N      clients in the STS latency phases (64)
              --rounds=N                   turns taken by phases compared with each other (4)
              --sts-latency-ms=MS          delay of every fake STS answer in the latency phase (50)
              --principals=N               AWS roles the aws_identity clients sign as (16)
              --replay-requests=N          requests per step of the replay store measurement (6000)
              --jfr                        record Keycloak with JFR in every measured window; jfr view of each
              --results=DIR                where results go (bench/results)
              --soak-minutes=MINUTES       soak: measured time (10)
              --soak-warmup=SECONDS        soak: load before the first measurement (60)
              --soak-sample-seconds=SECONDS  soak: time between heap and descriptor samples (60)
              --soak-concurrency=N         soak: clients, spread over the four grants (16)
              --keycloak-java-home=DIR     JDK that runs Keycloak (default: the one running the bench)
            """;

    /** The parameters as they are recorded with a result. */
    Map<String, Object> recorded() {
        Map<String, Object> recorded = new LinkedHashMap<>();
        if (soak) {
            recorded.put("soakMinutes", soakDuration.toMinutes());
            recorded.put("soakWarmupSeconds", soakWarmup.toSeconds());
            recorded.put("soakSampleSeconds", soakSampleInterval.toSeconds());
            recorded.put("soakConcurrency", soakConcurrency);
        } else {
            recorded.put("serverWarmupSeconds", serverWarmup.toSeconds());
            recorded.put("serverWarmupMaxSeconds", serverWarmupMax.toSeconds());
            recorded.put("warmupSeconds", warmup.toSeconds());
            recorded.put("durationSeconds", duration.toSeconds());
            recorded.put("concurrency", concurrency);
            recorded.put("latencyConcurrency", latencyConcurrency);
            recorded.put("rounds", rounds);
            recorded.put("stsLatencyMs", stsLatency.toMillis());
            recorded.put("replayRequests", replayRequests);
        }
        recorded.put("awsPrincipals", principals);
        recorded.put("jfr", jfr);
        return recorded;
    }

    public static BenchOptions parse(String[] args) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String arg : args) {
            if (!arg.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument " + arg);
            }
            int equals = arg.indexOf('=');
            values.put(equals < 0 ? arg.substring(2) : arg.substring(2, equals), equals < 0 ? "" : arg.substring(equals + 1));
        }
        Options options = new Options(values);
        Path root = Path.of(options.text("project-root", ".")).toAbsolutePath().normalize();
        BenchOptions parsed = new BenchOptions(
                root,
                Path.of(options.text("results", root.resolve("bench/results").toString())).toAbsolutePath(),
                Duration.ofSeconds(options.number("server-warmup", 30, 0)),
                Duration.ofSeconds(options.number("server-warmup-max", 90, 0)),
                Duration.ofSeconds(options.number("warmup", 8, 0)),
                Duration.ofSeconds(options.number("duration", 20, 1)),
                options.number("concurrency", 16, 1),
                options.number("latency-concurrency", 64, 1),
                options.number("rounds", 4, 1),
                Duration.ofMillis(options.number("sts-latency-ms", 50, 0)),
                options.number("principals", 16, 1),
                options.number("replay-requests", 6_000, 100),
                options.flag("jfr"),
                options.flag("soak"),
                Duration.ofMinutes(options.number("soak-minutes", 10, 1)),
                Duration.ofSeconds(options.number("soak-warmup", 60, 0)),
                Duration.ofSeconds(options.number("soak-sample-seconds", 60, 5)),
                options.number("soak-concurrency", 16, 4),
                options.optionalPath("keycloak-java-home"));
        options.requireAllUsed();
        return parsed;
    }

    /** Reads named values once each, so that a misspelt option is an error, not a silent default. */
    private static final class Options {
        private final Map<String, String> values;

        Options(Map<String, String> values) {
            this.values = new LinkedHashMap<>(values);
        }

        String text(String name, String fallback) {
            String value = values.remove(name);
            return value == null || value.isEmpty() ? fallback : value;
        }

        Path optionalPath(String name) {
            String value = values.remove(name);
            return value == null || value.isEmpty() ? null : Path.of(value);
        }

        int number(String name, int fallback, int minimum) {
            String value = values.remove(name);
            if (value == null) {
                return fallback;
            }
            try {
                int number = Integer.parseInt(value);
                if (number >= minimum) {
                    return number;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new IllegalArgumentException("--" + name + " must be a whole number, at least " + minimum + ", not '" + value + "'");
        }

        boolean flag(String name) {
            String value = values.remove(name);
            if (value != null && !value.isEmpty()) {
                throw new IllegalArgumentException("--" + name + " takes no value");
            }
            return value != null;
        }

        void requireAllUsed() {
            if (!values.isEmpty()) {
                throw new IllegalArgumentException("unknown option(s): --" + String.join(", --", values.keySet()));
            }
        }
    }
}
