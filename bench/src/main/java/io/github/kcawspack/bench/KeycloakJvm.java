package io.github.kcawspack.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Keycloak's JVM seen from outside, the way an operator would look at it: {@code jcmd} for the
 * heap and JFR, {@code /proc} for file descriptors and CPU time. Nothing runs inside Keycloak.
 */
final class KeycloakJvm {

    // G1: " garbage-first heap   total 262144K, used 123456K [0x..."
    private static final Pattern HEAP_USED = Pattern.compile("heap\\s+total \\d+K, used (\\d+)K");

    private final long pid;
    private final Path jcmd;

    KeycloakJvm(ProcessHandle jvm, Path javaHome) {
        this.pid = jvm.pid();
        this.jcmd = javaHome.resolve("bin/jcmd");
    }

    long pid() {
        return pid;
    }

    /** Bytes of heap in use right after a full GC: what Keycloak really keeps. */
    long heapUsedAfterGc() {
        jcmd("GC.run");
        String info = jcmd("GC.heap_info");
        Matcher used = HEAP_USED.matcher(info);
        if (!used.find()) {
            throw new IllegalStateException("cannot read the heap from jcmd GC.heap_info:\n" + info);
        }
        return Long.parseLong(used.group(1)) * 1024;
    }

    /** Entries of /proc/PID/fd: sockets, files and pipes Keycloak holds open. */
    int openFileDescriptors() {
        try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            return (int) fds.count();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list Keycloak's file descriptors", e);
        }
    }

    /** User plus system CPU time Keycloak's process used so far, in milliseconds. */
    long cpuMillis() {
        return ProcCpu.processMillis(pid);
    }

    /** CPU time Keycloak's JIT compiler threads used so far, in milliseconds. */
    long jitMillis() {
        return ProcCpu.jitCompilerMillis(pid);
    }

    void startRecording(String name) {
        jcmd("JFR.start", "name=" + name, "settings=profile");
    }

    void dumpRecording(String name, Path file) {
        jcmd("JFR.dump", "name=" + name, "filename=" + file.toAbsolutePath());
    }

    void stopRecording(String name) {
        jcmd("JFR.stop", "name=" + name);
    }

    /** Live objects by class after a full GC, the largest first, as jcmd prints them. */
    String classHistogram() {
        return jcmd("GC.class_histogram");
    }

    private String jcmd(String... command) {
        List<String> line = new ArrayList<>(List.of(jcmd.toString(), Long.toString(pid)));
        line.addAll(List.of(command));
        try {
            Process process = new ProcessBuilder(line).redirectErrorStream(true).start();
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", line) + " failed:\n" + new String(output, StandardCharsets.UTF_8));
            }
            return new String(output, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + jcmd, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running jcmd", e);
        }
    }
}
