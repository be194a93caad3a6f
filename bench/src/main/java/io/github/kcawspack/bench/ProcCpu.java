package io.github.kcawspack.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time from /proc. The machine is shared, so a phase's throughput alone cannot tell a slower
 * server from a busier machine; who used the cores during the phase can.
 */
final class ProcCpu {

    /** USER_HZ: /proc reports CPU time in these ticks on every Linux architecture Java runs on. */
    private static final long TICKS_PER_SECOND = 100;

    /** CPU time of the machine so far: all cores together, busy and in total (busy plus idle). */
    record Machine(long busyMillis, long totalMillis) {
    }

    private ProcCpu() {
    }

    /** User plus system CPU time of a process so far, in milliseconds (/proc/PID/stat). */
    static long processMillis(long pid) {
        String stat = read(Path.of("/proc", Long.toString(pid), "stat"));
        // The command name (field 2) may contain spaces; the fields after it are counted from ')'.
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
        long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        return ticks * 1000 / TICKS_PER_SECOND;
    }

    /**
     * CPU time so far of a process's JIT compiler threads (/proc/PID/task/TID): their name
     * ({@code C1 CompilerThread0}, {@code C2 CompilerThread1}, ...) is the JVM's. Compiling is
     * warm-up, not work per request; a phase that still pays for it is not yet comparable.
     */
    static long jitCompilerMillis(long pid) {
        long ticks = 0;
        try (var threads = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path thread : threads.toList()) {
                try {
                    String stat = Files.readString(thread.resolve("stat"));
                    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                    if (name.startsWith("C1 CompilerThre") || name.startsWith("C2 CompilerThre")) {
                        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
                        ticks += Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
                    }
                } catch (IOException threadEnded) {
                    // a compiler thread that ended took its time with it; the JVM keeps at least one
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the threads of " + pid, e);
        }
        return ticks * 1000 / TICKS_PER_SECOND;
    }

    /** The first line of /proc/stat: user nice system idle iowait irq softirq steal ... */
    static Machine machine() {
        String[] fields = read(Path.of("/proc/stat")).lines().findFirst().orElseThrow().trim().split("\\s+");
        long total = 0;
        long idle = 0;
        for (int i = 1; i < fields.length && i <= 8; i++) {
            long ticks = Long.parseLong(fields[i]);
            total += ticks;
            if (i == 4 || i == 5) {
                idle += ticks;
            }
        }
        return new Machine((total - idle) * 1000 / TICKS_PER_SECOND, total * 1000 / TICKS_PER_SECOND);
    }

    private static String read(Path path) {
        try {
            return Files.readString(path);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path, e);
        }
    }
}
