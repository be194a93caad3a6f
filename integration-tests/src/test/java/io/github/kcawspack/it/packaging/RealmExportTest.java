package io.github.kcawspack.it.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Rules every realm export in realm-export/ keeps, checked before any server starts. */
class RealmExportTest {

    private static final Path EXPORTS = Path.of(System.getProperty("project.root", ".."), "realm-export");
    /** ${NAME:development-default}: Keycloak resolves it from the environment at import. */
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{[A-Z][A-Z0-9_]*:[^}]+}");

    @Test
    void fileNamesMatchTheRealmTheyHold() throws IOException {
        for (Path file : exports()) {
            // Keycloak refuses to start on "File name / realm name mismatch" otherwise.
            String realm = read(file).path("realm").asText();
            assertThat(file.getFileName().toString()).isEqualTo(realm + "-realm.json");
        }
    }

    @Test
    void everySecretAndPasswordIsAnEnvironmentPlaceholder() throws IOException {
        for (Path file : exports()) {
            JsonNode realm = read(file);
            List<String> secrets = new ArrayList<>();
            realm.path("clients").forEach(client -> {
                if (client.has("secret")) {
                    secrets.add(client.get("secret").asText());
                }
            });
            realm.path("users").forEach(user -> user.path("credentials")
                    .forEach(credential -> secrets.add(credential.path("value").asText())));
            assertThat(secrets).as(file + " declares secrets").isNotEmpty();
            assertThat(secrets).allSatisfy(secret -> assertThat(secret).matches(PLACEHOLDER));
        }
    }

    private static List<Path> exports() throws IOException {
        try (Stream<Path> files = Files.list(EXPORTS)) {
            List<Path> exports = files.filter(p -> p.toString().endsWith(".json")).toList();
            assertThat(exports).isNotEmpty();
            return exports;
        }
    }

    @Test
    void noObjectNamesAKeyTwice() throws IOException {
        // A merge once left two "components" lists of one type in the demo realm: JSON readers keep
        // the last silently, and the realm lost its aws_identity settings without an error.
        for (Path export : exports()) {
            read(export);
        }
    }

    /** Parsed strictly: a key twice in one object is an error, not the last value winning. */
    private static JsonNode read(Path file) throws IOException {
        return new ObjectMapper().enable(com.fasterxml.jackson.core.JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
                .readTree(file.toFile());
    }
}
