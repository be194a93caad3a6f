package io.github.kcawspack.it.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * docker-compose.yml cannot run here (no Docker engine), so this checks what would break it:
 * the image version, the mounted paths after a build, the import directory.
 */
class DockerComposeTest {

    private static final Path ROOT = Path.of(System.getProperty("project.root", "..")).toAbsolutePath().normalize();
    private static JsonNode keycloak;

    @BeforeAll
    static void parse() throws IOException {
        JsonNode compose = new ObjectMapper(new YAMLFactory()).readTree(ROOT.resolve("docker-compose.yml").toFile());
        keycloak = compose.path("services").path("keycloak");
        assertThat(keycloak.isMissingNode()).as("a keycloak service").isFalse();
    }

    @Test
    void imageIsTheKeycloakVersionTheBuildTargets() {
        assertThat(keycloak.path("image").asText())
                .isEqualTo("quay.io/keycloak/keycloak:" + System.getProperty("keycloak.version"));
    }

    @Test
    void everyMountedHostPathExistsAfterTheBuild() {
        for (Mount mount : mounts()) {
            assertThat(ROOT.resolve(mount.host())).as("host side of " + mount).exists();
        }
    }

    @Test
    void everyProviderJarTheBuildInstallsIsMounted() throws IOException {
        List<String> mounted = mounts().stream()
                .filter(m -> m.container().startsWith("/opt/keycloak/providers/"))
                .map(m -> Path.of(m.container()).getFileName().toString())
                .toList();
        List<String> built;
        try (Stream<Path> jars = Files.list(ROOT.resolve("server/target/keycloak/providers"))) {
            built = jars.map(p -> p.getFileName().toString())
                    .filter(name -> name.endsWith(".jar") && !name.endsWith("-theme.jar"))
                    .toList();
        }
        assertThat(built).isNotEmpty();
        assertThat(mounted).containsExactlyInAnyOrderElementsOf(built);
    }

    @Test
    void themeDirectoryAndRealmExportsAreMountedWhereKeycloakReadsThem() {
        assertThat(mounts()).anySatisfy(m -> {
            assertThat(m.host()).isEqualTo("./themes/aws-pack");
            assertThat(m.container()).isEqualTo("/opt/keycloak/themes/aws-pack");
        });
        assertThat(mounts()).anySatisfy(m -> {
            assertThat(m.host()).isEqualTo("./realm-export");
            assertThat(m.container()).isEqualTo("/opt/keycloak/data/import");
        });
        assertThat(keycloak.path("command").toString()).contains("--import-realm");
    }

    @Test
    void readinessIsCheckedOnTheManagementPort() {
        assertThat(keycloak.path("environment").path("KC_HEALTH_ENABLED").asText()).isEqualTo("true");
        assertThat(keycloak.path("healthcheck").path("test").toString()).contains("9000", "/health/ready");
    }

    private record Mount(String host, String container) {
    }

    private static List<Mount> mounts() {
        List<Mount> mounts = new ArrayList<>();
        keycloak.path("volumes").forEach(volume -> {
            String[] parts = volume.asText().split(":");
            mounts.add(new Mount(parts[0], parts[1]));
        });
        assertThat(mounts).isNotEmpty();
        return mounts;
    }
}
