package io.github.kcawspack.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.kcawspack.it.FakeAwsTokenIssuer;
import io.github.kcawspack.it.fakests.FakeSts;
import io.github.kcawspack.it.harness.KeycloakExtension;
import io.github.kcawspack.it.harness.KeycloakServer;
import io.github.kcawspack.it.harness.OAuthClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the benchmark runs against, started with the integration harness: the assembled Keycloak
 * (server/target/keycloak) as its own process, in development mode on its embedded database, with
 * the pack and the demo realm, its STS endpoint pointed at the fake STS in this JVM, and an
 * AWS-shaped JWT issuer on loopback (this JVM too) configured in the demo realm. Keycloak's JVM is
 * read from outside, as an operator would: {@code jcmd} for live objects and JFR,
 * {@code /proc/PID/fd} for descriptors (no JDK API counts another process's). Nothing runs inside Keycloak.
 */
final class BenchServer implements AutoCloseable {

    /** kc.sh start-dev's mode, recorded with the results. */
    static final String KEYCLOAK_MODE = "kc.sh start-dev: development mode, embedded H2 database, local caches";

    private final FakeSts sts;
    private final FakeAwsTokenIssuer jwtIssuer;
    private final KeycloakServer keycloak;
    private final Path javaHome;

    private BenchServer(FakeSts sts, FakeAwsTokenIssuer jwtIssuer, KeycloakServer keycloak, Path javaHome) {
        this.sts = sts;
        this.jwtIssuer = jwtIssuer;
        this.keycloak = keycloak;
        this.javaHome = javaHome;
    }

    static BenchServer start(BenchOptions options) {
        Path javaHome = options.keycloakJavaHome() != null ? options.keycloakJavaHome() : Path.of(System.getProperty("java.home"));
        FakeSts sts = FakeSts.start();
        FakeAwsTokenIssuer jwtIssuer = FakeAwsTokenIssuer.start();
        try {
            Map<String, String> environment = DemoRealm.environment(options.maxConcurrentCalls());
            environment.put(KeycloakExtension.STS_ENDPOINT_VARIABLE, sts.baseUrl() + "/");
            // 10 minutes: on a 2-core machine shared with other builds (load average 20), start-dev's
            // augmentation and first start took more than 5.
            KeycloakServer keycloak = KeycloakServer.start(options.projectRoot().resolve("server/target/keycloak"),
                    options.projectRoot().resolve("bench/target/keycloak"), options.keycloakJavaHome(),
                    Duration.ofMinutes(10), environment);
            BenchServer server = new BenchServer(sts, jwtIssuer, keycloak, javaHome);
            server.addWebIdentityIssuer();
            return server;
        } catch (RuntimeException e) {
            jwtIssuer.close();
            sts.close();
            throw e;
        }
    }

    /**
     * The jwt-bearer grant's issuer, as an administrator adds an AWS account on the admin console
     * page aws-web-identity-issuers (README, "AWS-issued JWTs"): an item of the demo realm naming
     * the local issuer and account 123456789012, whose roles the realm's binding "any role of the
     * account" admits; the client aws-workload is already switched on for AWS identities.
     */
    private void addWebIdentityIssuer() {
        try {
            String realmId = new ObjectMapper().readTree(OAuthClient.admin(keycloak, "GET", "/admin/realms/" + DemoRealm.REALM,
                    null)).path("id").asText();
            OAuthClient.admin(keycloak, "POST", "/admin/realms/" + DemoRealm.REALM + "/components", """
                    {"name": "bench AWS account", "parentId": "%s", "providerId": "aws-web-identity-issuers",
                     "providerType": "%s", "config": {"issuer": ["%s"], "account": ["%s"], "maxLifetimeSeconds": ["%d"]}}"""
                    .formatted(realmId, DemoRealm.PAGE_COMPONENT_TYPE, jwtIssuer.issuer(), RequestPool.ACCOUNT,
                            RequestPool.TOKEN_LIFETIME.toSeconds()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    FakeSts sts() {
        return sts;
    }

    FakeAwsTokenIssuer jwtIssuer() {
        return jwtIssuer;
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

    /** Runs {@code jcmd PID command...} (e.g. {@code JFR.start name=x}) against Keycloak and returns its output. */
    String jcmd(String... command) {
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
            jwtIssuer.close();
            sts.close();
        }
    }

    /**
     * Live objects per class, as {@code jcmd PID GC.class_histogram} prints them after a full GC.
     *
     * @param byClass    instances and bytes per class name
     * @param totalBytes bytes of all live objects: what the full GC left, object by object, without
     *                   the partly used regions that the heap's "used" figure also counts
     */
    record ClassHistogram(Map<String, Delta> byClass, long totalBytes) {

        /** What a class has, or gained between two histograms. */
        record Delta(String className, long instances, long bytes) {
        }

        // "   1:        123456        9876543  [B (java.base@17.0.15)"  and  "Total        150100        9204000"
        private static final Pattern ROW = Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+)|^Total\\s+\\d+\\s+(\\d+)");

        static ClassHistogram parse(String jcmdOutput) {
            Map<String, Delta> byClass = new HashMap<>();
            long total = -1;
            for (String line : jcmdOutput.split("\n")) {
                Matcher row = ROW.matcher(line);
                if (!row.find()) {
                    continue;
                }
                if (row.group(4) != null) {
                    total = Long.parseLong(row.group(4));
                } else {
                    byClass.merge(row.group(3), new Delta(row.group(3), Long.parseLong(row.group(1)), Long.parseLong(row.group(2))),
                            (a, b) -> new Delta(a.className(), a.instances() + b.instances(), a.bytes() + b.bytes()));
                }
            }
            if (total < 0) {
                throw new IllegalStateException("no Total line in the class histogram:\n" + jcmdOutput);
            }
            return new ClassHistogram(byClass, total);
        }

        /** The classes that grew most (in bytes) from {@code earlier} to this histogram. */
        List<Delta> largestGrowthSince(ClassHistogram earlier, int limit) {
            return deltasSince(earlier).stream().filter(delta -> delta.bytes() > 0)
                    .sorted(Comparator.comparingLong(Delta::bytes).reversed()).limit(limit).toList();
        }

        /** The classes that shrank most (in bytes): what else moved the heap while something was measured. */
        List<Delta> largestShrinkSince(ClassHistogram earlier, int limit) {
            return deltasSince(earlier).stream().filter(delta -> delta.bytes() < 0)
                    .sorted(Comparator.comparingLong(Delta::bytes)).limit(limit).toList();
        }

        private List<Delta> deltasSince(ClassHistogram earlier) {
            Set<String> classes = new HashSet<>(byClass.keySet());
            classes.addAll(earlier.byClass.keySet());
            Delta none = new Delta("", 0, 0);
            return classes.stream().map(name -> new Delta(name,
                    byClass.getOrDefault(name, none).instances() - earlier.byClass.getOrDefault(name, none).instances(),
                    byClass.getOrDefault(name, none).bytes() - earlier.byClass.getOrDefault(name, none).bytes())).toList();
        }
    }
}
