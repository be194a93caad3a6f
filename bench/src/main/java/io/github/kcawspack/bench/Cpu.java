package io.github.kcawspack.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;

/**
 * CPU time in milliseconds, of Keycloak (its JIT compiler threads' apart), of this JVM (load
 * generator and fake STS) and of the whole machine (all cores), over {@code wallMillis}: either so
 * far ({@link #now}), or used between two readings ({@link #since}); stretches add up. The machine
 * is shared, so a phase's throughput alone cannot tell a slower server from a busier machine; who
 * used the cores during the phase can.
 *
 * @param keycloakMillis    Keycloak's, its JIT compiler included
 * @param keycloakJitMillis the part of it that compiled code (warm-up, not per-request work)
 * @param keycloakGcMillis  the part of it its garbage collector's threads used (G1's {@code GC Thread#N}
 *                          and {@code G1 ...} threads), per-request work all the same
 * @param keycloakSwitches  context switches of Keycloak's threads, voluntary (a thread waited: a lock,
 *                          a socket, a queue) and not (the scheduler took the core away)
 */
record Cpu(double wallMillis, long keycloakMillis, long keycloakJitMillis, long keycloakGcMillis, long keycloakSwitches,
        long benchMillis, long machineMillis) {

    static final Cpu NONE = new Cpu(0, 0, 0, 0, 0, 0, 0);
    /** USER_HZ: /proc reports CPU time in these ticks on every Linux architecture Java runs on. */
    private static final long MILLIS_PER_TICK = 10;

    /** CPU used so far by Keycloak ({@code keycloak}), this JVM and the machine. */
    static Cpu now(ProcessHandle keycloak) {
        Threads threads = Threads.of(keycloak.pid());
        return new Cpu(System.nanoTime() / 1e6, processMillis(keycloak), threads.jitMillis(), threads.gcMillis(),
                threads.switches(), processMillis(ProcessHandle.current()), machineBusyMillisSoFar());
    }

    Cpu since(Cpu earlier) {
        return new Cpu(wallMillis - earlier.wallMillis, keycloakMillis - earlier.keycloakMillis,
                keycloakJitMillis - earlier.keycloakJitMillis, keycloakGcMillis - earlier.keycloakGcMillis,
                keycloakSwitches - earlier.keycloakSwitches, benchMillis - earlier.benchMillis,
                machineMillis - earlier.machineMillis);
    }

    Cpu plus(Cpu other) {
        return new Cpu(wallMillis + other.wallMillis, keycloakMillis + other.keycloakMillis,
                keycloakJitMillis + other.keycloakJitMillis, keycloakGcMillis + other.keycloakGcMillis,
                keycloakSwitches + other.keycloakSwitches, benchMillis + other.benchMillis,
                machineMillis + other.machineMillis);
    }

    /** Keycloak's garbage collector threads, in cores. */
    double keycloakGcCores() {
        return keycloakGcMillis / wallMillis;
    }

    /** Context switches of Keycloak's threads per token: thread hand-offs and waits a token costs. */
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
     * What a process's threads used so far, from /proc/PID/task/TID/{stat,status}: no JDK API shows
     * another JVM's threads, not even its compiler or GC threads. A thread that ended took its
     * share with it; the JVM keeps at least one compiler and its GC threads.
     *
     * @param jitMillis CPU of the JIT compiler threads ({@code C1 CompilerThread0}, ...)
     * @param gcMillis  CPU of the garbage collector's threads
     * @param switches  context switches of all threads, voluntary and not
     */
    record Threads(long jitMillis, long gcMillis, long switches) {

        static Threads of(long pid) {
            long jitTicks = 0;
            long gcTicks = 0;
            long switches = 0;
            try (var threads = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
                for (Path thread : threads.toList()) {
                    String stat;
                    String status;
                    try {
                        stat = Files.readString(thread.resolve("stat"));
                        status = Files.readString(thread.resolve("status"));
                    } catch (IOException threadEnded) {
                        continue;
                    }
                    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                    // after the name, which may contain spaces: state, ..., utime (12th), stime (13th)
                    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
                    long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
                    if (name.startsWith("C1 CompilerThre") || name.startsWith("C2 CompilerThre")) {
                        jitTicks += ticks;
                    } else if (name.startsWith("GC Thread") || name.startsWith("G1 ")) {
                        gcTicks += ticks;
                    }
                    switches += status.lines().filter(line -> line.startsWith("voluntary_ctxt_switches:")
                            || line.startsWith("nonvoluntary_ctxt_switches:"))
                            .mapToLong(line -> Long.parseLong(line.substring(line.indexOf(':') + 1).trim())).sum();
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list the threads of " + pid, e);
            }
            return new Threads(jitTicks * MILLIS_PER_TICK, gcTicks * MILLIS_PER_TICK, switches);
        }
    }

    /**
     * Busy CPU time of the whole machine so far, all cores: /proc/stat's first line less idle and
     * iowait. The JDK's OperatingSystemMXBean has only a recent-load ratio, no cumulative time.
     */
    static long machineBusyMillisSoFar() {
        long[] ticks = Arrays.stream(Results.read(Path.of("/proc/stat")).lines().findFirst().orElseThrow().trim()
                .split("\\s+")).skip(1).limit(8).mapToLong(Long::parseLong).toArray();
        return (Arrays.stream(ticks).sum() - ticks[3] - ticks[4]) * MILLIS_PER_TICK;
    }
}
