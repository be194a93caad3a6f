package io.github.kcawspack.it.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Two Keycloak nodes on loopback in production mode ({@code kc.sh start}), sharing one
 * {@link PostgresServer} and clustered the way Keycloak 26 does by default: embedded Infinispan,
 * whose JGroups members find each other through a table in that database (the jdbc-ping stack).
 * Node A creates the schema and imports the realm exports; node B joins it.
 *
 * <p>The pack's server image is built once ({@code kc.sh build --db=postgres ...}) and copied to
 * each node with its file times, so {@code kc.sh start} finds nothing to rebuild.
 */
public final class KeycloakCluster implements AutoCloseable {

    /**
     * Every node's {@code --hostname}: the one public URL a load balancer would serve. Keycloak
     * writes it into tokens as the issuer and checks it when it reads a token back, so nodes
     * with different hostnames refuse each other's tokens. Tests send their requests to the
     * nodes' own ports; nothing needs to answer at this name.
     */
    public static final String PUBLIC_URL = "http://keycloak.cluster.test";

    /** Given to {@code kc.sh build} and again to {@code start}: a start with other ones rebuilds. */
    private static final List<String> BUILD_OPTIONS = List.of("--db=postgres", "--health-enabled=true", "--metrics-enabled=true");
    private static final String DATABASE = "keycloak";
    private static final String DATABASE_USER = "keycloak";

    private final List<AutoCloseable> started = new ArrayList<>();
    private KeycloakServer nodeA;
    private KeycloakServer nodeB;

    private KeycloakCluster() {
    }

