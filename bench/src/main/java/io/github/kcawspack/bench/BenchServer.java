package io.github.kcawspack.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.kcawspack.it.FakeAwsTokenIssuer;
import io.github.kcawspack.it.fakests.FakeSts;
import io.github.kcawspack.it.harness.KeycloakExtension;
import io.github.kcawspack.it.harness.KeycloakServer;
import io.github.kcawspack.it.harness.PolicyComponents;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The assembled Keycloak with the pack and the demo realm, started by the integration harness, with
 * the fake STS and an AWS-shaped JWT issuer in this JVM. Keycloak is read from outside, as an
 * operator would ({@code jcmd} of {@code javaHome}, {@code /proc/PID/fd}): nothing runs inside it.
 */
record BenchServer(FakeSts sts, FakeAwsTokenIssuer jwtIssuer, KeycloakServer keycloak, Path javaHome) implements AutoCloseable {

    static final String KEYCLOAK_MODE = "kc.sh start-dev: development mode, embedded H2 database, local caches";
    static final String REALM = "demo";
    static final String AWS_IDENTITY = "aws_identity";
    static final String JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer";
    /** The demo realm's public client for aws_identity and jwt-bearer; no refresh tokens. */
    static final String AWS_WORKLOAD = "aws-workload";
    /** Keycloak's own grants go through this confidential client, its secret in HTTP Basic as RFC 6749 prefers. */
    private static final String TESTCLIENT = "testclient";
    private static final String TESTCLIENT_SECRET = "testclient-dev-secret";
    private static final String[][] USERS = {{"alice", "alice-dev-password"}, {"bob", "bob-dev-password"}};
    /** Keycloak's HttpClientProvider pool (all routes, per route: STS is one), 26.7.3's defaults set explicitly for target 4. */
    static final int STS_POOL_TOTAL = 128;
    static final int STS_POOL_PER_ROUTE = 64;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Starts all three; the export's secrets set explicitly, so that the caller's shell cannot change them. */
    static BenchServer start(BenchOptions options) throws IOException {
        Path javaHome = options.keycloakJavaHome() != null ? options.keycloakJavaHome() : Path.of(System.getProperty("java.home"));
        FakeSts sts = FakeSts.start();
        FakeAwsTokenIssuer jwtIssuer = FakeAwsTokenIssuer.start();
        KeycloakServer keycloak = null;
        try {
            Map<String, String> environment = new HashMap<>(Map.of("TESTCLIENT_SECRET", TESTCLIENT_SECRET,
                    "ALICE_PASSWORD", USERS[0][1], "BOB_PASSWORD", USERS[1][1],
                    "KC_SPI_CONNECTIONS_HTTP_CLIENT__DEFAULT__CONNECTION_POOL_SIZE", Integer.toString(STS_POOL_TOTAL),
                    "KC_SPI_CONNECTIONS_HTTP_CLIENT__DEFAULT__MAX_POOLED_PER_ROUTE", Integer.toString(STS_POOL_PER_ROUTE),
                    KeycloakExtension.STS_ENDPOINT_VARIABLE, sts.baseUrl() + "/"));
            if (options.httpPoolMaxThreads() > 0) {
                // Explicit: the harness passes Keycloak no KC_* variable of the caller's environment.
                environment.put("KC_HTTP_POOL_MAX_THREADS", Integer.toString(options.httpPoolMaxThreads()));
            }
            if (options.maxConcurrentCalls() > 0) {
                environment.put("KC_SPI_AUTHENTICATOR__AWS_IDENTITY__MAX_CONCURRENT_CALLS",
                        Integer.toString(options.maxConcurrentCalls()));
            }
            // 10 minutes: on a 2-core machine shared with other builds (load average 20), start-dev's
            // augmentation and first start took more than 5.
            keycloak = KeycloakServer.start(options.projectRoot().resolve("server/target/keycloak"),
                    options.projectRoot().resolve("bench/target/keycloak"), options.keycloakJavaHome(),
                    Duration.ofMinutes(10), environment);
            BenchServer server = new BenchServer(sts, jwtIssuer, keycloak, javaHome);
            // The jwt-bearer grant's issuer, as an administrator adds an AWS account on the admin
            // console page aws-web-identity-issuers (README, "AWS-issued JWTs"); the demo realm's
            // binding "any role of the account" admits its roles.
            PolicyComponents.create(keycloak, REALM, (ObjectNode) JSON.readTree("""
                    {"name": "bench AWS account", "providerId": "aws-web-identity-issuers", "config": {"issuer": ["%s"],
                     "account": ["%s"], "maxLifetimeSeconds": ["%d"]}}""".formatted(jwtIssuer.issuer(), RequestPool.ACCOUNT,
                    RequestPool.TOKEN_LIFETIME.toSeconds())));
            return server;
        } catch (Throwable e) { // an Error too: a Keycloak left running would outlive the bench
            new BenchServer(sts, jwtIssuer, keycloak, javaHome).close();
            throw e;
        }
    }

    ProcessHandle process() {
        return keycloak.jvm();
    }

    String realmUrl() {
        return keycloak.realmUrl(REALM);
    }

    Load load() {
        return new Load(URI.create(keycloak.tokenEndpoint(REALM)));
    }

    static Load.Source clientCredentials() {
        Load.Request request = confidential(Map.of("grant_type", "client_credentials"));
        return worker -> request;
    }

