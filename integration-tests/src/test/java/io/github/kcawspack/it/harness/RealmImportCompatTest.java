package io.github.kcawspack.it.harness;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RealmImportCompatTest {

    private static final Path DEMO_REALM = Path.of(System.getProperty("project.root", ".."), "realm-export", "demo-realm.json");
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void onlyKeycloakBefore26_6IgnoresTheAttribute() {
        assertThat(RealmImportCompat.ignoresCreateDefaultClientScopes("26.5.6")).isTrue();
        assertThat(RealmImportCompat.ignoresCreateDefaultClientScopes("26.4.7")).isTrue();
        assertThat(RealmImportCompat.ignoresCreateDefaultClientScopes("26.6.0")).isFalse();
        assertThat(RealmImportCompat.ignoresCreateDefaultClientScopes("26.7.3")).isFalse();
        assertThat(RealmImportCompat.ignoresCreateDefaultClientScopes("27.0.0")).isFalse();
    }

    @Test
    void newerKeycloakImportsTheExportUnchanged(@TempDir Path dir) throws IOException {
        Path copy = Files.copy(DEMO_REALM, dir.resolve("demo-realm.json"));
        assertThat(RealmImportCompat.adapt(dir, "26.6.4")).isEmpty();
        assertThat(Files.readString(copy)).isEqualTo(Files.readString(DEMO_REALM));
    }

    @Test
    void for26_5TheDemoRealmListsTheBuiltInScopesItsClientsAndUserProfileUse(@TempDir Path dir) throws IOException {
        Path copy = Files.copy(DEMO_REALM, dir.resolve("demo-realm.json"));
        assertThat(RealmImportCompat.adapt(dir, "26.5.6")).containsExactly(copy);

        JsonNode realm = JSON.readTree(copy.toFile());
        assertThat(realm.path("attributes").has(RealmImportCompat.CREATE_DEFAULT_CLIENT_SCOPES)).isFalse();
        List<String> scopes = new ArrayList<>();
        realm.path("clientScopes").forEach(scope -> scopes.add(scope.path("name").asText()));
        assertThat(scopes).doesNotHaveDuplicates()
                .contains("read", "write", "groups", "user_info", "foo", "bar", "qux")
                .contains("basic", "roles", "profile", "email", "web-origins", "acr")
                .doesNotContain("offline_access");
        // every scope a client or the realm defaults name exists
        List<String> referenced = new ArrayList<>();
        realm.path("clients").forEach(client -> {
            client.path("defaultClientScopes").forEach(s -> referenced.add(s.asText()));
            client.path("optionalClientScopes").forEach(s -> referenced.add(s.asText()));
        });
        realm.path("defaultDefaultClientScopes").forEach(s -> referenced.add(s.asText()));
        realm.path("defaultOptionalClientScopes").forEach(s -> referenced.add(s.asText()));
        assertThat(scopes).containsAll(referenced);
        // the rest of the realm is untouched
        ObjectNode original = (ObjectNode) JSON.readTree(DEMO_REALM.toFile());
        assertThat(realm.path("clients")).isEqualTo(original.path("clients"));
        assertThat(realm.path("users")).isEqualTo(original.path("users"));
        assertThat(realm.path("components")).isEqualTo(original.path("components"));
    }
}