    /**
     * Starts the database and both nodes from {@code template} (a Keycloak home with the pack
     * installed) under {@code workDir}, and waits until each node counts two cluster members.
     *
     * @param environment extra environment for both nodes, e.g. server-level provider options
     */
    public static KeycloakCluster start(Path template, Path workDir, Path javaHome, Duration startupTimeout,
                                        Map<String, String> environment) {
        KeycloakCluster cluster = new KeycloakCluster();
        try {
            PostgresServer database = PostgresServer.start(workDir.resolve("postgres"), DATABASE, DATABASE_USER,
                    UUID.randomUUID().toString());
            cluster.started.add(database);
            Path image = buildImage(template, workDir.resolve("image"), javaHome, startupTimeout);
            Map<String, String> nodeEnvironment = new HashMap<>(environment);
            // The password stays out of the command line, where ps would show it.
            nodeEnvironment.put("KC_DB_PASSWORD", database.password());
            cluster.nodeA = cluster.startNode("node-a", image, workDir, database, true, javaHome, startupTimeout, nodeEnvironment);
            cluster.nodeB = cluster.startNode("node-b", image, workDir, database, false, javaHome, startupTimeout, nodeEnvironment);
            cluster.awaitMembers(cluster.nodeA, 2, startupTimeout);
            cluster.awaitMembers(cluster.nodeB, 2, startupTimeout);
            return cluster;
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    public KeycloakServer nodeA() {
        return nodeA;
    }

    public KeycloakServer nodeB() {
        return nodeB;
    }

    /** The realm's issuer on every node: {@link #PUBLIC_URL} based. */
    public String realmIssuer(String realm) {
        return PUBLIC_URL + "/realms/" + realm;
    }

    /**
     * How many members the node's cluster has, as the node itself reports it (Infinispan's
     * {@code vendor_cluster_size} on the management interface).
     */
    public static int membersSeenBy(KeycloakServer node) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(node.managementUrl() + "/metrics"))
                .timeout(Duration.ofSeconds(10)).build();
        String metrics;
        try {
            metrics = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the metrics of " + node.managementUrl(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return metrics.lines()
                .filter(line -> line.startsWith("vendor_cluster_size{"))
                .map(line -> (int) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException(node.managementUrl()
                        + "/metrics has no vendor_cluster_size: is the node clustered (cache=ispn)?"));
    }

    /** Waits until {@code node} counts {@code members} cluster members; fails with its log otherwise. */
    public void awaitMembers(KeycloakServer node, int members, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        int seen = membersSeenBy(node);
        while (seen != members && Instant.now().isBefore(deadline)) {
            pause(Duration.ofMillis(500));
            seen = membersSeenBy(node);
        }
        if (seen != members) {
            throw new IllegalStateException(node.baseUrl() + " counts " + seen + " cluster members, not " + members
                    + ", after " + timeout + ". Log " + node.log() + ":\n" + node.logTail(40));
        }
    }

    /** Stops a node as an operator does (SIGTERM: Keycloak leaves the cluster and shuts down). */
    public void stop(KeycloakServer node) {
        node.close();
    }

    @Override
    public void close() {
        // Nodes first: they would log connection errors for as long as the database was gone.
        for (int i = started.size() - 1; i >= 0; i--) {
            try {
                started.get(i).close();
            } catch (Exception e) {
                System.err.println("Cannot stop " + started.get(i) + ": " + e);
            }
        }
    }

    private KeycloakServer startNode(String name, Path image, Path workDir, PostgresServer database, boolean importsRealms,
                                     Path javaHome, Duration startupTimeout, Map<String, String> environment) {
        Path home = workDir.resolve(name);
        Path log = workDir.resolve(name + ".log");
        try {
            KeycloakServer.deleteTree(home);
            KeycloakServer.copyRecursively(image, home);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot copy " + image + " to " + home, e);
        }
        int httpPort = KeycloakServer.freePort();
        int managementPort = KeycloakServer.freePort();
        List<String> arguments = new ArrayList<>(List.of("start"));
        arguments.addAll(BUILD_OPTIONS);
        arguments.addAll(List.of(
                "--db-url-host=" + database.host(),
                "--db-url-port=" + database.port(),
                "--db-url-database=" + database.database(),
                "--db-username=" + database.user(),
                "--http-enabled=true",
                "--http-port=" + httpPort,
                "--http-management-port=" + managementPort,
                "--hostname=" + PUBLIC_URL,
                // Keycloak's defaults bind the cluster transport to a site-local address on 7800,
                // the same for every node; two nodes on one host need their own ports.
                "--cache-embedded-network-bind-address=127.0.0.1",
                "--cache-embedded-network-bind-port=" + KeycloakServer.freePort()));
        if (importsRealms) {
            arguments.add("--import-realm");
        }
        KeycloakServer node = KeycloakServer.launch(home, log, arguments, httpPort, managementPort, javaHome,
                startupTimeout, environment);
        started.add(node);
        return node;
    }

    /** A copy of {@code template} built for PostgreSQL, health and metrics, once for all nodes. */
    private static Path buildImage(Path template, Path image, Path javaHome, Duration timeout) {
        Path log = image.resolveSibling("build.log");
        try {
            copyTemplate(template, image);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot copy " + template + " to " + image, e);
        }
        String version = KeycloakServer.distributionVersion(image);
        RealmImportCompat.adapt(image.resolve("data/import"), version);
        List<String> command = new ArrayList<>(List.of(image.resolve("bin/kc.sh").toString(), "build"));
        command.addAll(BUILD_OPTIONS);
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(image.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        // As KeycloakServer: no KC_* option of the shell that runs the tests reaches the build.
        builder.environment().keySet().removeIf(name -> name.startsWith("KC_"));
        if (javaHome != null) {
            builder.environment().put("JAVA_HOME", javaHome.toString());
            builder.environment().put("PATH", javaHome.resolve("bin") + ":" + builder.environment().getOrDefault("PATH", ""));
        }
        try {
            Process build = builder.start();
            if (!build.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
                build.destroyForcibly();
                throw new IllegalStateException("kc.sh build did not finish within " + timeout + "; log " + log);
            }
            if (build.exitValue() != 0) {
                throw new IllegalStateException("kc.sh build failed with status " + build.exitValue() + ":\n"
                        + Files.readString(log));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return image;
    }

    private static void copyTemplate(Path template, Path image) throws IOException {
        if (!Files.isExecutable(template.resolve("bin/kc.sh"))) {
            throw new IllegalStateException("No assembled Keycloak at " + template
                    + ": run the build (mvn package) first so server/target/keycloak exists");
        }
        KeycloakServer.deleteTree(image);
        KeycloakServer.copyRecursively(template, image);
        // A dev database left by bin/run-keycloak is of no use to a PostgreSQL cluster.
        KeycloakServer.deleteTree(image.resolve("data/h2"));
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
