package io.github.kcawspack.it.harness;

import static io.github.kcawspack.it.harness.OAuthClient.form;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.github.kcawspack.it.harness.OAuthClient.Answer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.text.ParseException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import org.keycloak.admin.client.resource.RealmResource;
import org.keycloak.representations.idm.RequiredActionProviderSimpleRepresentation;
import org.keycloak.representations.idm.RoleRepresentation;

/**
 * A small realm of its own, built through the admin REST API, for one test class of the
 * restricted-scope policy (the shape of {@code demo}, without touching it): realm role
 * {@code writer}; optional client scopes {@code read} (no mappers) and {@code write} (a hardcoded
 * {@code api_write: true} claim in access token, ID token, userinfo and introspection, so a test
 * sees whether write's mappers ran); the confidential client {@code app} (standard flow, password
 * grant; optional scopes read, write, offline_access, organization); {@code bob} without
 * {@code writer}, {@code alice} with it (both with a complete profile, so no login stops at a
 * profile form); the required action "restricted-scope-policy" registered and enabled (it applies
 * the policy at login); the policy's items (components) set with {@link #policy(String)}.
 */
public final class PolicyRealm implements AutoCloseable {

    public static final String CLIENT = "app";
    public static final String CLIENT_SECRET = "app-secret";
    /** Never resolves (RFC 2606 .invalid): the browser stops at the redirect, which a test reads. */
    public static final String REDIRECT = "https://app.example.invalid/callback";
    public static final String BOB = "bob";
    public static final String ALICE = "alice";
    public static final String PASSWORD = "policy-realm-password";
    public static final String WRITER = "writer";
    /** The claim of write's hardcoded-claim mapper. */
    public static final String WRITE_CLAIM = "api_write";
    public static final String FILTER_WRITE_FOR_WRITERS =
            "{\"mode\": \"filter\", \"rules\": [{\"scope\": \"write\", \"realmRoles\": [\"writer\"]}]}";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ACTION = "restricted-scope-policy";

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
     * How {@link KeycloakExtension} names and shapes the realm it gives a test class that asks for a
     * {@link PolicyRealm}; without it, the prefix is the class's name without "IT", in lower case.
     */
    @Target(ElementType.TYPE)
    @Retention(RetentionPolicy.RUNTIME)
    public @interface Options {
        /** The realm's name before {@code -<random>}. */
        String prefix();

        /** The realm's {@code organizationsEnabled}. */
        boolean organizations() default false;

        /** The realm's {@code eventsEnabled}: Keycloak stores its login and error events. */
        boolean events() default false;
    }

    /** The realm {@link KeycloakExtension} makes for {@code testClass}, as its {@link Options} say. */
    static PolicyRealm create(KeycloakServer server, Class<?> testClass) {
        Options options = testClass.getAnnotation(Options.class);
        if (options == null) {
            return create(server, testClass.getSimpleName().replaceFirst("IT$", "").toLowerCase(java.util.Locale.ROOT));
        }
        return create(server, options.prefix(), realm -> {
            if (options.organizations()) {
                realm.put("organizationsEnabled", true);
            }
            if (options.events()) {
                realm.put("eventsEnabled", true);
            }
        });
    }

    /** A new realm named {@code prefix-<random>}, with organizations off. */
    public static PolicyRealm create(KeycloakServer server, String prefix) {
        return create(server, prefix, realm -> { });
    }

    /**
     * A new realm named {@code prefix-<random>}; {@code realm} may add to the realm representation
     * before it is created (e.g. {@code organizationsEnabled}).
     */
    public static PolicyRealm create(KeycloakServer server, String prefix, Consumer<ObjectNode> realm) {
        PolicyRealm policyRealm = new PolicyRealm(server, prefix + "-" + UUID.randomUUID().toString().substring(0, 8));
        policyRealm.build(realm);
        return policyRealm;
    }

    private void build(Consumer<ObjectNode> customize) {
        // No clientScopes in the representation: Keycloak then creates its built-in ones
        // (openid's basic, profile, email, offline_access, organization, ...).
        ObjectNode realm = JSON.createObjectNode().put("realm", name).put("enabled", true);
        customize.accept(realm);
        OAuthClient.admin(server, "POST", "/admin/realms", realm.toString());
        tokens = new TokenVerifier(server, name);

        realm().roles().create(new RoleRepresentation(WRITER, null, false));
        admin("POST", "/client-scopes", scope("read", null));
        admin("POST", "/client-scopes", scope("write", """
                [{"name": "api write access", "protocol": "openid-connect",
                  "protocolMapper": "oidc-hardcoded-claim-mapper",
                  "config": {"claim.name": "%s", "claim.value": "true", "jsonType.label": "boolean",
                             "access.token.claim": "true", "id.token.claim": "true",
                             "userinfo.token.claim": "true", "introspection.token.claim": "true"}}]
                """.formatted(WRITE_CLAIM)));
        admin("POST", "/clients", """
                {"clientId": "%s", "enabled": true, "publicClient": false, "secret": "%s",
                 "standardFlowEnabled": true, "directAccessGrantsEnabled": true, "implicitFlowEnabled": false,
                 "redirectUris": ["%s"], "webOrigins": ["+"],
                 "defaultClientScopes": ["basic", "profile", "email", "roles"],
                 "optionalClientScopes": ["read", "write", "offline_access", "organization"]}
                """.formatted(CLIENT, CLIENT_SECRET, REDIRECT));
        createUser(BOB);
        createUser(ALICE);
        grantRealmRole(userId(ALICE), WRITER);

        RequiredActionProviderSimpleRepresentation action = new RequiredActionProviderSimpleRepresentation();
        action.setProviderId(ACTION);
        action.setName("Restricted scope policy");
        realm().flows().registerRequiredAction(action);
        policy(FILTER_WRITE_FOR_WRITERS);
    }

