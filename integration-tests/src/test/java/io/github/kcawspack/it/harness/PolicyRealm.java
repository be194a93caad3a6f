package io.github.kcawspack.it.harness;

import static io.github.kcawspack.it.harness.OAuthClient.form;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.github.kcawspack.it.harness.OAuthClient.Answer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.text.ParseException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import org.keycloak.admin.client.CreatedResponseUtil;
import org.keycloak.admin.client.resource.ClientResource;
import org.keycloak.admin.client.resource.RealmResource;
import org.keycloak.representations.idm.ClientRepresentation;
import org.keycloak.representations.idm.ClientScopeRepresentation;
import org.keycloak.representations.idm.ProtocolMapperRepresentation;
import org.keycloak.representations.idm.RealmRepresentation;
import org.keycloak.representations.idm.RequiredActionProviderRepresentation;
import org.keycloak.representations.idm.RequiredActionProviderSimpleRepresentation;
import org.keycloak.representations.idm.RoleRepresentation;

/**
 * A small realm of a test class's own, built through Keycloak's admin client (never from
 * realm-export/), for the restricted-scope policy without touching {@code demo}: realm role
 * {@link #WRITER}; users {@link #ALICE} (a writer) and {@link #BOB} (not), both with
 * {@link #PASSWORD} and a complete profile (no login stops at a profile form); optional client
 * scopes {@code read} and {@code write}, each with a consent text and a hardcoded-claim mapper
 * ({@code api_read}, {@link #WRITE_CLAIM}: true in access token, ID token, userinfo and
 * introspection) so a test sees in the token which one it got; the confidential client
 * {@link #CLIENT} (standard flow, password grant, service account; default scopes basic and roles,
 * so the consent page and the response's scope list read and write only; optional read, write,
 * offline_access, organization); Keycloak's events stored; CIBA in poll mode with login_hint;
 * the pack's "Restricted scope policy" required action registered and enabled (it applies the
 * policy at login); and {@link #FILTER_WRITE_FOR_WRITERS} as the realm's policy items until a
 * test sets others with {@link #policy(String)}.
 *
 * <p>{@link KeycloakExtension} gives each test class that asks for one its own (shaped by the
 * class's {@link Options}) and deletes it when the class's tests are done.
 */
public final class PolicyRealm implements AutoCloseable {

    public static final String CLIENT = "app";
    public static final String CLIENT_SECRET = "app-secret";
    /** {@link #CLIENT}'s credentials as {@link OAuthClient} takes them for HTTP Basic. */
    public static final String CLIENT_BASIC = CLIENT + ":" + CLIENT_SECRET;
    /** Never resolves (RFC 2606 .invalid): the browser stops at the redirect, which a test reads. */
    public static final String REDIRECT = "https://app.example.invalid/callback";
    public static final String BOB = "bob";
    public static final String ALICE = "alice";
    public static final String PASSWORD = "policy-realm-password";
    public static final String WRITER = "writer";
    /** The claim of write's hardcoded-claim mapper. */
    public static final String WRITE_CLAIM = "api_write";
    /** The policy of issue 13's reports: write only for realm role writer, mode filter. */
    public static final String FILTER_WRITE_FOR_WRITERS =
            "{\"mode\": \"filter\", \"rules\": [{\"scope\": \"write\", \"realmRoles\": [\"writer\"]}]}";

    public static final String DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code";
    public static final String CIBA_GRANT = "urn:openid:params:grant-type:ciba";
    public static final String JWT_BEARER_GRANT = "urn:ietf:params:oauth:grant-type:jwt-bearer";
    public static final String TOKEN_EXCHANGE_GRANT = "urn:ietf:params:oauth:grant-type:token-exchange";
    public static final String UMA_GRANT = "urn:ietf:params:oauth:grant-type:uma-ticket";
    public static final String PRE_AUTHORIZED_CODE_GRANT = "urn:ietf:params:oauth:grant-type:pre-authorized_code";
    /** The test-only grant type of test-providers/unknown-grant-type, installed into the tests' Keycloak only. */
    public static final String TEST_ONLY_GRANT = "urn:example:params:oauth:grant-type:test-only";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ACTION = "restricted-scope-policy";

    private final KeycloakServer server;
    private final String name;
    private final OAuthClient oauth;
    private TokenVerifier tokens;

    private PolicyRealm(KeycloakServer server, String name) {
        this.server = server;
        this.name = name;
        this.oauth = server.oauth(name);
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

        /** The realm's login theme; empty leaves Keycloak's default. */
        String loginTheme() default "";

        /**
         * Attributes {@link #CLIENT} gets on top of its own, each {@code name=value}, e.g.
         * {@code "oauth2.device.authorization.grant.enabled=true"} to switch a grant on.
         */
        String[] clientAttributes() default {};
    }

