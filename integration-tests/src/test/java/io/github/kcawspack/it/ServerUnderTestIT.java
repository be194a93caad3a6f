package io.github.kcawspack.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.kcawspack.it.harness.KeycloakExtension;
import io.github.kcawspack.it.harness.KeycloakServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.keycloak.representations.info.SystemInfoRepresentation;

/**
 * What the compatibility table reports is what ran: the Keycloak version and the JDK the server
 * says it runs on, and each provider JAR's start-time compatibility check (a JAR on a Keycloak minor
 * it was not tested on, or whose overrides of Keycloak no longer hold, stops the start with one
 * line naming the running and the tested versions), which must have run and passed.
 */
@ExtendWith(KeycloakExtension.class)
class ServerUnderTestIT {

    @Test
    void theServerIsTheRequestedKeycloakOnTheRequestedJdk(KeycloakServer server) throws IOException {
        SystemInfoRepresentation system = server.admin().serverInfo().getInfo().getSystemInfo();

        assertThat(system.getVersion()).isEqualTo(server.version());
        String expectedVersion = System.getProperty("keycloak.server.version", "");
        if (!expectedVersion.isBlank()) {
            assertThat(server.version()).isEqualTo(expectedVersion);
        }
        String requestedJdk = System.getProperty("keycloak.java.home", "");
        Path jdk = Path.of(requestedJdk.isBlank() ? System.getProperty("java.home") : requestedJdk).toRealPath();
        assertThat(Path.of(system.getJavaHome()).toRealPath()).isEqualTo(jdk);
        System.out.printf("Keycloak %s runs on Java %s (%s) at %s%n", system.getVersion(),
                system.getJavaVersion(), system.getJavaVendor(), system.getJavaHome());
    }

    @Test
    void everyProviderJarCheckedTheRunningKeycloak(KeycloakServer server) throws IOException {
        String log = Files.readString(server.log());
        for (String jar : new String[] {"aws-pack-aws-identity", "aws-pack-rfc6749-client-auth", "aws-pack-scope-policy"}) {
            assertThat(log).as(jar + "'s start-time compatibility check in " + server.log())
                    .containsPattern(jar + " starts on Keycloak " + server.version().replace(".", "\\.")
                            + " \\(tested on Keycloak [0-9., ]+\\): its [0-9]+ @KeycloakOverride methods override Keycloak"
                            + " methods, its [0-9]+ classes leave no abstract Keycloak method unimplemented");
        }
        assertThat(log).doesNotContain("refuses to start on Keycloak");
    }
}
