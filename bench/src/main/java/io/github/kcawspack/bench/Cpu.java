package io.github.kcawspack.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;

/**
 * CPU time in milliseconds over {@code wallMillis}, of Keycloak, of its JIT compiler and garbage
 * collector threads, of this JVM (load and fake STS) and of the whole machine, and the context
 * switches of Keycloak's threads: on a shared machine, throughput alone cannot tell a slower
 * server from a busier machine; who used the cores can.
 */
record Cpu(double wallMillis, long keycloakMillis, long keycloakJitMillis, long keycloakGcMillis, long keycloakSwitches,
        long benchMillis, long machineMillis) {

    static final Cpu NONE = new Cpu(0, 0, 0, 0, 0, 0, 0);
    /** USER_HZ: /proc reports CPU time in these ticks on every Linux architecture Java runs on. */
    private static final long MILLIS_PER_TICK = 10;

    static Cpu now(ProcessHandle keycloak) {
        Threads threads = Threads.of(keycloak.pid());
        return new Cpu(System.nanoTime() / 1e6, processMillis(keycloak), threads.jitMillis(), threads.gcMillis(),
                threads.switches(), processMillis(ProcessHandle.current()), machineBusyMillisSoFar());
    }

    Cpu since(Cpu earlier) {
        return plus(new Cpu(-earlier.wallMillis, -earlier.keycloakMillis, -earlier.keycloakJitMillis, -earlier.keycloakGcMillis,
                -earlier.keycloakSwitches, -earlier.benchMillis, -earlier.machineMillis));
    }

    Cpu plus(Cpu other) {
        return new Cpu(wallMillis + other.wallMillis, keycloakMillis + other.keycloakMillis,
                keycloakJitMillis + other.keycloakJitMillis, keycloakGcMillis + other.keycloakGcMillis,
                keycloakSwitches + other.keycloakSwitches, benchMillis + other.benchMillis, machineMillis + other.machineMillis);
    }

    /** Keycloak's garbage collector threads (part of its CPU per token), in cores. */
    double keycloakGcCores() {
        return keycloakGcMillis / wallMillis;
    }

    /** Context switches of Keycloak's threads per token: how often a token's work waited (a lock, a socket) or lost its core. */
    double keycloakSwitchesPer(long tokens) {
        return tokens == 0 ? Double.NaN : (double) keycloakSwitches / tokens;
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

    /**
     * What a JVM's threads used so far, from /proc/PID/task/TID/{stat,status}: no JDK API shows
     * another JVM's threads. A thread that ended took its share with it; the JVM keeps at least
     * one compiler thread and its GC threads.
     *
     * @param jitMillis CPU of the JIT compiler threads ({@code C1 CompilerThread0}, ...)
     * @param gcMillis  CPU of G1's threads ({@code GC Thread#N}, {@code G1 ...})
     * @param switches  context switches of all threads, voluntary and not
     */
    record Threads(long jitMillis, long gcMillis, long switches) {

        static Threads of(long pid) {
            try (var threads = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
                return threads.map(Threads::ofThread).reduce(new Threads(0, 0, 0),
                        (a, b) -> new Threads(a.jitMillis + b.jitMillis, a.gcMillis + b.gcMillis, a.switches + b.switches));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list the threads of " + pid, e);
            }
        }

        private static Threads ofThread(Path thread) {
            String stat;
            String status;
            try {
                stat = Files.readString(thread.resolve("stat"));
                status = Files.readString(thread.resolve("status"));
            } catch (IOException ended) {
                return new Threads(0, 0, 0);
            }
            String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
            // after the name, which may contain spaces: state, ..., utime (12th), stime (13th)
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long millis = (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * MILLIS_PER_TICK;
            boolean jit = name.startsWith("C1 CompilerThre") || name.startsWith("C2 CompilerThre");
            boolean gc = name.startsWith("GC Thread") || name.startsWith("G1 ");
            long switches = status.lines().filter(line -> line.matches("(non)?voluntary_ctxt_switches:.*"))
                    .mapToLong(line -> Long.parseLong(line.substring(line.indexOf(':') + 1).trim())).sum();
            return new Threads(jit ? millis : 0, gc ? millis : 0, switches);
        }
    }

    /** Busy CPU time of the machine so far (/proc/stat less idle and iowait): the JDK has no cumulative figure. */
    static long machineBusyMillisSoFar() {
        long[] ticks = Arrays.stream(Results.read(Path.of("/proc/stat")).lines().findFirst().orElseThrow().trim()
                .split("\\s+")).skip(1).limit(8).mapToLong(Long::parseLong).toArray();
        return (Arrays.stream(ticks).sum() - ticks[3] - ticks[4]) * MILLIS_PER_TICK;
    }
}
