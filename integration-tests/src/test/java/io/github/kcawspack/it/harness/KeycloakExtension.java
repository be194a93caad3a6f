package io.github.kcawspack.it.harness;

import io.github.kcawspack.it.fakests.FakeSts;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.junit.jupiter.api.extension.TestInstancePostProcessor;
import org.keycloak.admin.client.Keycloak;

/**
 * Gives tests the one {@link KeycloakServer} of this test run: started by the first test class
 * that asks for it, shared by all later ones, stopped when the run ends (also when tests fail).
 * A failing test prints the end of the server log.
 *
 * <p>The server's STS endpoint override (a server-level provider option, as operators set it)
 * points at the run's one {@link FakeSts}, which tests may also ask for. Likewise Keycloak's CIBA
 * authentication channel (another server-level option) points at the run's one
 * {@link CibaChannel} on loopback, and the test-only provider JARs named by the system property
 * {@code keycloak.it.test.providers} (comma-separated; the pom sets it) are added to the run's
 * Keycloak copy, never to the assembled server it copies.
 *
 * <p>Besides those three, it gives an {@link OAuthClient}, a {@link TokenVerifier} and a
 * {@link LoginPage} for the demo realm ({@link #DEMO_REALM}), and Keycloak's admin REST client
 * ({@link Keycloak}, signed in as the bootstrap admin: {@link KeycloakServer#admin()}), as
 * parameters or into instance fields marked {@link Injected}:
 * <pre>
 * &#64;ExtendWith(KeycloakExtension.class)
 * class SomeIT {
 *     &#64;Injected KeycloakServer server;
 *     &#64;Injected OAuthClient oauth;
 *     &#64;Injected TokenVerifier tokens;
 *     &#64;Injected Keycloak admin;
 *     &#64;Injected LoginPage login;
 * }
 * </pre>
 * The OAuth client, the login page and the admin client are shared by the run (the first two keep
 * no cookies or tokens; the admin client renews its own token); the verifier, which loads the
 * realm's keys when made, is made once per test class, as the classes' own setup did. For another
 * realm, or a node of a cluster, a test asks that server: {@link KeycloakServer#oauth(String)},
 * {@link KeycloakServer#tokens(String)}, {@link KeycloakServer#loginPage(String)} and
 * {@link KeycloakServer#admin()}.
 *
 * <p>A test class of the restricted-scope policy asks for a {@link PolicyRealm} (a parameter of its
 * {@code @BeforeAll} or tests, or an {@link Injected} field): one realm per test class, created on
 * the first request (named and shaped by the class's {@link PolicyRealm.Options}, if any) and
 * deleted when the class's tests are done.
 */
