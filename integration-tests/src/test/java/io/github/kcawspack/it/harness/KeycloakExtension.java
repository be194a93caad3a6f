package io.github.kcawspack.it.harness;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;

/**
 * Gives tests the one {@link KeycloakServer} of this test run: started by the first test class
 * that asks for it, shared by all later ones, stopped when the run ends (also when tests fail).
 * A failing test prints the end of the server log.
 */
public final class KeycloakExtension implements ParameterResolver, TestExecutionExceptionHandler {

    /**
     * The demo realm reads api-client's secret from this variable; the harness sets it so that
     * the tests prove the realm export takes secrets from the environment, not from the file.
     */
    public static final String API_CLIENT_SECRET = "it-api-client-secret";

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(KeycloakExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext extension) {
        return parameter.getParameter().getType() == KeycloakServer.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext extension) {
        return server(extension);
    }

    @Override
    public void handleTestExecutionException(ExtensionContext extension, Throwable throwable) throws Throwable {
        KeycloakServer server = extension.getRoot().getStore(NAMESPACE).get(KeycloakServer.class, KeycloakServer.class);
        if (server != null) {
            System.err.printf("%n--- last lines of %s (after %s failed) ---%n%s%n---%n",
                    server.log(), extension.getDisplayName(), server.logTail(40));
        }
        throw throwable;
    }

    static KeycloakServer server(ExtensionContext extension) {
        // The root store closes its values when the whole run ends: one server per suite.
        return extension.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent(KeycloakServer.class, key -> startFromSystemProperties(), KeycloakServer.class);
    }

    private static KeycloakServer startFromSystemProperties() {
        Path template = Path.of(required("keycloak.home.template"));
        Path workDir = Path.of(required("keycloak.it.workdir"));
        String javaHome = System.getProperty("keycloak.java.home", "");
        Duration timeout = Duration.ofSeconds(Long.getLong("keycloak.it.startup.timeout.seconds", 300));
        return KeycloakServer.start(template, workDir, javaHome.isBlank() ? null : Path.of(javaHome), timeout,
                Map.of("API_CLIENT_SECRET", API_CLIENT_SECRET));
    }

    static String required(String property) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("System property " + property + " is not set; run the tests through Maven");
        }
        return value;
    }
}
