package io.github.kcawspack.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Keycloak's JVM seen from outside, the way an operator would look at it: {@code jcmd} for the
 * heap and JFR, {@code /proc} for file descriptors (no JDK API counts another process's).
 * Nothing runs inside Keycloak.
 */
final class KeycloakJvm {

    private final ProcessHandle process;
    private final long pid;
    private final Path jcmd;

    KeycloakJvm(ProcessHandle jvm, Path javaHome) {
        this.process = jvm;
        this.pid = jvm.pid();
        this.jcmd = javaHome.resolve("bin/jcmd");
    }

    ProcessHandle process() {
        return process;
    }

    long pid() {
        return pid;
    }

    /**
     * Bytes of Keycloak's live objects: {@code jcmd GC.class_histogram} runs a full GC and counts
     * what survives within the same pause. The heap's "used" figure read after {@code GC.run}
     * would also count whatever the load allocated between the two commands, tens of megabytes
     * when requests keep coming (the soak).
     */
    long heapUsedAfterGc() {
        return liveObjects().totalBytes();
    }

    /** Live objects by class, after a full GC. */
    ClassHistogram liveObjects() {
        return ClassHistogram.parse(classHistogram());
    }

    /** Entries of /proc/PID/fd: sockets, files and pipes Keycloak holds open. */
    int openFileDescriptors() {
        try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            return (int) fds.count();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list Keycloak's file descriptors", e);
        }
    }

    void startRecording(String name) {
        jcmd("JFR.start", "name=" + name, "settings=profile");
    }

    /** Writes the recording to {@code file} and ends it. */
    void stopRecording(String name, Path file) {
        jcmd("JFR.stop", "name=" + name, "filename=" + file.toAbsolutePath());
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