public final class KeycloakExtension implements ParameterResolver, TestInstancePostProcessor,
        TestExecutionExceptionHandler {

    /** The realm the resolved {@link OAuthClient}, {@link TokenVerifier} and {@link LoginPage} talk to. */
    public static final String DEMO_REALM = "demo";

    private static final List<Class<?>> RESOLVED = List.of(KeycloakServer.class, FakeSts.class, CibaChannel.class,
            OAuthClient.class, TokenVerifier.class, Keycloak.class, LoginPage.class, PolicyRealm.class);

    /**
     * The demo realm reads api-client's secret from this variable; the harness sets it so that
     * the tests prove the realm export takes secrets from the environment, not from the file.
     */
    public static final String API_CLIENT_SECRET = "it-api-client-secret";

    /**
     * System property: Keycloak features (comma-separated) the run's shared server enables besides
     * those of its {@code conf/keycloak.conf}, e.g. {@code jwt-authorization-grant}, a preview
     * feature on Keycloak 26.5 that {@code bin/test-compat} switches on for 26.5's JDK 17 cell.
     * Empty or unset: the server's configuration as assembled.
     */
    public static final String EXTRA_FEATURES_PROPERTY = "keycloak.it.features";

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(KeycloakExtension.class);

    /** The server-level option that points the aws-identity authenticator at another STS endpoint. */
    public static final String STS_ENDPOINT_VARIABLE = "KC_SPI_AUTHENTICATOR__AWS_IDENTITY__STS_ENDPOINT";

    /**
     * The server's deadline for a whole STS call, shorter than the 5 s default so that tests of a
     * hanging or dripping STS stay quick; still far above what the loopback fake needs.
     */
    public static final Duration STS_DEADLINE = Duration.ofSeconds(2);
    static final String STS_DEADLINE_VARIABLE = "KC_SPI_AUTHENTICATOR__AWS_IDENTITY__TIMEOUT_MILLIS";

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext extension) {
        return RESOLVED.contains(parameter.getParameter().getType());
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext extension) {
        return resolve(parameter.getParameter().getType(), extension);
    }

    /** Fills the {@link Injected} instance fields of {@code testInstance} (and of its superclasses). */
    @Override
    public void postProcessTestInstance(Object testInstance, ExtensionContext extension) throws IllegalAccessException {
        for (Class<?> type = testInstance.getClass(); type != Object.class; type = type.getSuperclass()) {
            for (Field field : type.getDeclaredFields()) {
                if (!field.isAnnotationPresent(Injected.class)) {
                    continue;
                }
                if (Modifier.isStatic(field.getModifiers()) || !RESOLVED.contains(field.getType())) {
                    throw new IllegalStateException("@Injected needs an instance field of one of " + RESOLVED + ": "
                            + field);
                }
                field.setAccessible(true);
                field.set(testInstance, resolve(field.getType(), extension));
            }
        }
    }

    private static Object resolve(Class<?> type, ExtensionContext extension) {
        if (type == FakeSts.class) {
            return sts(extension);
        }
        if (type == CibaChannel.class) {
            return ciba(extension);
        }
        if (type == OAuthClient.class) {
            KeycloakServer server = server(extension);
            return extension.getRoot().getStore(NAMESPACE)
                    .getOrComputeIfAbsent(OAuthClient.class, key -> server.oauth(DEMO_REALM), OAuthClient.class);
        }
        if (type == Keycloak.class) {
            return server(extension).admin();
        }
        if (type == LoginPage.class) {
            KeycloakServer server = server(extension);
            return extension.getRoot().getStore(NAMESPACE)
                    .getOrComputeIfAbsent(LoginPage.class, key -> server.loginPage(DEMO_REALM), LoginPage.class);
        }
        if (type == PolicyRealm.class) {
            KeycloakServer server = server(extension);
            Class<?> testClass = extension.getRequiredTestClass();
            return classContext(extension).getStore(NAMESPACE).getOrComputeIfAbsent(RealmOfClass.class,
                    key -> new RealmOfClass(PolicyRealm.create(server, testClass)), RealmOfClass.class).realm();
        }
        if (type == TokenVerifier.class) {
            KeycloakServer server = server(extension);
            Class<?> testClass = extension.getRequiredTestClass();
            return extension.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent(
                    List.of(TokenVerifier.class, testClass), key -> server.tokens(DEMO_REALM),
                    TokenVerifier.class);
        }
        return server(extension);
    }

    /** The context of the outermost test class: its store is closed when that class's tests are done. */
    private static ExtensionContext classContext(ExtensionContext extension) {
        ExtensionContext context = extension;
        while (context.getParent().flatMap(ExtensionContext::getTestClass).isPresent()) {
            context = context.getParent().orElseThrow();
        }
        return context;
    }

    /** Lets a test class's store delete the class's {@link PolicyRealm} when its tests are done. */
    private record RealmOfClass(PolicyRealm realm) implements ExtensionContext.Store.CloseableResource {
        @Override
        public void close() {
            realm.close();
        }
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
        FakeSts sts = sts(extension);
        CibaChannel ciba = ciba(extension);
        // The root store closes its values when the whole run ends: one server per suite.
        return extension.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent(KeycloakServer.class, key -> startFromSystemProperties(sts, ciba), KeycloakServer.class);
    }

    static CibaChannel ciba(ExtensionContext extension) {
        return extension.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent(RunningCibaChannel.class, key -> new RunningCibaChannel(CibaChannel.start()),
                        RunningCibaChannel.class).channel();
    }

    /** Lets the root store stop the CIBA channel when the run ends. */
    private record RunningCibaChannel(CibaChannel channel) implements ExtensionContext.Store.CloseableResource {
        @Override
        public void close() {
            channel.close();
        }
    }

    static FakeSts sts(ExtensionContext extension) {
        return extension.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent(RunningSts.class, key -> new RunningSts(FakeSts.start()), RunningSts.class).sts();
    }

    /** Lets the root store stop the fake STS when the run ends. */
    private record RunningSts(FakeSts sts) implements ExtensionContext.Store.CloseableResource {
        @Override
        public void close() {
            sts.close();
        }
    }

    private static KeycloakServer startFromSystemProperties(FakeSts sts, CibaChannel ciba) {
        Path template = Path.of(required("keycloak.home.template"));
        String expectedVersion = System.getProperty("keycloak.server.version", "");
        if (!expectedVersion.isBlank()) {
            KeycloakServer.requireDistributionVersion(template, expectedVersion);
        }
        Path workDir = Path.of(required("keycloak.it.workdir"));
        String javaHome = System.getProperty("keycloak.java.home", "");
        Duration timeout = Duration.ofSeconds(Long.getLong("keycloak.it.startup.timeout.seconds", 300));
        Map<String, String> environment = new HashMap<>(Map.of("API_CLIENT_SECRET", API_CLIENT_SECRET,
                STS_ENDPOINT_VARIABLE, sts.baseUrl() + "/",
                STS_DEADLINE_VARIABLE, String.valueOf(STS_DEADLINE.toMillis()),
                CibaChannel.URI_VARIABLE, ciba.uri()));
        String extraFeatures = System.getProperty(EXTRA_FEATURES_PROPERTY, "").trim();
        if (!extraFeatures.isEmpty()) {
            // Keycloak's features option is one list: the variable replaces keycloak.conf's, so it repeats it.
            environment.put("KC_FEATURES", KeycloakServer.configuredFeatures(template).map(f -> f + ",").orElse("")
                    + extraFeatures);
        }
        return KeycloakServer.start(template, workDir, javaHome.isBlank() ? null : Path.of(javaHome), timeout,
                environment, testProviders());
    }

    /** The JARs of {@code keycloak.it.test.providers}: installed into this run's Keycloak copy only. */
    static List<Path> testProviders() {
        String list = System.getProperty("keycloak.it.test.providers", "");
        return Arrays.stream(list.split(",")).map(String::trim).filter(s -> !s.isEmpty()).map(Path::of).toList();
    }

    static String required(String property) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("System property " + property + " is not set; run the tests through Maven");
        }
        return value;
    }
}
