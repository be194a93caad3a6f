package io.github.kcawspack.it.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;

/**
 * A {@link KeycloakServer} for one test class alone, registered as a static field
 * ({@code @RegisterExtension}), for server-level settings the run's shared server must not get
 * (a Keycloak feature is switched on for the whole server at start): the same assembled server
 * and version check as {@link KeycloakExtension}'s, started before the class's tests in its own
 * work directory ({@code keycloak.it.workdir} followed by {@code -name}), stopped after them. A
 * failing test prints the end of its log.
 *
 * <pre>
 * &#64;RegisterExtension
 * static final OwnKeycloakExtension keycloak = new OwnKeycloakExtension("features",
 *         version -&gt; Map.of("KC_FEATURES", "declarative-ui,some-feature"));
 * </pre>
 */
public final class OwnKeycloakExtension implements BeforeAllCallback, AfterAllCallback, TestExecutionExceptionHandler {

    private final String name;
    private final Function<String, Map<String, String>> environment;
    private KeycloakServer server;

    /**
     * @param name        names the work directory, {@code <keycloak.it.workdir>-<name>}
     * @param environment the server's extra environment (Keycloak options such as
     *                    {@code KC_FEATURES}) for the distribution's version, e.g. "26.5.6"
     */
    public OwnKeycloakExtension(String name, Function<String, Map<String, String>> environment) {
        this.name = name;
        this.environment = environment;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        server = start(name, environment);
    }

    /**
     * Starts the assembled server as an extension does ({@code <keycloak.it.workdir>-<name>},
     * {@code environment}) and expects Keycloak to refuse: its process must end before it is ready.
     *
     * @return the server log of the refused start
     * @throws AssertionError if Keycloak started (it is stopped again first)
     * @throws IllegalStateException if Keycloak neither started nor ended within the start-up timeout
     */
    public static String refusedStart(String name, Function<String, Map<String, String>> environment) {
        Path log = Path.of(KeycloakExtension.required("keycloak.it.workdir") + "-" + name, "keycloak.log");
        try (KeycloakServer started = start(name, environment)) {
            throw new AssertionError("Keycloak started, though it should have refused; log " + started.log());
        } catch (KeycloakServer.ExitedBeforeReady refused) {
            try {
                return Files.readString(log);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private static KeycloakServer start(String name, Function<String, Map<String, String>> environment) {
        Path template = Path.of(KeycloakExtension.required("keycloak.home.template"));
        String expectedVersion = System.getProperty("keycloak.server.version", "");
        if (!expectedVersion.isBlank()) {
            KeycloakServer.requireDistributionVersion(template, expectedVersion);
        }
        String javaHome = System.getProperty("keycloak.java.home", "");
        Map<String, String> env = new HashMap<>(environment.apply(KeycloakServer.distributionVersion(template)));
        // The demo realm of the assembled server reads this secret when it is imported.
        env.putIfAbsent("API_CLIENT_SECRET", KeycloakExtension.API_CLIENT_SECRET);
        return KeycloakServer.start(template, Path.of(KeycloakExtension.required("keycloak.it.workdir") + "-" + name),
                javaHome.isBlank() ? null : Path.of(javaHome),
                Duration.ofSeconds(Long.getLong("keycloak.it.startup.timeout.seconds", 300)), env);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (server != null) {
            server.close();
        }
    }

    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable throwable) throws Throwable {
        if (server != null) {
            System.err.printf("%n--- last lines of %s (after %s failed) ---%n%s%n---%n",
                    server.log(), context.getDisplayName(), server.logTail(40));
        }
        throw throwable;
    }

    /** The running server; null before {@code beforeAll}. */
    public KeycloakServer server() {
        return server;
    }
}
