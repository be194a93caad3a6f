package io.github.kcawspack.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;

/**
 * CPU time in milliseconds over {@code wallMillis}, of Keycloak, of its JIT compiler threads, of
 * this JVM (load and fake STS) and of the whole machine: on a shared machine, throughput alone
 * cannot tell a slower server from a busier machine; who used the cores can.
 */
record Cpu(double wallMillis, long keycloakMillis, long keycloakJitMillis, long benchMillis, long machineMillis) {

    static final Cpu NONE = new Cpu(0, 0, 0, 0, 0);
    /** USER_HZ: /proc reports CPU time in these ticks on every Linux architecture Java runs on. */
    private static final long MILLIS_PER_TICK = 10;

    static Cpu now(ProcessHandle keycloak) {
        return new Cpu(System.nanoTime() / 1e6, processMillis(keycloak), jitCompilerMillis(keycloak.pid()),
                processMillis(ProcessHandle.current()), machineBusyMillisSoFar());
    }

    Cpu since(Cpu earlier) {
        return plus(new Cpu(-earlier.wallMillis, -earlier.keycloakMillis, -earlier.keycloakJitMillis, -earlier.benchMillis,
                -earlier.machineMillis));
    }

    Cpu plus(Cpu other) {
        return new Cpu(wallMillis + other.wallMillis, keycloakMillis + other.keycloakMillis,
                keycloakJitMillis + other.keycloakJitMillis, benchMillis + other.benchMillis, machineMillis + other.machineMillis);
    }

    /** Keycloak's CPU per token without its JIT compiler: unlike tokens/s, hardly moved by what else runs. */
    double keycloakMsPer(long tokens) {
        return tokens == 0 ? Double.NaN : (double) (keycloakMillis - keycloakJitMillis) / tokens;
    }

    /** In cores (1.0: one core all the time), as the next three. */
    double keycloakCores() {
        return keycloakMillis / wallMillis;
    }

    double keycloakJitCores() {
        return keycloakJitMillis / wallMillis;
    }

    double benchCores() {
        return benchMillis / wallMillis;
    }

    /** Everything else on the machine: other engineers' builds and servers, the OS. */
    double othersCores() {
        return Math.max(0, machineMillis - keycloakMillis - benchMillis) / wallMillis;
    }

    /** User plus system CPU time of a process so far: the JDK's own reading. */
    static long processMillis(ProcessHandle process) {
        return process.info().totalCpuDuration().map(Duration::toMillis)
                .orElseThrow(() -> new IllegalStateException("no CPU time for process " + process.pid()));
    }

    /** CPU time so far of a JVM's JIT compiler threads, from /proc: no JDK API shows another JVM's threads. */
    static long jitCompilerMillis(long pid) {
        try (var threads = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            return threads.mapToLong(thread -> {
                String stat;
                try {
                    stat = Files.readString(thread.resolve("stat"));
                } catch (IOException ended) {
                    return 0; // a compiler thread that ended took its time with it; the JVM keeps at least one
                }
                // the name may contain spaces; after it: state, ..., utime (12th), stime (13th)
                String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                return stat.matches("(?s)\\d+ \\(C[12] CompilerThre.*")
                        ? (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * MILLIS_PER_TICK : 0;
            }).sum();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the threads of " + pid, e);
        }
    }

    /** Busy CPU time of the machine so far (/proc/stat less idle and iowait): the JDK has no cumulative figure. */
    static long machineBusyMillisSoFar() {
        long[] ticks = Arrays.stream(Results.read(Path.of("/proc/stat")).lines().findFirst().orElseThrow().trim()
                .split("\\s+")).skip(1).limit(8).mapToLong(Long::parseLong).toArray();
        return (Arrays.stream(ticks).sum() - ticks[3] - ticks[4]) * MILLIS_PER_TICK;
    }
}
