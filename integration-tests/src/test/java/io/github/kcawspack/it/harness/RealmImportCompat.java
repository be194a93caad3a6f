package io.github.kcawspack.it.harness;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Makes the realm exports, written for Keycloak 26.6 and later, importable by Keycloak 26.5 in
 * the copy of the server a test run starts. The files in {@code realm-export/} are not changed.
 *
 * <p>The demo realm declares its own client scopes and asks Keycloak to create the built-in ones
 * as well ({@code basic}, {@code roles}, {@code profile}, {@code email}, ...) with the realm
 * attribute {@code CreateDefaultClientScopes}, which Keycloak reads since 26.6. Keycloak 26.5
 * ignores the attribute: a realm that declares client scopes gets only those, and the import
 * then fails on the user profile ("'required.scopes' configuration for attribute 'email'
 * contains unsupported scope 'email'"). For 26.5 the imported copy therefore lists the built-in
 * scopes explicitly, as Keycloak 26.5.6 creates them for a new realm
 * ({@code compat/keycloak-26.5-builtin-client-scopes.json}, without {@code offline_access}, which
 * Keycloak creates with its role at every import). Keycloak's own clients of such a realm
 * (account console, admin-cli, ...) are created before the scopes and get none (keycloak#10021);
 * no test uses them.
 */
public final class RealmImportCompat {

    static final String CREATE_DEFAULT_CLIENT_SCOPES = "CreateDefaultClientScopes";
    private static final String BUILT_IN_SCOPES = "/compat/keycloak-26.5-builtin-client-scopes.json";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private RealmImportCompat() {
    }

    /** True for a Keycloak that ignores {@code CreateDefaultClientScopes} (before 26.6). */
    public static boolean ignoresCreateDefaultClientScopes(String keycloakVersion) {
        String[] parts = keycloakVersion.split("\\.");
        int major = Integer.parseInt(parts[0]);
        int minor = parts.length > 1 ? Integer.parseInt(parts[1]) : 0;
        return major < 26 || (major == 26 && minor < 6);
    }

    /**
     * Rewrites, for {@code keycloakVersion}, every {@code *-realm.json} in {@code importDir} that
     * relies on {@code CreateDefaultClientScopes}; returns the files it changed.
     */
    public static List<Path> adapt(Path importDir, String keycloakVersion) {
        if (!ignoresCreateDefaultClientScopes(keycloakVersion) || !Files.isDirectory(importDir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(importDir)) {
            List<Path> changed = files.filter(f -> f.getFileName().toString().endsWith("-realm.json"))
                    .filter(RealmImportCompat::adaptFile).sorted().toList();
            return changed;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + importDir, e);
        }
    }

    /**
     * A realm representation as {@code keycloakVersion} can import it (for tests that import
     * through the admin REST API rather than from {@code data/import}); the same one when nothing
     * needs changing.
     *
     * @param realmJson       a realm representation
     * @param keycloakVersion the version of the server it is imported into
     * @return the JSON to import
     */
    public static String forVersion(String realmJson, String keycloakVersion) {
        if (!ignoresCreateDefaultClientScopes(keycloakVersion)) {
            return realmJson;
        }
        try {
            ObjectNode adapted = withExplicitBuiltInScopes((ObjectNode) JSON.readTree(realmJson));
            return adapted == null ? realmJson : JSON.writeValueAsString(adapted);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot adapt a realm representation", e);
        }
    }

    private static boolean adaptFile(Path file) {
        try {
            ObjectNode realm = (ObjectNode) JSON.readTree(file.toFile());
            ObjectNode adapted = withExplicitBuiltInScopes(realm);
            if (adapted == null) {
                return false;
            }
            JSON.writeValue(file.toFile(), adapted);
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot adapt " + file, e);
        }
    }

    /**
     * The realm with the built-in client scopes listed and the attribute removed, or null when
     * the realm does not ask for the built-in scopes.
     */
    static ObjectNode withExplicitBuiltInScopes(ObjectNode realm) {
        JsonNode attributes = realm.path("attributes");
        if (!attributes.isObject() || !"true".equalsIgnoreCase(attributes.path(CREATE_DEFAULT_CLIENT_SCOPES).asText())) {
            return null;
        }
        ((ObjectNode) attributes).remove(CREATE_DEFAULT_CLIENT_SCOPES);
        JsonNode builtIn = builtInScopes();
        ArrayNode scopes = realm.withArray("clientScopes");
        Set<String> declared = new HashSet<>();
        scopes.forEach(scope -> declared.add(scope.path("name").asText()));
        builtIn.path("clientScopes").forEach(scope -> {
            if (!declared.contains(scope.path("name").asText())) {
                scopes.add(scope.deepCopy());
            }
        });
        for (String list : List.of("defaultDefaultClientScopes", "defaultOptionalClientScopes")) {
            if (!realm.has(list)) {
                realm.set(list, builtIn.path(list).deepCopy());
            }
        }
        return realm;
    }

    private static JsonNode builtInScopes() {
        try (InputStream in = RealmImportCompat.class.getResourceAsStream(BUILT_IN_SCOPES)) {
            if (in == null) {
                throw new IllegalStateException("Missing test resource " + BUILT_IN_SCOPES);
            }
            return JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