    /** The realm {@link KeycloakExtension} makes for {@code testClass}, as its {@link Options} say. */
    static PolicyRealm create(KeycloakServer server, Class<?> testClass) {
        Options options = testClass.getAnnotation(Options.class);
        if (options == null) {
            return create(server, testClass.getSimpleName().replaceFirst("IT$", "").toLowerCase(Locale.ROOT), Map.of());
        }
        Map<String, String> attributes = new HashMap<>();
        for (String attribute : options.clientAttributes()) {
            String[] nameAndValue = attribute.split("=", 2);
            attributes.put(nameAndValue[0], nameAndValue[1]);
        }
        PolicyRealm policyRealm = new PolicyRealm(server, options.prefix() + "-" + UUID.randomUUID().toString().substring(0, 8));
        policyRealm.build(options.organizations(), options.loginTheme(), attributes);
        return policyRealm;
    }

    /**
     * A new realm named {@code prefix-<random>} (Keycloak's default login theme) whose
     * {@link #CLIENT} carries {@code clientAttributes} on top of its own, for a test whose realm must live other than one test class long; the
     * caller deletes it with {@link #close}. Test classes otherwise ask {@link KeycloakExtension}.
     */
    public static PolicyRealm create(KeycloakServer server, String prefix, Map<String, String> clientAttributes) {
        PolicyRealm policyRealm = new PolicyRealm(server, prefix + "-" + UUID.randomUUID().toString().substring(0, 8));
        policyRealm.build(false, "", clientAttributes);
        return policyRealm;
    }

    private void build(boolean organizations, String loginTheme, Map<String, String> clientAttributes) {
        // No clientScopes in the representation: Keycloak then creates its built-in ones
        // (openid's basic, profile, email, offline_access, organization, ...).
        RealmRepresentation rep = new RealmRepresentation();
        rep.setRealm(name);
        rep.setEnabled(true);
        rep.setEventsEnabled(true);
        if (organizations) {
            rep.setOrganizationsEnabled(true);
        }
        if (!loginTheme.isEmpty()) {
            rep.setLoginTheme(loginTheme);
        }
        rep.setAttributes(Map.of("cibaBackchannelTokenDeliveryMode", "poll", "cibaAuthRequestedUserHint", "login_hint",
                "cibaExpiresIn", "120", "cibaInterval", "1"));
        server.admin().realms().create(rep);

        realm().roles().create(new RoleRepresentation(WRITER, null, false));
        clientScope("read", "Read the API", "api_read");
        clientScope("write", "Change data through the API", WRITE_CLAIM);

        ClientRepresentation client = new ClientRepresentation();
        client.setClientId(CLIENT);
        client.setSecret(CLIENT_SECRET);
        client.setPublicClient(false);
        client.setStandardFlowEnabled(true);
        client.setDirectAccessGrantsEnabled(true);
        client.setServiceAccountsEnabled(true);
        client.setImplicitFlowEnabled(false);
        client.setConsentRequired(false);
        client.setFullScopeAllowed(true);
        client.setRedirectUris(List.of(REDIRECT));
        client.setWebOrigins(List.of("+"));
        // basic carries sub (a token without it is no token for a resource server); profile and
        // email are left out so that the consent page lists read and write only
        client.setDefaultClientScopes(List.of("basic", "roles"));
        client.setOptionalClientScopes(List.of("read", "write", "offline_access", "organization"));
        client.setAttributes(new HashMap<>(clientAttributes));
        createClient(client);

        createUser(BOB);
        createUser(ALICE);
        grantRealmRole(userId(ALICE), WRITER);

        RequiredActionProviderSimpleRepresentation action = new RequiredActionProviderSimpleRepresentation();
        action.setProviderId(ACTION);
        action.setName("Restricted scope policy");
        realm().flows().registerRequiredAction(action);
        policy(FILTER_WRITE_FOR_WRITERS);
    }

