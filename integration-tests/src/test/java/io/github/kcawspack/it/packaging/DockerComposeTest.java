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
import org.junit.jupiter.api.io.TempDir;

/**
 * docker-compose.yml cannot run here (no Docker engine, no compose plugin), so this checks what
 * would break it: the image version, the mounted paths after a build, the import directory, and
 * the guard that stops it before a build (its script run with bash, outside Docker).
 */
class DockerComposeTest {

    private static final Path ROOT = Path.of(System.getProperty("project.root", "..")).toAbsolutePath().normalize();
    private static JsonNode keycloak;
    private static JsonNode buildCheck;

    @BeforeAll
    static void parse() throws IOException {
        JsonNode compose = new ObjectMapper(new YAMLFactory()).readTree(ROOT.resolve("docker-compose.yml").toFile());
        keycloak = compose.path("services").path("keycloak");
        buildCheck = compose.path("services").path("build-check");
        assertThat(keycloak.isMissingNode()).as("a keycloak service").isFalse();
        assertThat(buildCheck.isMissingNode()).as("a build-check service").isFalse();
    }

    @Test
    void noBindMountCreatesAMissingHostPath() {
        // Docker's short syntax creates a missing host path as an empty directory: before a build,
        // Keycloak would start with empty directories where the JARs belong.
        keycloak.path("volumes").forEach(volume -> {
            assertThat(volume.path("type").asText()).as(volume.toString()).isEqualTo("bind");
            assertThat(volume.path("bind").path("create_host_path").asBoolean(true)).as(volume.toString()).isFalse();
            assertThat(volume.path("read_only").asBoolean()).as(volume.toString()).isTrue();
        });
    }

    @Test
    void keycloakStartsOnlyAfterTheBuildCheckPassed() {
        assertThat(keycloak.path("depends_on").path("build-check").path("condition").asText())
                .isEqualTo("service_completed_successfully");
        assertThat(buildCheck.path("image").asText()).as("no second image to pull").isEqualTo(keycloak.path("image").asText());
    }

    @Test
    void theBuildCheckStopsWithTheBuildCommandBeforeABuildAndPassesAfterIt(@TempDir Path project) throws Exception {
        Outcome before = runBuildCheck(project);
        assertThat(before.exit()).isEqualTo(1);
        assertThat(before.stderr()).contains(
                "server/target/keycloak/providers/aws-pack-aws-identity.jar is missing",
                "Build the pack first: mvn -B package -DskipTests");
        try (Stream<Path> created = Files.list(project)) {
            assertThat(created).as("the check creates nothing").isEmpty();
        }

        Path providers = Files.createDirectories(project.resolve("server/target/keycloak/providers"));
        for (Mount mount : mounts()) {
            if (mount.container().startsWith("/opt/keycloak/providers/")) {
                Files.writeString(providers.resolve(Path.of(mount.container()).getFileName()), "jar");
            }
        }
        Outcome after = runBuildCheck(project);
        assertThat(after.exit()).as(after.stderr()).isZero();

        assertThat(runBuildCheck(ROOT).exit()).as("this build's own JARs").isZero();
    }

    private record Outcome(int exit, String stderr) {
    }

    /** The service's script as the container's bash runs it, with /project being {@code project}. */
    private static Outcome runBuildCheck(Path project) throws Exception {
        assertThat(buildCheck.path("entrypoint").toString()).isEqualTo("[\"/bin/bash\",\"-c\"]");
        assertThat(buildCheck.path("volumes").get(0).path("target").asText()).isEqualTo("/project");
        // Compose turns $$ into $ (a single $ would be its own variable interpolation).
        String script = buildCheck.path("command").get(0).asText().replace("$$", "$")
                .replace("/project/", project.toAbsolutePath() + "/");
        Process bash = new ProcessBuilder("bash", "-c", script).start();
        String stderr = new String(bash.getErrorStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        return new Outcome(bash.waitFor(), stderr);
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
        keycloak.path("volumes").forEach(volume -> mounts.add(new Mount(volume.path("source").asText(),
                volume.path("target").asText())));
        assertThat(mounts).isNotEmpty();
        return mounts;
    }
}
