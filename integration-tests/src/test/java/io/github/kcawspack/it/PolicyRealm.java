package io.github.kcawspack.it;

import static io.github.kcawspack.it.harness.OAuthClient.admin;
import static io.github.kcawspack.it.harness.OAuthClient.form;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jwt.JWTClaimsSet;
import io.github.kcawspack.it.harness.KeycloakExtension;
import io.github.kcawspack.it.harness.KeycloakServer;
import io.github.kcawspack.it.harness.OAuthClient;
import io.github.kcawspack.it.harness.PolicyComponents;
import io.github.kcawspack.it.harness.OAuthClient.Answer;
import io.github.kcawspack.it.harness.TokenVerifier;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A small realm of a test class's own, built through the admin REST API (never from
 * realm-export/): realm role {@code writer}; users {@link #ALICE} (a writer) and {@link #BOB}
 * (not); optional client scopes {@code read} and {@code write}, each with a hardcoded-claim
 * mapper ({@code api_read}, {@code api_write}: true) so a test sees in the token which one it got;
 * a confidential client {@link #CLIENT} with every flow a test may switch on through
 * client attributes; the login theme {@code aws-pack}; the pack's "Restricted scope policy"
 * required action, enabled; and {@link #WRITE_NEEDS_WRITER} as the realm's policy items unless a
 * test sets another.
 * {@link #close} deletes the realm.
 */
final class PolicyRealm implements AutoCloseable {

    static final String ALICE = "alice";
    static final String ALICE_PASSWORD = "alice-password";
    static final String BOB = "bob";
    static final String BOB_PASSWORD = "bob-password";

    static final String CLIENT = "app";
    static final String CLIENT_SECRET = "app-secret";
    static final String CLIENT_BASIC = CLIENT + ":" + CLIENT_SECRET;
    static final String REDIRECT = "https://app.example.test/callback";

    /** The policy of issue 13's reports: write only for realm role writer, mode filter. */
    static final String WRITE_NEEDS_WRITER = """
            {"mode": "filter", "rules": [{"scope": "write", "realmRoles": ["writer"]}]}""";

    static final String DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code";
    static final String CIBA_GRANT = "urn:openid:params:grant-type:ciba";
    static final String JWT_BEARER_GRANT = "urn:ietf:params:oauth:grant-type:jwt-bearer";
    static final String TOKEN_EXCHANGE_GRANT = "urn:ietf:params:oauth:grant-type:token-exchange";
    static final String UMA_GRANT = "urn:ietf:params:oauth:grant-type:uma-ticket";
    static final String PRE_AUTHORIZED_CODE_GRANT = "urn:ietf:params:oauth:grant-type:pre-authorized_code";
    /** The test-only grant type of test-providers/unknown-grant-type, installed into the tests' Keycloak only. */
    static final String TEST_ONLY_GRANT = "urn:example:params:oauth:grant-type:test-only";

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Skips the calling test class on a Keycloak that registers no JWT authorization grant (before
     * 26.6 it is the preview feature {@code jwt-authorization-grant}, off by default: the run
     * switches it on with {@code -Dkeycloak.it.features=jwt-authorization-grant}, as
     * {@code bin/test-compat} does in 26.5's JDK 17 cell); from 26.6 on the grant must be there.
     */
    static final String JWT_AUTHORIZATION_GRANT_FEATURE = "jwt-authorization-grant";

    static void assumeJwtBearerGrant(KeycloakServer server) {
        boolean registered = EveryGrantTypeIT.registeredGrantTypes(server).contains(JWT_BEARER_GRANT);
        boolean switchedOn = Arrays.asList(System.getProperty(KeycloakExtension.EXTRA_FEATURES_PROPERTY, "").split(","))
                .contains(JWT_AUTHORIZATION_GRANT_FEATURE);
        assumeTrue(registered || server.isAtLeast(26, 6) || switchedOn, "Keycloak " + server.version()
                + " registers no JWT authorization grant: before 26.6 it is the preview feature "
                + JWT_AUTHORIZATION_GRANT_FEATURE + ", off by default (-D" + KeycloakExtension.EXTRA_FEATURES_PROPERTY
                + "=" + JWT_AUTHORIZATION_GRANT_FEATURE + " switches it on)");
        assertThat(registered).as("Keycloak %s registers the JWT authorization grant (by default from 26.6, or switched on)",
                server.version()).isTrue();
    }

    private static final String POLICY_ACTION = "restricted-scope-policy";

    private final KeycloakServer server;
    private final String name;
    private final OAuthClient oauth;
    private TokenVerifier tokens;

    private PolicyRealm(KeycloakServer server, String name) {
        this.server = server;
        this.name = name;
        this.oauth = new OAuthClient(server, name);
    }

    /**
     * Creates the realm (deleting one of that name a failed run left behind) with {@link #CLIENT}
     * carrying {@code clientAttributes} on top of its own, and {@link #WRITE_NEEDS_WRITER} active.
     */
    static PolicyRealm create(KeycloakServer server, String name, Map<String, String> clientAttributes) {
        PolicyRealm realm = new PolicyRealm(server, name);
        realm.build(clientAttributes);
        return realm;
    }

    private void build(Map<String, String> clientAttributes) {
        try {
            admin(server, "DELETE", "/admin/realms/" + name, null);
        } catch (AssertionError noSuchRealm) {
            // the usual case
        }
        ObjectNode realm = JSON.createObjectNode()
                .put("realm", name).put("enabled", true).put("loginTheme", "aws-pack").put("eventsEnabled", true);
        realm.putObject("attributes")
                .put("cibaBackchannelTokenDeliveryMode", "poll")
                .put("cibaAuthRequestedUserHint", "login_hint")
                .put("cibaExpiresIn", "120")
                .put("cibaInterval", "1");
        admin(server, "POST", "/admin/realms", realm.toString());
        admin(server, "POST", path("/roles"), "{\"name\": \"writer\"}");
        clientScope("read", "Read the API", "api_read");
        clientScope("write", "Change data through the API", "api_write");

        ObjectNode client = JSON.createObjectNode()
                .put("clientId", CLIENT).put("secret", CLIENT_SECRET).put("publicClient", false)
                .put("standardFlowEnabled", true).put("directAccessGrantsEnabled", true)
                .put("serviceAccountsEnabled", true).put("consentRequired", false).put("fullScopeAllowed", true);
        client.putArray("redirectUris").add(REDIRECT);
        // basic carries sub (a token without it is no token for a resource server); profile and
        // email are left out so the consent page lists read and write only
        client.putArray("defaultClientScopes").add("basic").add("roles");
        client.putArray("optionalClientScopes").add("read").add("write").add("offline_access");
        ObjectNode attributes = client.putObject("attributes");
        clientAttributes.forEach(attributes::put);
        createClient(client);

        user(ALICE, ALICE_PASSWORD, "Alice", "writer");
        user(BOB, BOB_PASSWORD, "Bob", null);
        enablePolicy(WRITE_NEEDS_WRITER);
    }

    String name() {
        return name;
    }

    OAuthClient oauth() {
        return oauth;
    }

    /** Verifies tokens against this realm's keys (loaded on first use). */
    TokenVerifier tokens() {
        if (tokens == null) {
            tokens = new TokenVerifier(server, name);
        }
        return tokens;
    }

    String path(String suffix) {
        return "/admin/realms/" + name + suffix;
    }

    /** An optional-able client scope that puts {@code claim: true} into access, ID, userinfo and introspection. */
    private void clientScope(String scope, String consentText, String claim) {
        ObjectNode rep = JSON.createObjectNode().put("name", scope).put("protocol", "openid-connect");
        rep.putObject("attributes").put("include.in.token.scope", "true")
                .put("display.on.consent.screen", "true").put("consent.screen.text", consentText);
        ObjectNode mapper = rep.putArray("protocolMappers").addObject()
                .put("name", claim).put("protocol", "openid-connect").put("protocolMapper", "oidc-hardcoded-claim-mapper");
        mapper.putObject("config").put("claim.name", claim).put("claim.value", "true").put("jsonType.label", "boolean")
                .put("access.token.claim", "true").put("id.token.claim", "true")
                .put("userinfo.token.claim", "true").put("introspection.token.claim", "true");
        admin(server, "POST", path("/client-scopes"), rep.toString());
    }

    /** Creates a client from its representation; returns its internal id. */
    String createClient(ObjectNode client) {
        admin(server, "POST", path("/clients"), client.toString());
        return clientUuid(client.get("clientId").asText());
    }

    boolean clientExists(String clientId) {
        return json(admin(server, "GET", path("/clients?clientId=" + clientId), null)).size() > 0;
    }

    String clientUuid(String clientId) {
        return json(admin(server, "GET", path("/clients?clientId=" + clientId), null)).get(0).get("id").asText();
    }

    void setClientAttribute(String clientId, String attribute, String value) {
        String id = clientUuid(clientId);
        ObjectNode client = (ObjectNode) json(admin(server, "GET", path("/clients/" + id), null));
        ((ObjectNode) client.with("attributes")).put(attribute, value);
        admin(server, "PUT", path("/clients/" + id), client.toString());
    }

    /** A user with a complete profile (no required action on a browser login); returns the id. */
    String user(String username, String password, String firstName, String realmRole) {
        admin(server, "POST", path("/users"), """
                {"username": "%s", "enabled": true, "email": "%s@example.test", "emailVerified": true,
                 "firstName": "%s", "lastName": "Tester",
                 "credentials": [{"type": "password", "value": "%s", "temporary": false}]}
                """.formatted(username, username, firstName, password));
        String id = userId(username);
        if (realmRole != null) {
            grantRealmRole(id, realmRole);
        }
        return id;
    }

    /** A new writer with a random name (password "writer-password"), for tests that change its roles. */
    String newWriter() {
        return user("writer-" + UUID.randomUUID().toString().substring(0, 8), "writer-password", "Wanda", "writer");
    }

    String userId(String username) {
        return json(admin(server, "GET", path("/users?exact=true&username=" + username), null)).get(0).get("id").asText();
    }

    String username(String userId) {
        return json(admin(server, "GET", path("/users/" + userId), null)).get("username").asText();
    }

    String serviceAccountId(String clientId) {
        return json(admin(server, "GET", path("/clients/" + clientUuid(clientId) + "/service-account-user"), null))
                .get("id").asText();
    }

    void grantRealmRole(String userId, String role) {
        admin(server, "POST", path("/users/" + userId + "/role-mappings/realm"), "[" + admin(server, "GET", path("/roles/" + role), null) + "]");
    }

    void revokeRealmRole(String userId, String role) {
        admin(server, "DELETE", path("/users/" + userId + "/role-mappings/realm"), "[" + admin(server, "GET", path("/roles/" + role), null) + "]");
    }

    /**
     * Enables the pack's required action (registering it first in a realm that does not list it
     * yet: it applies the policy at login) and stores {@code policyJson} as the realm's policy
     * items, as an operator does on the console pages.
     */
    void enablePolicy(String policyJson) {
        JsonNode actions = json(admin(server, "GET", path("/authentication/required-actions"), null));
        boolean registered = false;
        for (JsonNode action : actions) {
            registered |= POLICY_ACTION.equals(action.path("alias").asText());
        }
        if (!registered) {
            admin(server, "POST", path("/authentication/register-required-action"),
                    "{\"providerId\": \"" + POLICY_ACTION + "\", \"name\": \"Restricted scope policy\"}");
        }
        ObjectNode action = (ObjectNode) json(admin(server, "GET", path("/authentication/required-actions/" + POLICY_ACTION), null));
        action.put("enabled", true).put("defaultAction", false);
        admin(server, "PUT", path("/authentication/required-actions/" + POLICY_ACTION), action.toString());
        setPolicy(policyJson);
    }

    /** Switches the policy off (Enabled off on the restricted-scope-settings page): the realm has no policy then. */
    void disablePolicy() {
        PolicyComponents.updateSettings(server, name, config -> config.putArray("enabled").add("false"));
    }

    /** Replaces the policy: the realm's rule and settings items become those {@code policyJson} stands for. */
    void setPolicy(String policyJson) {
        PolicyComponents.replace(server, name, policyJson);
    }

    /** The realm's error events with this error, newest first. */
    List<JsonNode> errorEvents(String error) {
        JsonNode events = json(admin(server, "GET", path("/events?max=200"), null));
        return java.util.stream.StreamSupport.stream(events.spliterator(), false)
                .filter(event -> error.equals(event.path("error").asText(null)))
                .toList();
    }

    Answer password(String username, String password, String scope) {
        return oauth.token(form("grant_type", "password", "username", username, "password", password,
                "scope", scope), CLIENT_BASIC);
    }

    Answer clientCredentials(String scope) {
        return oauth.token(form("grant_type", "client_credentials", "scope", scope), CLIENT_BASIC);
    }

    Answer refresh(String refreshToken) {
        return oauth.token(form("grant_type", "refresh_token", "refresh_token", refreshToken), CLIENT_BASIC);
    }

    Answer tokenExchange(String subjectToken, String scope) {
        return oauth.token(form("grant_type", TOKEN_EXCHANGE_GRANT,
                "subject_token", subjectToken, "subject_token_type", "urn:ietf:params:oauth:token-type:access_token",
                "requested_token_type", "urn:ietf:params:oauth:token-type:access_token", "scope", scope), CLIENT_BASIC);
    }

    /**
     * A token response issued without {@code write}: 200, the response's {@code scope} leaves it
     * out (RFC 6749 section 3.3), and so do the access token's {@code scope} and claims.
     */
    void assertIssuedWithoutWrite(Answer answer) {
        assertThat(answer.status()).as("a narrowed token: %s", answer).isEqualTo(200);
        assertThat(scopes(answer.text("scope"))).as("the response's scope").doesNotContain("write");
        JWTClaimsSet claims = tokens().verify(answer.text("access_token"));
        assertThat(scopes((String) claims.getClaim("scope"))).as("the access token's scope").doesNotContain("write");
        assertThat(claims.getClaims()).as("no claim of write's mapper").doesNotContainKey("api_write");
    }

    /** A token response that carries {@code write}: in the response's scope, the token's scope and claim. */
    void assertIssuedWithWrite(Answer answer) {
        assertThat(answer.status()).as("a token with write: %s", answer).isEqualTo(200);
        assertThat(scopes(answer.text("scope"))).as("the response's scope").contains("write");
        JWTClaimsSet claims = tokens().verify(answer.text("access_token"));
        assertThat(scopes((String) claims.getClaim("scope"))).as("the access token's scope").contains("write");
        assertThat(claims.getClaims()).as("write's mapper ran").containsEntry("api_write", true);
    }

    /** Refused at the token endpoint: HTTP 400 with this OAuth error, and no token. */
    static void assertRefused(Answer answer, String error) {
        assertThat(answer.status()).as("refused with %s: %s", error, answer).isEqualTo(400);
        assertThat(answer.text("error")).as(answer.toString()).isEqualTo(error);
        assertThat(answer.json().has("access_token")).isFalse();
    }

    /** The words of a space-separated scope value (empty for null). */
    static List<String> scopes(String scope) {
        return scope == null ? List.of() : Arrays.asList(scope.trim().split(" +"));
    }

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ArrayNode array() {
        return JSON.createArrayNode();
    }

    static ObjectNode object() {
        return JSON.createObjectNode();
    }

    @Override
    public void close() {
        admin(server, "DELETE", "/admin/realms/" + name, null);
    }
}
