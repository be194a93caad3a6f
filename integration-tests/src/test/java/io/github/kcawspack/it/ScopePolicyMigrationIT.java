package io.github.kcawspack.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.kcawspack.it.harness.KeycloakExtension;
import io.github.kcawspack.it.harness.KeycloakServer;
import io.github.kcawspack.it.harness.OAuthClient;
import io.github.kcawspack.it.harness.OAuthClient.Answer;
import io.github.kcawspack.it.harness.PolicyComponents;
import io.github.kcawspack.it.harness.PolicyRealm;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.WebApplicationException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.keycloak.representations.idm.RealmRepresentation;

/**
 * Issue 16: realms exported by earlier versions hold the policy as a JSON string in the required
 * action's config. Imported into this version they are migrated to components on import and
 * behave exactly as the same realm written with components; a realm with both refuses tokens; a string that cannot be migrated leaves the realm refusing tokens, never unprotected.
 */
@ExtendWith(KeycloakExtension.class)
class ScopePolicyMigrationIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PASSWORD = "migration-password";
    /** Every kind of field a rule has, across three scopes, and a top level that is not the default. */
    private static final String POLICY = """
            {"mode": "filter", "strict": false, "allowGrantTypes": ["urn:ietf:params:oauth:grant-type:uma-ticket"], "rules": [
              {"scope": "write", "realmRoles": ["writer"]},
              {"scope": "write", "clients": ["strict-app"], "realmRoles": ["writer"], "mode": "reject"},
              {"scope": "report", "groups": ["/staff"], "clientRoles": {"app": ["reporter"]}},
              {"scope": "deploy", "awsPrincipals": [{"account": "123456789012", "type": "role", "name": "deployer"}],
               "grantTypes": ["aws_identity"]}]}""";

    /** Requests whose outcome both realms must agree on: user, client, scope. */
    private static final List<String[]> REQUESTS = List.of(
            new String[] {"alice", "app", "read write report deploy"},
            new String[] {"bob", "app", "read write report deploy"},
            new String[] {"carol", "app", "read write report deploy"},
            new String[] {"dave", "app", "read report"},
            new String[] {"alice", "strict-app", "read write"},
            new String[] {"bob", "strict-app", "read write"},
            new String[] {"bob", "strict-app", "read"});

    @Test
    void aRealmWithTheOldJsonStringImportsAndEnforcesIdenticallyToTheSameRealmWithComponents(KeycloakServer server) throws Exception {
        String legacy = "legacy-" + suffix();
        String structured = "structured-" + suffix();
        importRealm(server, withJsonString(realm(legacy), POLICY));
        importRealm(server, withComponents(realm(structured), POLICY));
        try {
            assertThat(PolicyComponents.items(server, legacy)).as("migrated on import: one settings item and four rules").hasSize(5);
            Map<String, String> config = server.admin().realm(legacy).flows().getRequiredActionConfig("restricted-scope-policy").getConfig();
            assertThat(config == null ? Map.of() : config).as("the string is gone once migrated").doesNotContainKey("policy");

            Map<String, String> before = outcomes(server, legacy);
            Map<String, String> after = outcomes(server, structured);
            assertThat(before).as("the migrated realm answers as the one written with components").isEqualTo(after);
            assertThat(before.get("bob app read write report deploy")).isEqualTo("200 read");
            assertThat(before.get("alice app read write report deploy")).isEqualTo("200 read write");
            assertThat(before.get("carol app read write report deploy")).as("carol is in /staff/berlin").isEqualTo("200 read report");
            assertThat(before.get("dave app read report")).as("dave holds app's client role reporter").isEqualTo("200 read report");
            assertThat(before.get("bob strict-app read write")).isEqualTo("400 invalid_scope");
        } finally {
            server.admin().realm(legacy).remove();
            server.admin().realm(structured).remove();
        }
    }

    @Test
    void aRealmWithBothRefusesTokensUntilTheStringIsRemoved(KeycloakServer server) throws Exception {
        String name = "both-" + suffix();
        // The string would open write to everyone; the components withhold it from non-writers.
        ObjectNode realm = withComponents(realm(name), "{\"rules\": [{\"scope\": \"write\", \"realmRoles\": [\"writer\"]}]}");
        withJsonString(realm, "{\"rules\": [{\"scope\": \"read\", \"realmRoles\": [\"writer\"]}]}");
        importRealm(server, realm);
        try {
            assertThat(PolicyComponents.items(server, name)).hasSize(2);
            // An attack: a file with the settings item but no rules, beside an old string, was
            // unrestricted. Which of two policies was meant cannot be told: no token until one is gone.
            assertThat(token(server, name, "bob", "app", "read write")).as("fails closed").startsWith("500 server_error");
            assertThat(token(server, name, "alice", "app", "read")).startsWith("500 server_error");
        } finally {
            server.admin().realm(name).remove();
        }
    }

    /**
     * A string that cannot be migrated (here a rule for a scope the realm lacks) stays where it
     * is, and the realm refuses tokens, as earlier versions did for an invalid policy.
     */
    @Test
    void aStringThatCannotBeMigratedLeavesTheRealmRefusingTokens(KeycloakServer server) throws Exception {
        String name = "typo-" + suffix();
        importRealm(server, withJsonString(realm(name), "{\"rules\": [{\"scope\": \"wirte\", \"realmRoles\": [\"writer\"]}]}"));
        try {
            assertThat(PolicyComponents.items(server, name)).isEmpty();
            Answer bob = tokenAnswer(server, name, "bob", "app", "read");
            assertThat(bob.status()).as(bob.toString()).isEqualTo(500);
            assertThat(bob.text("error")).isEqualTo("server_error");
            assertThat(bob.text("error_description")).isEqualTo("scope policy unavailable");
        } finally {
            server.admin().realm(name).remove();
        }
    }

    /**
     * Keycloak checks imported components with the page's own validation: a realm file whose rule
     * names a client scope the realm lacks is not imported at all, so it never runs unprotected.
     * Keycloak answers such an import with 500 unknown_error and logs the rule's message.
     */
    @Test
    void aRealmFileWithAnInvalidRuleIsNotImported(KeycloakServer server) throws Exception {
        String name = "invalid-rule-" + suffix();
        ObjectNode realm = withComponents(realm(name), "{\"rules\": [{\"scope\": \"wirte\", \"realmRoles\": [\"writer\"]}]}");
        RealmRepresentation file = PolicyRealm.read(realm.toString(), RealmRepresentation.class);
        try {
            assertThatThrownBy(() -> server.admin().realms().create(file)).as("the import is refused")
                    .isInstanceOfSatisfying(WebApplicationException.class,
                            refused -> assertThat(refused.getResponse().getStatus()).isEqualTo(500));
            assertThatThrownBy(() -> server.admin().realm(name).toRepresentation()).as("no realm was created")
                    .isInstanceOf(NotFoundException.class);
        } finally {
            try {
                server.admin().realm(name).remove();
            } catch (NotFoundException notImported) {
                // the expected case
            }
        }
    }

    /** Imports {@code realm}, a realm file, as an operator does through the admin API; fails on a refusal. */
    private static void importRealm(KeycloakServer server, ObjectNode realm) {
        server.admin().realms().create(PolicyRealm.read(realm.toString(), RealmRepresentation.class));
    }

    private static Map<String, String> outcomes(KeycloakServer server, String realm) {
        Map<String, String> outcomes = new LinkedHashMap<>();
        for (String[] request : REQUESTS) {
            outcomes.put(String.join(" ", request), token(server, realm, request[0], request[1], request[2]));
        }
        return outcomes;
    }

    /** "status scope-words-sorted" or "status error". */
    private static String token(KeycloakServer server, String realm, String user, String client, String scope) {
        Answer answer = tokenAnswer(server, realm, user, client, scope);
        if (answer.status() != 200) {
            return answer.status() + " " + answer.text("error");
        }
        List<String> words = new ArrayList<>(List.of(answer.text("scope").split(" ")));
        words.removeIf(word -> !List.of("read", "write", "report", "deploy").contains(word));
        words.sort(null);
        return "200 " + String.join(" ", words);
    }

    private static Answer tokenAnswer(KeycloakServer server, String realm, String user, String client, String scope) {
        return server.oauth(realm).token(OAuthClient.form("grant_type", "password", "username", user,
                "password", PASSWORD, "scope", scope), client + ":" + client + "-secret");
    }

    /**
     * A realm as an earlier version exported it, without its policy: role writer; client role
     * app/reporter; group /staff/berlin; optional scopes read, write, report, deploy on the
     * confidential clients app and strict-app; alice (writer), bob, carol (in /staff/berlin),
     * dave (app/reporter); the required action "Restricted scope policy", enabled.
     */
    private static ObjectNode realm(String name) throws Exception {
        ObjectNode realm = (ObjectNode) JSON.readTree("""
                {"realm": "%1$s", "enabled": true,
                 "roles": {"realm": [{"name": "writer"}], "client": {"app": [{"name": "reporter"}]}},
                 "groups": [{"name": "staff", "path": "/staff", "subGroups": [{"name": "berlin", "path": "/staff/berlin"}]}],
                 "clientScopes": [%2$s, %3$s, %4$s, %5$s],
                 "clients": [%6$s, %7$s],
                 "users": [%8$s, %9$s, %10$s, %11$s],
                 "requiredActions": [{"alias": "restricted-scope-policy", "name": "Restricted scope policy",
                                      "providerId": "restricted-scope-policy", "enabled": true,
                                      "defaultAction": false, "priority": 1000, "config": {}}]}
                """.formatted(name, scope("read"), scope("write"), scope("report"), scope("deploy"), client("app"), client("strict-app"),
                user("alice", "\"realmRoles\": [\"writer\"]"), user("bob", null), user("carol", "\"groups\": [\"/staff/berlin\"]"),
                user("dave", "\"clientRoles\": {\"app\": [\"reporter\"]}")));
        return realm;
    }

    private static ObjectNode withJsonString(ObjectNode realm, String policy) {
        ((ObjectNode) realm.get("requiredActions").get(0).get("config")).put("policy", policy);
        return realm;
    }

    private static ObjectNode withComponents(ObjectNode realm, String policy) {
        ArrayNode items = realm.putObject("components").putArray(PolicyComponents.PAGE_TYPE);
        PolicyComponents.components(policy, true).forEach(component -> {
            component.remove("providerType");
            items.add(component);
        });
        return realm;
    }

    private static String scope(String name) {
        return """
                {"name": "%s", "protocol": "openid-connect", "attributes": {"include.in.token.scope": "true"}}""".formatted(name);
    }

    private static String client(String clientId) {
        return """
                {"clientId": "%1$s", "enabled": true, "publicClient": false, "secret": "%1$s-secret",
                 "directAccessGrantsEnabled": true, "standardFlowEnabled": false, "fullScopeAllowed": true,
                 "defaultClientScopes": [], "optionalClientScopes": ["read", "write", "report", "deploy"]}""".formatted(clientId);
    }

    private static String user(String username, String membership) {
        return """
                {"username": "%s", "enabled": true, "email": "%s@example.test", "emailVerified": true,
                 "firstName": "%s", "lastName": "Tester",
                 "credentials": [{"type": "password", "value": "%s", "temporary": false}]%s}"""
                .formatted(username, username, username, PASSWORD, membership == null ? "" : ", " + membership);
    }

    private static String suffix() {
        return UUID.randomUUID().toString().substring(0, 8);
    }
}
