package io.github.kcawspack.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.kcawspack.it.harness.AdminRest;
import io.github.kcawspack.it.harness.KeycloakServer;
import io.github.kcawspack.it.harness.RealmImportCompat;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.Matcher;
import java.util.UUID;
import java.util.TreeSet;
import org.keycloak.admin.client.CreatedResponseUtil;
import org.keycloak.representations.idm.ComponentRepresentation;
import org.keycloak.representations.idm.FederatedIdentityRepresentation;
import org.keycloak.representations.idm.IdentityProviderRepresentation;
import org.keycloak.representations.idm.UserRepresentation;

/**
 * A realm's aws_identity settings, the items of the admin console pages aws-identity-settings and
 * aws-principal-bindings (realm components), read and changed through the admin REST API as an
 * administrator or a deployment script would. Tests that add items remove them when done, since
 * the server is shared by the whole run.
 */
final class AwsRealmConfig {

    static final String COMPONENT_TYPE = "org.keycloak.services.ui.extend.UiPageProvider";
    static final String SETTINGS_PAGE = "aws-identity-settings";
    static final String BINDINGS_PAGE = "aws-principal-bindings";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final KeycloakServer server;

    /** A status and body from the admin REST API. */
    record Reply(int status, String body, String location) {
    }

    AwsRealmConfig(KeycloakServer server) {
        this.server = server;
    }

    /**
     * A binding item's representation; {@code fields} are key, value pairs, a value with "##"
     * being several values (groups, roles).
     */
    static ObjectNode binding(String name, String... fields) {
        ObjectNode item = JSON.createObjectNode();
        item.put("name", name);
        item.put("providerId", BINDINGS_PAGE);
        item.put("providerType", COMPONENT_TYPE);
        ObjectNode config = item.putObject("config");
        for (int i = 0; i < fields.length; i += 2) {
            ArrayNode values = config.putArray(fields[i]);
            for (String value : fields[i + 1].split("##", -1)) {
                values.add(value);
            }
        }
        return item;
    }

    /**
     * POSTs an item to {@code realm}'s components, whatever the answer: by hand ({@link AdminRest}),
     * since tests read the 400 body of a refused item (the validation message the console shows).
     */
    Reply create(String realm, ObjectNode item) {
        ObjectNode withParent = item.deepCopy();
        withParent.put("parentId", realmId(realm));
        return send("POST", "/admin/realms/" + realm + "/components", withParent.toString());
    }

    /** Creates an item and returns its id; fails the test when the server refuses it. */
    String add(String realm, ObjectNode item) {
        Reply reply = create(realm, item);
        if (reply.status() != 201) {
            throw new AssertionError("creating " + item + " in " + realm + ": " + reply);
        }
        return reply.location().substring(reply.location().lastIndexOf('/') + 1);
    }

    void remove(String realm, String id) {
        server.admin().realm(realm).components().component(id).remove();
    }

    /** The realm's items of the two pages, as the admin REST API lists them. */
    List<JsonNode> items(String realm) {
        List<JsonNode> items = new ArrayList<>();
        for (ComponentRepresentation item : server.admin().realm(realm).components().query(realmId(realm), COMPONENT_TYPE)) {
            if (item.getProviderId().equals(SETTINGS_PAGE) || item.getProviderId().equals(BINDINGS_PAGE)) {
                items.add(JSON.valueToTree(item));
            }
        }
        return items;
    }

    /**
     * Adds the identity provider {@code aws} ({@code aws-principal-links}) to {@code realm} as the
     * pack's link store: disabled, hidden and link-only, so nobody signs in through it.
     */
    void addLinkProvider(String realm) {
        IdentityProviderRepresentation provider = new IdentityProviderRepresentation();
        provider.setAlias("aws");
        provider.setProviderId("aws-principal-links");
        provider.setEnabled(false);
        provider.setHideOnLogin(true);
        provider.setLinkOnly(true);
        try (var created = server.admin().realm(realm).identityProviders().create(provider)) {
            assertThat(created.getStatus()).as("creating the identity provider aws in " + realm).isEqualTo(201);
        }
    }

    /** Creates a user without credentials (a machine's) and a complete profile; returns its id. */
    String createMachineUser(String realm, String username) {
        UserRepresentation user = new UserRepresentation();
        user.setUsername(username);
        user.setEnabled(true);
        user.setEmail(username + "@example.test");
        user.setEmailVerified(true);
        user.setFirstName("Machine");
        user.setLastName("User");
        try (var created = server.admin().realm(realm).users().create(user)) {
            return CreatedResponseUtil.getCreatedId(created);
        }
    }

    /**
     * Links the user {@code userId} to the AWS principal {@code arn} through the identity provider
     * {@code aws}, as an administrator does; {@code uniqueId} "*" leaves it to be recorded on first use.
     */
    void link(String realm, String userId, String arn, String uniqueId) {
        FederatedIdentityRepresentation link = new FederatedIdentityRepresentation();
        link.setIdentityProvider("aws");
        link.setUserId(arn);
        link.setUserName(uniqueId);
        try (var created = server.admin().realm(realm).users().get(userId).addFederatedIdentity("aws", link)) {
            assertThat(created.getStatus()).as("linking " + userId + " to " + arn).isBetween(200, 299);
        }
    }

    String realmId(String realm) {
        return server.admin().realm(realm).toRepresentation().getId();
    }

    /** An admin API call by hand ({@link AdminRest}), whatever the answer, for the calls whose raw answer a test reads. */
    Reply send(String method, String path, String json) {
        AdminRest.Answer answer = server.adminRest().call(method, path, json);
        return new Reply(answer.status(), answer.body(), answer.location());
    }

    /**
     * Imports {@code realmJson} (a realm export) as realm {@code name} through the admin REST API,
     * every id replaced by a fresh one (ids are unique across realms) and adapted to the server's
     * version; fails the test unless Keycloak answers 201.
     */
    void importRealm(String name, String realmJson) {
        // Keycloak 26.5 cannot import the realm format of 26.6 and later as it is (docs/compatibility.md).
        String json = RealmImportCompat.forVersion(realmJson, server.version());
        Matcher ids = Pattern.compile("\"id\"\\s*:\\s*\"([^\"]+)\"").matcher(json);
        TreeSet<String> seen = new TreeSet<>();
        while (ids.find()) {
            seen.add(ids.group(1));
        }
        for (String id : seen) {
            json = json.replace("\"" + id + "\"", "\"" + UUID.randomUUID() + "\"");
        }
        ObjectNode realm = (ObjectNode) parse(json);
        // An identity provider's internalId is unique across realms too (the export carries the
        // aws link store's); the import gives it a new one.
        realm.path("identityProviders").forEach(provider -> ((ObjectNode) provider).remove("internalId"));
        realm.put("realm", name);
        realm.remove("displayName");
        // By hand (AdminRest): the export must reach the server as written; read into the 26.0 admin
        // client's RealmRepresentation it would lose what newer servers export.
        Reply reply = send("POST", "/admin/realms", realm.toString());
        assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
    }

    static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
