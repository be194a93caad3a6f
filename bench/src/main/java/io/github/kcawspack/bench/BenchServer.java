package io.github.kcawspack.bench;

import io.github.kcawspack.it.fakests.FakeSts;
import io.github.kcawspack.it.harness.KeycloakExtension;
import io.github.kcawspack.it.harness.KeycloakServer;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * What the benchmark runs against, started with the integration harness: the assembled Keycloak
 * (server/target/keycloak) as its own process, in development mode on its embedded database,
 * with the pack and the demo realm, its STS endpoint pointed at the fake STS in this JVM.
 */
final class BenchServer implements AutoCloseable {

    private final FakeSts sts;
    private final KeycloakServer keycloak;
    private final KeycloakJvm jvm;
    private final Path javaHome;

    private BenchServer(FakeSts sts, KeycloakServer keycloak, Path javaHome) {
        this.sts = sts;
        this.keycloak = keycloak;
        this.javaHome = javaHome;
        this.jvm = new KeycloakJvm(keycloak.jvm(), javaHome);
    }

    static BenchServer start(BenchOptions options) {
        Path template = options.projectRoot().resolve("server/target/keycloak");
        Path workDir = options.projectRoot().resolve("bench/target/keycloak");
        Path javaHome = options.keycloakJavaHome() != null ? options.keycloakJavaHome() : Path.of(System.getProperty("java.home"));
        FakeSts sts = FakeSts.start();
        try {
            Map<String, String> environment = DemoRealm.environment();
            environment.put(KeycloakExtension.STS_ENDPOINT_VARIABLE, sts.baseUrl() + "/");
            // 10 minutes: on a 2-core machine shared with other builds (load average 20), start-dev's
            // augmentation and first start took more than 5.
            KeycloakServer keycloak = KeycloakServer.start(template, workDir, options.keycloakJavaHome(),
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

    KeycloakJvm jvm() {
        return jvm;
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

    @Override
    public void close() {
        try {
            keycloak.close();
        } finally {
            sts.close();
        }
    }
}
