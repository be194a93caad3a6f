package io.github.kcawspack.it.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A PostgreSQL server of the test run's own, from Debian's {@code postgresql} package: a new
 * database cluster (initdb) in a directory of the caller's, listening on 127.0.0.1 on a free port,
 * with one database and one password-authenticated owner, stopped by {@link #close()}. A server
 * that Debian's package may have started on port 5432 is never used or touched.
 */
public final class PostgresServer implements AutoCloseable {

    private static final Path DEBIAN_INSTALLATIONS = Path.of("/usr/lib/postgresql");
    private static final String HOST = "127.0.0.1";
    private static final Duration COMMAND_TIMEOUT = Duration.ofMinutes(2);

    private final Path bin;
    private final Path data;
    private final int port;
    private final String database;
    private final String user;
    private final String password;
    private final Thread shutdownHook;

    private PostgresServer(Path bin, Path data, int port, String database, String user, String password) {
        this.bin = bin;
        this.data = data;
        this.port = port;
        this.database = database;
        this.user = user;
        this.password = password;
        this.shutdownHook = new Thread(this::stop, "postgres-it-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /**
     * Creates a database cluster in {@code dir} (deleted first, with any server an aborted run
     * left running there), starts it and creates {@code database} owned by {@code user}.
     */
    public static PostgresServer start(Path dir, String database, String user, String password) {
        Path bin = debianBinaries();
        Path data = dir.resolve("data");
        if (Files.exists(data.resolve("postmaster.pid"))) {
            runIgnoringFailure(bin, "pg_ctl", "-D", data.toString(), "-m", "immediate", "-w", "stop");
        }
        Path passwordFile = dir.resolve("initdb-password");
        try {
            KeycloakServer.deleteTree(dir);
            Files.createDirectories(dir);
            Files.writeString(passwordFile, password);
            ownedByServerUser(dir);
            ownedByServerUser(passwordFile);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot prepare " + dir, e);
        }
        asServerUser(bin, "initdb", "-D", data.toString(), "--username=" + user, "--pwfile=" + passwordFile,
                "--auth=scram-sha-256", "--encoding=UTF8", "--no-locale");
        try {
            Files.delete(passwordFile);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }

        int port = KeycloakServer.freePort();
        // TCP only: a unix socket path under a deep build directory can exceed the 107-byte limit
        // of socket addresses, and nothing here needs one.
        asServerUser(bin, "pg_ctl", "-D", data.toString(), "-l", dir.resolve("postgres.log").toString(),
                "-w", "-t", String.valueOf(COMMAND_TIMEOUT.toSeconds()),
                "-o", "-c listen_addresses=" + HOST + " -c port=" + port + " -c unix_socket_directories=''",
                "start");
        PostgresServer server = new PostgresServer(bin, data, port, database, user, password);
        try {
            run(List.of(bin.resolve("createdb").toString(), "--host=" + HOST, "--port=" + port,
                    "--username=" + user, database), Map.of("PGPASSWORD", password));
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
        return server;
    }

    public String host() {
        return HOST;
    }

    public int port() {
        return port;
    }

    public String database() {
        return database;
    }

    public String user() {
        return user;
    }

    public String password() {
        return password;
    }

    @Override
    public void close() {
        stop();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // the hook is running or has run
        }
    }

    private void stop() {
        if (Files.exists(data.resolve("postmaster.pid"))) {
            runIgnoringFailure(bin, "pg_ctl", "-D", data.toString(), "-m", "fast", "-w", "stop");
        }
    }

    /** The newest PostgreSQL of Debian's packages: /usr/lib/postgresql/<major>/bin. */
    private static Path debianBinaries() {
        try (Stream<Path> installations = Files.list(DEBIAN_INSTALLATIONS)) {
            return installations
                    .filter(dir -> dir.getFileName().toString().matches("\\d+"))
                    .max(Comparator.comparingInt(dir -> Integer.parseInt(dir.getFileName().toString())))
                    .map(dir -> dir.resolve("bin"))
                    .filter(dir -> Files.isExecutable(dir.resolve("initdb")))
                    .orElseThrow(PostgresServer::notInstalled);
        } catch (IOException e) {
            throw notInstalled();
        }
    }

    private static IllegalStateException notInstalled() {
        return new IllegalStateException("No PostgreSQL server binaries under " + DEBIAN_INSTALLATIONS
                + ": install Debian's postgresql package (bin/test does)");
    }

    /**
     * PostgreSQL refuses to run as root, and CI runs the tests as root: then initdb and the server
     * run as the {@code postgres} user that Debian's package creates.
     */
    private static boolean runningAsRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static void ownedByServerUser(Path path) throws IOException {
        if (runningAsRoot()) {
            UserPrincipal postgres = path.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("postgres");
            Files.setOwner(path, postgres);
        }
    }

    private static void asServerUser(Path bin, String program, String... arguments) {
        run(serverUserCommand(bin, program, arguments), Map.of());
    }

    private static void runIgnoringFailure(Path bin, String program, String... arguments) {
        try {
            run(serverUserCommand(bin, program, arguments), Map.of());
        } catch (RuntimeException e) {
            System.err.println("PostgresServer: " + e.getMessage());
        }
    }

    private static List<String> serverUserCommand(Path bin, String program, String... arguments) {
        List<String> command = new ArrayList<>();
        if (runningAsRoot()) {
            command.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        command.add(bin.resolve(program).toString());
        command.addAll(List.of(arguments));
        return command;
    }

    private static void run(List<String> command, Map<String, String> environment) {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(environment);
        try {
            Process process = builder.start();
            // pg_ctl's server inherits no pipe (it logs to -l), so reading to the end terminates.
            String output = new String(process.getInputStream().readAllBytes());
            if (!process.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not finish within " + COMMAND_TIMEOUT);
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed with status "
                        + process.exitValue() + ":\n" + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while running " + command, e);
        }
    }
}
