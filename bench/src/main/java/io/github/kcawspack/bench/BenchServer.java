package io.github.kcawspack.bench;

import io.github.kcawspack.it.fakests.FakeSts;
import io.github.kcawspack.it.harness.KeycloakExtension;
import io.github.kcawspack.it.harness.KeycloakServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What the benchmark runs against, started with the integration harness: the assembled Keycloak
 * (server/target/keycloak) as its own process, in development mode on its embedded database, with
 * the pack and the demo realm, its STS endpoint pointed at the fake STS in this JVM. Keycloak's
 * JVM is read from outside, as an operator would: {@code jcmd} for live objects and JFR,
 * {@code /proc/PID/fd} for descriptors (no JDK API counts another process's). Nothing runs inside Keycloak.
 */
final class BenchServer implements AutoCloseable {

    /** kc.sh start-dev's mode, recorded with the results. */
    static final String KEYCLOAK_MODE = "kc.sh start-dev: development mode, embedded H2 database, local caches";

    private final FakeSts sts;
    private final KeycloakServer keycloak;
    private final Path javaHome;

    private BenchServer(FakeSts sts, KeycloakServer keycloak, Path javaHome) {
        this.sts = sts;
        this.keycloak = keycloak;
        this.javaHome = javaHome;
    }

    static BenchServer start(BenchOptions options) {
        Path javaHome = options.keycloakJavaHome() != null ? options.keycloakJavaHome() : Path.of(System.getProperty("java.home"));
        FakeSts sts = FakeSts.start();
        try {
            Map<String, String> environment = DemoRealm.environment(options.maxConcurrentCalls());
            environment.put(KeycloakExtension.STS_ENDPOINT_VARIABLE, sts.baseUrl() + "/");
            // 10 minutes: on a 2-core machine shared with other builds (load average 20), start-dev's
            // augmentation and first start took more than 5.
            KeycloakServer keycloak = KeycloakServer.start(options.projectRoot().resolve("server/target/keycloak"),
                    options.projectRoot().resolve("bench/target/keycloak"), options.keycloakJavaHome(),
                    Duration.ofMinutes(10), environment);
            return new BenchServer(sts, keycloak, javaHome);
        } catch (RuntimeException e) {
            sts.close();
            throw e;
        }
    }

    FakeSts sts() {
        return sts;
    }

    ProcessHandle process() {
        return keycloak.jvm();
    }

    String version() {
        return keycloak.version();
    }

    Path javaHome() {
        return javaHome;
    }

    Path log() {
        return keycloak.log();
    }

    String realmUrl() {
        return keycloak.realmUrl(DemoRealm.REALM);
    }

    TokenEndpoint tokenEndpoint() {
        return new TokenEndpoint(URI.create(keycloak.tokenEndpoint(DemoRealm.REALM)));
    }

    /**
     * Keycloak's live objects by class: {@code jcmd GC.class_histogram} runs a full GC and counts
     * what survives within the same pause. The heap's "used" figure read after {@code GC.run} would
     * also count what the load allocated between the two commands, tens of MB under load (the soak).
     */
    ClassHistogram liveObjects() {
        return ClassHistogram.parse(jcmd("GC.class_histogram"));
    }

    /** Entries of /proc/PID/fd: sockets, files and pipes Keycloak holds open. */
    int openFileDescriptors() {
        try (var fds = Files.list(Path.of("/proc", Long.toString(process().pid()), "fd"))) {
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

    private String jcmd(String... command) {
        List<String> line = new ArrayList<>(List.of(javaHome.resolve("bin/jcmd").toString(), Long.toString(process().pid())));
        line.addAll(List.of(command));
        try {
            Process jcmd = new ProcessBuilder(line).redirectErrorStream(true).start();
            String output = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!jcmd.waitFor(120, TimeUnit.SECONDS) || jcmd.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", line) + " failed:\n" + output);
            }
            return output;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + line, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running jcmd", e);
        }
    }

    @Override
    public void close() {
        try {
            keycloak.close();
        } finally {
            sts.close();
        }
    }
}