    private static String scope(String scope, String mappers) {
        return """
                {"name": "%s", "protocol": "openid-connect",
                 "attributes": {"include.in.token.scope": "true", "display.on.consent.screen": "true"}%s}
                """.formatted(scope, mappers == null ? "" : ", \"protocolMappers\": " + mappers);
    }

    public String name() {
        return name;
    }

    /** This realm in Keycloak's admin client ({@link KeycloakServer#admin()}). */
    public RealmResource realm() {
        return server.admin().realm(name);
    }

    public OAuthClient oauth() {
        return oauth;
    }

    /** Verifies access and ID tokens of this realm (signature, issuer, expiry). */
    public TokenVerifier tokens() {
        return tokens;
    }

    /** The admin REST API under this realm, e.g. {@code admin("GET", "/users", null)}; fails on a non-2xx status. */
    public String admin(String method, String realmPath, String json) {
        return OAuthClient.admin(server, method, "/admin/realms/" + name + realmPath, json);
    }

    public JsonNode adminJson(String method, String realmPath, String json) {
        try {
            return JSON.readTree(admin(method, realmPath, json));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A status and body from the admin REST API, for calls whose refusal is what a test checks. */
    public record AdminAnswer(int status, String body) {
        @Override
        public String toString() {
            return status + " " + body;
        }
    }

    /** As {@link #admin}, without failing on an error status. */
    public AdminAnswer tryAdmin(String method, String realmPath, String json) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(server.baseUrl() + "/admin/realms/" + name + realmPath))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + OAuthClient.adminToken(server))
                .header("Content-Type", "application/json")
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json))
                .build();
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
            return new AdminAnswer(response.statusCode(), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Replaces the realm's policy items with those {@code policyJson} stands for; fails the test if the server refuses one. */
    public void policy(String policyJson) {
        PolicyComponents.replace(server, name, policyJson);
    }

    /** Creates an enabled user with {@link #PASSWORD} and a complete profile; returns its id. */
    public String createUser(String username) {
        return Users.create(realm(), username, PASSWORD, username, "Tester");
    }

    /** A new user with role writer (like alice) for a test that changes the user's roles. */
    public String createWriter(String prefix) {
        String username = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        String id = createUser(username);
        grantRealmRole(id, WRITER);
        return username;
    }

    public String userId(String username) {
        return realm().users().searchByUsername(username, true).get(0).getId();
    }

    public void grantRealmRole(String userId, String role) {
        realm().users().get(userId).roles().realmLevel().add(List.of(realm().roles().get(role).toRepresentation()));
    }

    public void revokeRealmRole(String userId, String role) {
        realm().users().get(userId).roles().realmLevel().remove(List.of(realm().roles().get(role).toRepresentation()));
    }

    /** Changes the client {@code clientId}'s representation, e.g. to enable the implicit flow. */
    public void updateClient(String clientId, Consumer<ObjectNode> change) {
        ObjectNode client = (ObjectNode) adminJson("GET", "/clients?clientId=" + clientId, null).get(0);
        change.accept(client);
        admin("PUT", "/clients/" + client.get("id").asText(), client.toString());
    }

    /** The password grant for {@code username} on {@link #CLIENT}. */
    public Answer password(String username, String scope) {
        return oauth.token(form("grant_type", "password", "username", username, "password", PASSWORD,
                "client_id", CLIENT, "client_secret", CLIENT_SECRET, "scope", scope));
    }

    /** A refresh on {@link #CLIENT}, without a scope parameter (the refresh token's scope). */
    public Answer refresh(String refreshToken) {
        return oauth.token(form("grant_type", "refresh_token", "refresh_token", refreshToken,
                "client_id", CLIENT, "client_secret", CLIENT_SECRET));
    }

    /** The words of a space-separated scope string; null gives none. */
    public static List<String> words(String scope) {
        return scope == null || scope.isBlank() ? List.of() : Arrays.asList(scope.trim().split(" +"));
    }

    /**
     * The claims of a token without verifying it: for refresh tokens, which Keycloak signs with
     * the realm's HMAC key that no client can check.
     */
    public static JWTClaimsSet unverifiedClaims(String token) {
        try {
            return SignedJWT.parse(token).getJWTClaimsSet();
        } catch (ParseException e) {
            throw new AssertionError("Not a JWT: " + token, e);
        }
    }

    /** Deletes the realm. */
    @Override
    public void close() {
        realm().remove();
    }
}