    /** Worker n logs in as alice or bob, by turns of n. */
    static Load.Source password() {
        Load.Request[] logins = {passwordLogin(0), passwordLogin(1)};
        return worker -> logins[worker % logins.length];
    }

    /** Each worker refreshes its own refresh token: the demo realm does not revoke them on use. */
    Load.Source refreshToken(int workers) throws IOException, InterruptedException {
        Load load = load();
        Load.Request[] refreshes = new Load.Request[workers];
        for (int worker = 0; worker < workers; worker++) {
            String token = JSON.readTree(load.obtain(passwordLogin(worker))).required("refresh_token").asText();
            refreshes[worker] = confidential(Map.of("grant_type", "refresh_token", "refresh_token", token));
        }
        return worker -> refreshes[worker];
    }

    private static Load.Request passwordLogin(int worker) {
        String[] user = USERS[worker % USERS.length];
        return confidential(Map.of("grant_type", "password", "username", user[0], "password", user[1]));
    }

    private static Load.Request confidential(Map<String, String> parameters) {
        return Load.Request.of(parameters, TESTCLIENT, TESTCLIENT_SECRET);
    }

    /**
     * How long the replay guard remembers a signed request in the demo realm, in seconds, {usual,
     * longest}: maxAgeSeconds plus the guard's one-minute margin, and the clock skew on top.
     */
    static long[] replayLifespans(Path projectRoot) throws IOException {
        JsonNode realm = JSON.readTree(projectRoot.resolve("realm-export/demo-realm.json").toFile());
        for (JsonNode item : realm.path("components").path(PolicyComponents.PAGE_TYPE)) {
            if ("aws-identity-settings".equals(item.path("providerId").asText())) {
                JsonNode settings = item.path("config"); // config values are lists
                long maxAge = settings.path("maxAgeSeconds").path(0).asLong(900);
                return new long[] {maxAge + 60, maxAge + settings.path("clockSkewSeconds").path(0).asLong(300) + 60};
            }
        }
        throw new IllegalStateException("the demo realm has no aws-identity-settings item");
    }

    /**
     * Keycloak's live objects by class, counted in the pause of the full GC; the heap's "used" after
     * {@code GC.run} would also count what the load allocated in between, tens of MB in the soak.
     */
    ClassHistogram liveObjects() {
        return ClassHistogram.parse(jcmd("GC.class_histogram"));
    }

    int openFileDescriptors() throws IOException {
        try (var fds = Files.list(Path.of("/proc", Long.toString(process().pid()), "fd"))) {
            return (int) fds.count();
        }
    }

    /** Runs {@code jcmd PID command...} (e.g. {@code JFR.start name=x}) against Keycloak and returns its output. */
    String jcmd(String... command) {
        List<String> line = Stream.concat(Stream.of(javaHome.resolve("bin/jcmd").toString(), Long.toString(process().pid())),
                Stream.of(command)).toList();
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

    /** Keycloak first, then the fakes; each is closed even if another fails, and a missing Keycloak (a failed start) is skipped. */
    @Override
    public void close() {
        try (sts; jwtIssuer; keycloak) {
            // try-with-resources closes them in reverse order
        }
    }

    /** Live objects per class, as {@code jcmd PID GC.class_histogram} prints them after a full GC. */
    record ClassHistogram(Map<String, Delta> byClass, long totalBytes) {

        /** What a class has, or gained between two histograms. */
        record Delta(String className, long instances, long bytes) {
        }

        // "   1:        123456        9876543  [B (java.base@17.0.15)"  and  "Total        150100        9204000"
        private static final Pattern ROW = Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+)", Pattern.MULTILINE);
        private static final Pattern TOTAL = Pattern.compile("^Total\\s+\\d+\\s+(\\d+)", Pattern.MULTILINE);

        static ClassHistogram parse(String jcmdOutput) {
            // a class loaded by several loaders has a row for each
            Map<String, Delta> byClass = ROW.matcher(jcmdOutput).results().collect(Collectors.toMap(row -> row.group(3),
                    row -> new Delta(row.group(3), Long.parseLong(row.group(1)), Long.parseLong(row.group(2))),
                    (a, b) -> new Delta(a.className(), a.instances() + b.instances(), a.bytes() + b.bytes())));
            Matcher total = TOTAL.matcher(jcmdOutput);
            if (!total.find()) {
                throw new IllegalStateException("no Total line in the class histogram:\n" + jcmdOutput);
            }
            return new ClassHistogram(byClass, Long.parseLong(total.group(1)));
        }

        /** The classes that grew (or with {@code grew} false shrank) most in bytes since {@code earlier}. */
        List<Delta> changesSince(ClassHistogram earlier, boolean grew, int limit) {
            Delta none = new Delta("", 0, 0);
            return Stream.concat(byClass.keySet().stream(), earlier.byClass.keySet().stream()).distinct().map(name -> new Delta(name,
                    byClass.getOrDefault(name, none).instances() - earlier.byClass.getOrDefault(name, none).instances(),
                    byClass.getOrDefault(name, none).bytes() - earlier.byClass.getOrDefault(name, none).bytes()))
                    .filter(delta -> grew ? delta.bytes() > 0 : delta.bytes() < 0)
                    .sorted(Comparator.comparingLong(delta -> grew ? -delta.bytes() : delta.bytes())).limit(limit).toList();
        }
    }
}
