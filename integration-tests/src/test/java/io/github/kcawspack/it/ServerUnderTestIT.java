package io.github.kcawspack.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.kcawspack.it.harness.KeycloakExtension;
import io.github.kcawspack.it.harness.KeycloakServer;
import io.github.kcawspack.it.harness.OAuthClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What the compatibility table reports is what ran: the Keycloak version and the JDK the server
 * says it runs on, and each provider JAR's start-time linkage check (a JAR that does not link
 * against the running Keycloak stops the start with one line naming the version, instead of
 * failing requests), which must have run and passed.
 */
@ExtendWith(KeycloakExtension.class)
class ServerUnderTestIT {

    @Test
    void theServerIsTheRequestedKeycloakOnTheRequestedJdk(KeycloakServer server) throws IOException {
        JsonNode system = new OAuthClient(server, "master")
                .get(server.baseUrl() + "/admin/serverinfo", OAuthClient.adminToken(server)).json().path("systemInfo");

        assertThat(system.path("version").asText()).isEqualTo(server.version());
        String expectedVersion = System.getProperty("keycloak.server.version", "");
        if (!expectedVersion.isBlank()) {
            assertThat(server.version()).isEqualTo(expectedVersion);
        }
        String requestedJdk = System.getProperty("keycloak.java.home", "");
        Path jdk = Path.of(requestedJdk.isBlank() ? System.getProperty("java.home") : requestedJdk).toRealPath();
        assertThat(Path.of(system.path("javaHome").asText()).toRealPath()).isEqualTo(jdk);
        System.out.printf("Keycloak %s runs on Java %s (%s) at %s%n", system.path("version").asText(),
                system.path("javaVersion").asText(), system.path("javaVendor").asText(), system.path("javaHome").asText());
    }

    @Test
    void everyProviderJarCheckedItsLinkageAgainstTheRunningKeycloak(KeycloakServer server) throws IOException {
        String log = Files.readString(server.log());
        for (String jar : new String[] {"aws-pack-aws-identity", "aws-pack-rfc6749-client-auth"}) {
            assertThat(log).as(jar + "'s start-time linkage check in " + server.log())
                    .containsPattern(jar + " links against Keycloak " + server.version().replace(".", "\\.")
                            + " \\(compiled against Keycloak [0-9.]+\\): all [0-9]+ references of its [0-9]+ classes resolve");
        }
        assertThat(log).doesNotContain("cannot run on Keycloak").doesNotContain("linkage check:");
    }
}
