package io.github.kcawspack.it.harness;

import io.github.kcawspack.it.fakests.FakeSts;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;

/**
 * A {@link KeycloakCluster} for one test class, registered as a static field
 * ({@code @RegisterExtension}): started before its tests, stopped after them, so the three
 * processes do not outlive the class on a machine whose cores the rest of the suite needs. Both
 * nodes' STS endpoint option points at the cluster's own {@link FakeSts}. A failing test prints
 * the end of both nodes' logs.
 */
public final class KeycloakClusterExtension implements BeforeAllCallback, AfterAllCallback, TestExecutionExceptionHandler {

    private FakeSts sts;
    private KeycloakCluster cluster;

    @Override
    public void beforeAll(ExtensionContext context) {
        sts = FakeSts.start();
        String javaHome = System.getProperty("keycloak.java.home", "");
        cluster = KeycloakCluster.start(
                Path.of(KeycloakExtension.required("keycloak.home.template")),
                Path.of(KeycloakExtension.required("keycloak.it.cluster.workdir")),
                javaHome.isBlank() ? null : Path.of(javaHome),
                Duration.ofSeconds(Long.getLong("keycloak.it.startup.timeout.seconds", 300)),
                Map.of("API_CLIENT_SECRET", KeycloakExtension.API_CLIENT_SECRET,
                        KeycloakExtension.STS_ENDPOINT_VARIABLE, sts.baseUrl() + "/"));
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (cluster != null) {
            cluster.close();
        }
        if (sts != null) {
            sts.close();
        }
    }

    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable throwable) throws Throwable {
        for (KeycloakServer node : new KeycloakServer[] {cluster.nodeA(), cluster.nodeB()}) {
            System.err.printf("%n--- last lines of %s (after %s failed) ---%n%s%n---%n",
                    node.log(), context.getDisplayName(), node.logTail(40));
        }
        throw throwable;
    }

    public KeycloakCluster cluster() {
        return cluster;
    }

    public FakeSts sts() {
        return sts;
    }
}
