package io.github.kcawspack.it.harness;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Optional;
import java.util.Properties;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.keycloak.admin.client.Keycloak;

/**
 * A real Keycloak distribution running as a separate process: a fresh copy of the assembled
 * server (providers, theme, realm exports already in place), started in development mode on its
 * embedded database, on free ports, with the realm exports imported. {@link #launch} starts one
 * in a home prepared elsewhere instead, such as a node of a {@link KeycloakCluster}.
 */
public final class KeycloakServer implements AutoCloseable, ExtensionContext.Store.CloseableResource {

    public static final String ADMIN_USERNAME = "admin";
    public static final String ADMIN_PASSWORD = "it-admin-password";

    private final Path home;
    private final Path log;
    private final int httpPort;
    private final int managementPort;
    private final Process process;
    private final Thread shutdownHook;
    private Keycloak admin;
    private AdminRest adminRest;
    private final Map<String, OAuthClient> oauthClients = new ConcurrentHashMap<>();

    private KeycloakServer(Path home, Path log, int httpPort, int managementPort, Process process) {
        this.home = home;
        this.log = log;
        this.httpPort = httpPort;
        this.managementPort = managementPort;
        this.process = process;
        // Also ends Keycloak when the test JVM is interrupted or killed politely.
        this.shutdownHook = new Thread(this::stopProcess, "keycloak-it-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /**
     * Starts a server from {@code template} (a Keycloak home with the pack installed) in a fresh
     * copy under {@code workDir}, and waits for its readiness endpoint.
     *
     * @param environment extra environment for the process, e.g. secrets the realm export reads
     */
    public static KeycloakServer start(Path template, Path workDir, Path javaHome, Duration startupTimeout,
                                       Map<String, String> environment) {
        return start(template, workDir, javaHome, startupTimeout, environment, List.of());
    }

    /**
     * As {@link #start(Path, Path, Path, Duration, Map)}, with {@code extraProviders} (JAR files)
     * copied into the copy's {@code providers/} before Keycloak starts (and builds): test-only
     * providers reach this run's copy only, never {@code template}.
     */
    public static KeycloakServer start(Path template, Path workDir, Path javaHome, Duration startupTimeout,
                                       Map<String, String> environment, List<Path> extraProviders) {
        if (!Files.isExecutable(template.resolve("bin/kc.sh"))) {
            throw new IllegalStateException("No assembled Keycloak at " + template
                    + ": run the build (mvn package) first so server/target/keycloak exists");
        }
        Path home = workDir.resolve("keycloak");
        Path log = workDir.resolve("keycloak.log");
        try {
            deleteRecursively(workDir);
            Files.createDirectories(workDir);
            copyRecursively(template, home);
            for (Path jar : extraProviders) {
                if (!Files.isRegularFile(jar)) {
                    throw new IllegalStateException("Test-only provider " + jar + " does not exist: build it first"
                            + " (mvn package builds test-providers/; see keycloak.it.test.providers)");
                }
                Files.copy(jar, home.resolve("providers").resolve(jar.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
            Files.deleteIfExists(log);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot prepare " + workDir, e);
        }
        // A database left over from a manual bin/run-keycloak would skip the import.
        deleteTree(home.resolve("data/h2"));
        String version = distributionVersion(home);
        for (Path adapted : RealmImportCompat.adapt(home.resolve("data/import"), version)) {
            System.out.printf("Keycloak %s ignores CreateDefaultClientScopes: the imported copy of %s lists"
                    + " the built-in client scopes instead (RealmImportCompat)%n", version, adapted.getFileName());
        }

        int httpPort = freePort();
        int managementPort = freePort();
        List<String> arguments = List.of(
                "start-dev",
                "--import-realm",
                "--http-port=" + httpPort,
                "--http-management-port=" + managementPort,
                "--health-enabled=true",
                // A fixed hostname, as in production: Keycloak's issuer, and the audience aws_identity
                // accepts, then never follow a request's Host header.
                "--hostname=http://localhost:" + httpPort);
        return launch(home, log, arguments, httpPort, managementPort, javaHome, startupTimeout, environment);
    }

    /**
     * Runs {@code kc.sh} with {@code arguments} in {@code home}, a Keycloak home prepared by the
     * caller, and waits until the readiness endpoint on {@code managementPort} answers. The
     * arguments must put HTTP on {@code httpPort}, management on {@code managementPort} and enable
     * health. The bootstrap admin is {@link #ADMIN_USERNAME}.
     */
    static KeycloakServer launch(Path home, Path log, List<String> arguments, int httpPort, int managementPort,
                                 Path javaHome, Duration startupTimeout, Map<String, String> environment) {
        List<String> command = new ArrayList<>();
        command.add(home.resolve("bin/kc.sh").toString());
        command.addAll(arguments);
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(home.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        Map<String, String> env = builder.environment();
        // Keycloak reads every KC_* variable of the environment as an option: one exported in the
        // shell that runs the tests (KC_DB_URL_PATH for bin/run-keycloak, KC_HOSTNAME, ...) would
        // change the server under test. Only the harness's own options reach it.
        env.keySet().removeIf(name -> name.startsWith("KC_"));
        env.put("KC_BOOTSTRAP_ADMIN_USERNAME", ADMIN_USERNAME);
        env.put("KC_BOOTSTRAP_ADMIN_PASSWORD", ADMIN_PASSWORD);
        if (javaHome != null) {
            env.put("JAVA_HOME", javaHome.toString());
            env.put("PATH", javaHome.resolve("bin") + ":" + env.getOrDefault("PATH", ""));
        }
        env.putAll(environment);

        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start " + command, e);
        }
        KeycloakServer server = new KeycloakServer(home, log, httpPort, managementPort, process);
        try {
            server.awaitReady(startupTimeout);
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
        return server;
    }

    /**
     * Fails unless {@code home} is the Keycloak distribution {@code version} (its
     * {@code version.txt} reads "Keycloak - Version 26.5.6"), so a compatibility run can never
     * report a result for a version it did not start.
     */
    public static void requireDistributionVersion(Path home, String version) {
        String found = distributionVersion(home);
        if (!found.equals(version)) {
            throw new IllegalStateException(home + " is Keycloak " + found + ", not " + version
                    + ": assemble it again (mvn package, or the compat profile)");
        }
    }

    /**
     * @param home a Keycloak home
     * @return the {@code features} its {@code conf/keycloak.conf} enables, if it names any
     */
    public static Optional<String> configuredFeatures(Path home) {
        Properties conf = new Properties();
        try (Reader reader = Files.newBufferedReader(home.resolve("conf/keycloak.conf"))) {
            conf.load(reader);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Optional.ofNullable(conf.getProperty("features")).map(String::trim).filter(f -> !f.isEmpty());
    }

    /** The version of the Keycloak distribution at {@code home}, from its {@code version.txt}. */
    public static String distributionVersion(Path home) {
        String text;
        try {
            text = Files.readString(home.resolve("version.txt")).trim();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the distribution version of " + home, e);
        }
        String prefix = "Keycloak - Version ";
        if (!text.startsWith(prefix)) {
            throw new IllegalStateException("Unexpected " + home.resolve("version.txt") + ": " + text);
        }
        return text.substring(prefix.length()).trim();
    }

    /** The running distribution's version, e.g. "26.5.6". */
    public String version() {
        return distributionVersion(home);
    }

    /** True when the running Keycloak is {@code major.minor} or newer. */
    public boolean isAtLeast(int major, int minor) {
        String[] parts = version().split("\\.");
        int actualMajor = Integer.parseInt(parts[0]);
        int actualMinor = Integer.parseInt(parts[1]);
        return actualMajor > major || (actualMajor == major && actualMinor >= minor);
    }

    public String baseUrl() {
        return "http://localhost:" + httpPort;
    }

    /** The management interface (health, metrics), e.g. {@code http://localhost:9000}. */
    public String managementUrl() {
        return "http://localhost:" + managementPort;
    }

    public String realmUrl(String realm) {
        return baseUrl() + "/realms/" + realm;
    }

    public String tokenEndpoint(String realm) {
        return realmUrl(realm) + "/protocol/openid-connect/token";
    }

    public String authorizationEndpoint(String realm) {
        return realmUrl(realm) + "/protocol/openid-connect/auth";
    }

    /**
     * The {@link OAuthClient} for realm {@code realm} of this server (of this node, in a cluster):
     * one per realm, shared by every test and helper that asks (it keeps no cookies or tokens);
     * {@link KeycloakExtension} injects the demo realm's.
     */
    public OAuthClient oauth(String realm) {
        return oauthClients.computeIfAbsent(realm, name -> new OAuthClient(this, name));
    }

    /** The {@link LoginPage} of realm {@code realm} of this server (of this node, in a cluster). */
    public LoginPage loginPage(String realm) {
        return new LoginPage(this, realm);
    }

    /**
     * A {@link TokenVerifier} for realm {@code realm} of this server (of this node, in a cluster). It
     * loads the realm's signing keys now, so make it after the realm exists and after any key
     * rotation a test does.
     *
     * @throws IllegalStateException if the realm's JWKS cannot be loaded
     */
    public TokenVerifier tokens(String realm) {
        return new TokenVerifier(this, realm);
    }

    /**
     * Keycloak's own admin REST client ({@code keycloak-admin-client}) for this server (this node,
     * in a cluster), signed in as the bootstrap admin {@link #ADMIN_USERNAME} through
     * {@code admin-cli} in the master realm; it renews its token itself. Made on first use, closed
     * with the server. A refused call throws the JAX-RS {@code WebApplicationException} of its
     * status (e.g. {@code NotFoundException}), which fails the calling test.
     */
    public synchronized Keycloak admin() {
        if (admin == null) {
            admin = Keycloak.getInstance(baseUrl(), "master", ADMIN_USERNAME, ADMIN_PASSWORD, "admin-cli");
        }
        return admin;
    }

    /**
     * The admin REST API by hand, for the few calls {@link #admin()} cannot make as a test needs
     * them (see {@link AdminRest} for which); signed in with {@link #admin()}'s token.
     */
    public synchronized AdminRest adminRest() {
        if (adminRest == null) {
            adminRest = new AdminRest(this);
        }
        return adminRest;
    }

    /**
     * The ids of every grant type this server has registered (providers of SPI
     * {@code oauth2-grant-type}), from the admin server-info endpoint.
     */
    public List<String> grantTypes() {
        return providerIds("oauth2-grant-type");
    }

    /** The ids of the providers this server has registered for SPI {@code spi}, from the admin server-info endpoint. */
    public List<String> providerIds(String spi) {
        var providers = admin().serverInfo().getInfo().getProviders().get(spi);
        if (providers == null) {
            throw new AssertionError("server-info lists no providers of SPI " + spi);
        }
        return List.copyOf(providers.getProviders().keySet());
    }

    public Path home() {
        return home;
    }

    public Path log() {
        return log;
    }

    /**
     * The JVM that runs Keycloak, for JDK tools (jcmd) and /proc: kc.sh starts it as its child,
     * or replaces itself with it when Keycloak asks to be relaunched after a build.
     */
    public ProcessHandle jvm() {
        return Stream.concat(Stream.of(process.toHandle()), process.descendants())
                .filter(ProcessHandle::isAlive)
                .filter(handle -> handle.info().command().map(command -> command.endsWith("/java")).orElse(false))
                .reduce((parent, child) -> child)
                .orElseThrow(() -> new IllegalStateException("Keycloak's JVM is not running"));
    }

    /** The last {@code lines} lines of the server log, to show why a test failed. */
    public String logTail(int lines) {
        try {
            List<String> all = Files.readAllLines(log);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(server log unreadable: " + e.getMessage() + ")";
        }
    }

    private void awaitReady(Duration timeout) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest ready = HttpRequest.newBuilder(URI.create("http://localhost:" + managementPort + "/health/ready"))
                .timeout(Duration.ofSeconds(5)).build();
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new ExitedBeforeReady("Keycloak exited with status " + process.exitValue()
                        + " before it was ready. Log " + log + ":\n" + logTail(60));
            }
            try {
                HttpResponse<String> response = http.send(ready, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for Keycloak", e);
            }
            sleep(Duration.ofMillis(500));
        }
        throw new IllegalStateException("Keycloak was not ready within " + timeout + ". Log " + log + ":\n" + logTail(60));
    }

    /** Keycloak's process ended before its readiness endpoint answered: Keycloak refused to start. */
    public static final class ExitedBeforeReady extends IllegalStateException {
        ExitedBeforeReady(String message) {
            super(message);
        }
    }

    @Override
    public void close() {
        synchronized (this) {
            if (admin != null) {
                admin.close();
                admin = null;
            }
        }
        stopProcess();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // the hook is running or has run
        }
    }

    private void stopProcess() {
        if (!process.isAlive()) {
            return;
        }
        List<ProcessHandle> descendants = new ArrayList<>(process.descendants().toList());
        // kc.sh forwards SIGTERM to the JVM, which shuts Keycloak down cleanly.
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                descendants.forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            descendants.forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        descendants.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }

    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted", e);
        }
    }

    static void copyRecursively(Path source, Path target) throws IOException {
        Files.walkFileTree(source, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                Files.createDirectories(target.resolve(source.relativize(dir).toString()));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.copy(file, target.resolve(source.relativize(file).toString()),
                        StandardCopyOption.COPY_ATTRIBUTES);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    static void deleteTree(Path path) {
        try {
            deleteRecursively(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        Files.walkFileTree(path, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