    /** An optional-able client scope that puts {@code claim: true} into access, ID, userinfo and introspection. */
    private void clientScope(String scope, String consentText, String claim) {
        ClientScopeRepresentation rep = new ClientScopeRepresentation();
        rep.setName(scope);
        rep.setProtocol("openid-connect");
        rep.setAttributes(Map.of("include.in.token.scope", "true", "display.on.consent.screen", "true",
                "consent.screen.text", consentText));
        ProtocolMapperRepresentation mapper = new ProtocolMapperRepresentation();
        mapper.setName(claim);
        mapper.setProtocol("openid-connect");
        mapper.setProtocolMapper("oidc-hardcoded-claim-mapper");
        mapper.setConfig(Map.of("claim.name", claim, "claim.value", "true", "jsonType.label", "boolean",
                "access.token.claim", "true", "id.token.claim", "true",
                "userinfo.token.claim", "true", "introspection.token.claim", "true"));
        rep.setProtocolMappers(List.of(mapper));
        try (var created = realm().clientScopes().create(rep)) {
            CreatedResponseUtil.getCreatedId(created);
        }
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

    /** Verifies access and ID tokens of this realm (signature, issuer, expiry); loads the keys on first use. */
    public synchronized TokenVerifier tokens() {
        if (tokens == null) {
            tokens = server.tokens(name);
        }
        return tokens;
    }

    /**
     * This realm's admin REST path, {@code /admin/realms/<name>} followed by {@code suffix}, for the
     * calls that go through {@link AdminRest} (see there for when).
     */
    public String path(String suffix) {
        return "/admin/realms/" + name + suffix;
    }

    /** Replaces the realm's policy items with those {@code policyJson} stands for; fails the test if the server refuses one. */
    public void policy(String policyJson) {
        PolicyComponents.replace(server, name, policyJson);
    }

    /** Switches the policy off (Enabled off on the restricted-scope-settings page): the realm has no policy then. */
    public void disablePolicy() {
        PolicyComponents.updateSettings(server, name, config -> config.putArray("enabled").add("false"));
    }

    /** Creates an enabled user with {@link #PASSWORD} and a complete profile; returns its id. */
    public String createUser(String username) {
        return Users.create(realm(), username, PASSWORD, username, "Tester");
    }

    /** A new user with role writer (like alice) for a test that changes the user's roles; returns the user name. */
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

    /** Changes the realm's "Restricted scope policy" required action (enabled, default action, priority). */
    public void requiredAction(Consumer<RequiredActionProviderRepresentation> change) {
        RequiredActionProviderRepresentation action = realm().flows().getRequiredAction(ACTION);
        change.accept(action);
        realm().flows().updateRequiredAction(ACTION, action);
    }

    /** Creates a client scope from its representation as JSON; returns its id. */
    public String createClientScope(String json) {
        try (var created = realm().clientScopes().create(read(json, ClientScopeRepresentation.class))) {
            return CreatedResponseUtil.getCreatedId(created);
        }
    }

    /** The id of the client scope {@code name}. */
    public String clientScopeId(String name) {
        return realm().clientScopes().findAll().stream().filter(scope -> name.equals(scope.getName()))
                .findFirst().orElseThrow(() -> new AssertionError("no client scope " + name + " in " + this.name)).getId();
    }

    /** Creates a client; returns its internal id. */
    public String createClient(ClientRepresentation client) {
        try (var created = realm().clients().create(client)) {
            return CreatedResponseUtil.getCreatedId(created);
        }
    }

    /** As {@link #createClient(ClientRepresentation)}, from the representation as JSON. */
    public String createClient(ObjectNode client) {
        return createClient(JSON.convertValue(client, ClientRepresentation.class));
    }

    public boolean clientExists(String clientId) {
        return !realm().clients().findByClientId(clientId).isEmpty();
    }

    /** The client {@code clientId} in Keycloak's admin client. */
    public ClientResource client(String clientId) {
        return realm().clients().get(realm().clients().findByClientId(clientId).get(0).getId());
    }

    /** Changes the client {@code clientId}'s representation, e.g. to enable the implicit flow. */
    public void updateClient(String clientId, Consumer<ClientRepresentation> change) {
        ClientResource client = client(clientId);
        ClientRepresentation rep = client.toRepresentation();
        change.accept(rep);
        client.update(rep);
    }

    /** Sets one attribute of the client {@code clientId}. */
    public void setClientAttribute(String clientId, String attribute, String value) {
        updateClient(clientId, client -> {
            Map<String, String> attributes = new HashMap<>(client.getAttributes() == null ? Map.of() : client.getAttributes());
            attributes.put(attribute, value);
            client.setAttributes(attributes);
        });
    }

    /** The user id of the service account of the client {@code clientId}. */
    public String serviceAccountId(String clientId) {
        return client(clientId).getServiceAccountUser().getId();
    }

    /** The realm's stored error events with this error, newest first, as the admin REST API lists them. */
    public List<JsonNode> errorEvents(String error) {
        return realm().getEvents(null, null, null, null, null, null, 0, 200).stream()
                .filter(event -> error.equals(event.getError()))
                .map(event -> (JsonNode) JSON.valueToTree(event))
                .toList();
    }

    /** The password grant for {@code username} (with {@link #PASSWORD}) on {@link #CLIENT}. */
    public Answer password(String username, String scope) {
        return oauth.token(form("grant_type", "password", "username", username, "password", PASSWORD,
                "client_id", CLIENT, "client_secret", CLIENT_SECRET, "scope", scope));
    }

    /** A refresh on {@link #CLIENT}, without a scope parameter (the refresh token's scope). */
    public Answer refresh(String refreshToken) {
        return oauth.token(form("grant_type", "refresh_token", "refresh_token", refreshToken,
                "client_id", CLIENT, "client_secret", CLIENT_SECRET));
    }

    /** The client credentials grant of {@link #CLIENT}'s service account. */
    public Answer clientCredentials(String scope) {
        return oauth.token(form("grant_type", "client_credentials", "scope", scope), CLIENT_BASIC);
    }

    /** Standard token exchange (RFC 8693) of {@code subjectToken}, an access token, by {@link #CLIENT}. */
    public Answer tokenExchange(String subjectToken, String scope) {
        return oauth.token(form("grant_type", TOKEN_EXCHANGE_GRANT,
                "subject_token", subjectToken, "subject_token_type", "urn:ietf:params:oauth:token-type:access_token",
                "requested_token_type", "urn:ietf:params:oauth:token-type:access_token", "scope", scope), CLIENT_BASIC);
    }

    /**
     * A token response issued without {@code write}: 200, the response's {@code scope} leaves it
     * out (RFC 6749 section 3.3), and so do the access token's {@code scope} and claims.
     */
    public void assertIssuedWithoutWrite(Answer answer) {
        assertThat(answer.status()).as("a narrowed token: %s", answer).isEqualTo(200);
        assertThat(words(answer.text("scope"))).as("the response's scope").doesNotContain("write");
        JWTClaimsSet claims = tokens().verify(answer.text("access_token"));
        assertThat(words((String) claims.getClaim("scope"))).as("the access token's scope").doesNotContain("write");
        assertThat(claims.getClaims()).as("no claim of write's mapper").doesNotContainKey(WRITE_CLAIM);
    }

    /** A token response that carries {@code write}: in the response's scope, the token's scope and claim. */
    public void assertIssuedWithWrite(Answer answer) {
        assertThat(answer.status()).as("a token with write: %s", answer).isEqualTo(200);
        assertThat(words(answer.text("scope"))).as("the response's scope").contains("write");
        JWTClaimsSet claims = tokens().verify(answer.text("access_token"));
        assertThat(words((String) claims.getClaim("scope"))).as("the access token's scope").contains("write");
        assertThat(claims.getClaims()).as("write's mapper ran").containsEntry(WRITE_CLAIM, true);
    }

    /** Refused at the token endpoint: HTTP 400 with this OAuth error, and no token. */
    public static void assertRefused(Answer answer, String error) {
        assertThat(answer.status()).as("refused with %s: %s", error, answer).isEqualTo(400);
        assertThat(answer.text("error")).as(answer.toString()).isEqualTo(error);
        assertThat(answer.json().has("access_token")).isFalse();
    }

    /** Keycloak's preview feature that, before 26.6, holds the JWT authorization grant. */
    public static final String JWT_AUTHORIZATION_GRANT_FEATURE = "jwt-authorization-grant";

    /**
     * Skips the calling test class on a Keycloak that registers no JWT authorization grant (before
     * 26.6 it is the preview feature {@code jwt-authorization-grant}, off by default: the run
     * switches it on with {@code -Dkeycloak.it.features=jwt-authorization-grant}, as
     * {@code bin/test-compat} does in 26.5's JDK 17 cell); from 26.6 on the grant must be there.
     */
    public static void assumeJwtBearerGrant(KeycloakServer server) {
        boolean registered = server.grantTypes().contains(JWT_BEARER_GRANT);
        boolean switchedOn = Arrays.asList(System.getProperty(KeycloakExtension.EXTRA_FEATURES_PROPERTY, "").split(","))
                .contains(JWT_AUTHORIZATION_GRANT_FEATURE);
        assumeTrue(registered || server.isAtLeast(26, 6) || switchedOn, "Keycloak " + server.version()
                + " registers no JWT authorization grant: before 26.6 it is the preview feature "
                + JWT_AUTHORIZATION_GRANT_FEATURE + ", off by default (-D" + KeycloakExtension.EXTRA_FEATURES_PROPERTY
                + "=" + JWT_AUTHORIZATION_GRANT_FEATURE + " switches it on)");
        assertThat(registered).as("Keycloak %s registers the JWT authorization grant (by default from 26.6, or switched on)",
                server.version()).isTrue();
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

    public static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code json} read as {@code type}, e.g. a representation of Keycloak's admin client. */
    public static <T> T read(String json, Class<T> type) {
        try {
            return JSON.readValue(json, type);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static ObjectNode object() {
        return JSON.createObjectNode();
    }

    public static ArrayNode array() {
        return JSON.createArrayNode();
    }

    /** Deletes the realm. */
    @Override
    public void close() {
        realm().remove();
    }
}
