package io.github.kcawspack.it;

import static io.github.kcawspack.it.harness.PolicyRealm.ALICE;
import static io.github.kcawspack.it.harness.PolicyRealm.BOB;
import static io.github.kcawspack.it.harness.PolicyRealm.words;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.JWTClaimsSet;
import io.github.kcawspack.it.harness.Browser;
import io.github.kcawspack.it.harness.KeycloakServer;
import io.github.kcawspack.it.harness.OAuthClient;
import io.github.kcawspack.it.harness.OAuthClient.Answer;
import io.github.kcawspack.it.harness.OwnKeycloakExtension;
import io.github.kcawspack.it.harness.PolicyRealm;
import java.net.URI;
import java.util.Map;
import java.util.UUID;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * README, "Restricted-scope policies": scope words are judged as the client scope Keycloak
 * resolves them to, and a dynamic scope's {@code name:param} is the client scope {@code name}.
 * Keycloak resolves {@code name:param} only with its preview feature on, for the whole server:
 * {@code dynamic-scopes} up to 26.6 (a scope with attributes {@code is.dynamic.scope} and
 * {@code dynamic.scope.regexp}), renamed {@code parameterized-scopes} in 26.7 (attributes
 * {@code is.parameterized.scope} and {@code parameterized.scope.type}, the type an id of
 * Keycloak's ParameterizedScopeTypeProvider SPI, here {@code integer}). So this class runs its own
 * Keycloak with the feature on, never the suite's shared one.
 *
 * <p>The realm: optional client scope {@code dwrite} of client app, parameterized with an integer
 * ({@code dwrite:123}), with a hardcoded claim {@value #DWRITE_CLAIM} so a leak shows in the
 * token; a rule gives dwrite to realm role writer only: alice has it, bob has not. Both the
 * password grant (narrowed or refused by the pack's required action, then judged by its token
 * judge) and the authorization code flow in Chromium (narrowed at login) are asked.
 */
class ScopePolicyParameterizedScopeIT {

    private static final String DWRITE = "dwrite";
    private static final String DWRITE_CLAIM = "api_dwrite";
    private static final String ASKED = "openid dwrite:123";
    private static final String FILTER = "{\"mode\": \"filter\", \"rules\": [{\"scope\": \"dwrite\", \"realmRoles\": [\"writer\"]}]}";
    private static final String REJECT = "{\"mode\": \"reject\", \"rules\": [{\"scope\": \"dwrite\", \"realmRoles\": [\"writer\"]}]}";

    @RegisterExtension
    static final OwnKeycloakExtension keycloak = new OwnKeycloakExtension("parameterized-scopes",
            version -> Map.of("KC_FEATURES", "declarative-ui," + (renamed(version) ? "parameterized-scopes" : "dynamic-scopes")));

    private static PolicyRealm realm;

    @RegisterExtension
    final Browser browser = new Browser();

    /** Keycloak 26.7 renamed dynamic scopes to parameterized scopes, with other attributes. */
    private static boolean renamed(String version) {
        String[] parts = version.split("\\.");
        int major = Integer.parseInt(parts[0]);
        return major > 26 || (major == 26 && Integer.parseInt(parts[1]) >= 7);
    }

    @BeforeAll
    static void createRealmWithParameterizedScopeDwrite() {
        KeycloakServer server = keycloak.server();
        realm = PolicyRealm.create(server, "dynscope", Map.of());
        String attributes = renamed(server.version())
                ? "\"is.parameterized.scope\": \"true\", \"parameterized.scope.type\": \"integer\""
                : "\"is.dynamic.scope\": \"true\", \"dynamic.scope.regexp\": \"dwrite:*\"";
        String scopeId = realm.createClientScope("""
                {"name": "%s", "protocol": "openid-connect",
                 "attributes": {"include.in.token.scope": "true", "display.on.consent.screen": "true", %s},
                 "protocolMappers": [{"name": "dwrite access", "protocol": "openid-connect",
                   "protocolMapper": "oidc-hardcoded-claim-mapper",
                   "config": {"claim.name": "%s", "claim.value": "true", "jsonType.label": "boolean",
                              "access.token.claim": "true", "id.token.claim": "true",
                              "userinfo.token.claim": "true", "introspection.token.claim": "true"}}]}
                """.formatted(DWRITE, attributes, DWRITE_CLAIM));
        realm.client(PolicyRealm.CLIENT).addOptionalClientScope(scopeId);
    }

    @AfterAll
    static void deleteRealm() {
        if (realm != null) {
            realm.close();
        }
    }

    @Test
    void inFilterModeAliceGetsDwriteWithItsParameter() throws Exception {
        realm.policy(FILTER);

        Answer alice = realm.password(ALICE, ASKED);

        assertThat(alice.status()).as(alice.toString()).isEqualTo(200);
        assertThat(words(alice.text("scope"))).as("response scope").contains("dwrite:123");
        assertThat(realm.tokens().verify(alice.text("access_token")).getClaims())
                .as("access token's claims").containsEntry(DWRITE_CLAIM, true);
    }

    @Test
    void inFilterModeBobGetsATokenWithoutDwrite() throws Exception {
        realm.policy(FILTER);

        Answer bob = realm.password(BOB, ASKED);

        assertThat(bob.status()).as(bob.toString()).isEqualTo(200);
        JWTClaimsSet access = realm.tokens().verify(bob.text("access_token"));
        JWTClaimsSet id = realm.tokens().verify(bob.text("id_token"));
        SoftAssertions softly = new SoftAssertions();
        softly.assertThat(words(bob.text("scope"))).as("response scope").contains("openid")
                .noneMatch(granted -> granted.startsWith(DWRITE));
        softly.assertThat(words(access.getStringClaim("scope"))).as("access token's scope")
                .noneMatch(granted -> granted.startsWith(DWRITE));
        softly.assertThat(access.getClaims()).as("access token's claims").doesNotContainKey(DWRITE_CLAIM);
        softly.assertThat(id.getClaims()).as("ID token's claims").doesNotContainKey(DWRITE_CLAIM);
        softly.assertAll();
    }

    @Test
    void inRejectModeBobIsRefusedWithInvalidScope() {
        realm.policy(REJECT);

        Answer bob = realm.password(BOB, ASKED);

        assertThat(bob.status()).as(bob.toString()).isEqualTo(400);
        assertThat(bob.text("error")).isEqualTo("invalid_scope");
        assertThat(bob.json().has("access_token")).isFalse();
        assertThat(realm.password(ALICE, ASKED).status()).as("alice, a writer, is not refused").isEqualTo(200);
    }

    @Test
    void authorizationCodeLeavesDwriteOutOfBobsToken() throws Exception {
        realm.policy(FILTER);

        Answer bob = codeGrant(BOB);

        assertThat(bob.status()).as(bob.toString()).isEqualTo(200);
        JWTClaimsSet access = realm.tokens().verify(bob.text("access_token"));
        SoftAssertions softly = new SoftAssertions();
        softly.assertThat(words(bob.text("scope"))).as("response scope").contains("openid")
                .noneMatch(granted -> granted.startsWith(DWRITE));
        softly.assertThat(access.getClaims()).as("access token's claims").doesNotContainKey(DWRITE_CLAIM);
        softly.assertAll();
    }

    @Test
    void authorizationCodeGivesAliceDwriteWithItsParameter() throws Exception {
        realm.policy(FILTER);

        Answer alice = codeGrant(ALICE);

        assertThat(alice.status()).as(alice.toString()).isEqualTo(200);
        assertThat(words(alice.text("scope"))).as("response scope").contains("dwrite:123");
        assertThat(realm.tokens().verify(alice.text("access_token")).getClaims()).containsEntry(DWRITE_CLAIM, true);
    }

    @Test
    void inRejectModeBobsLoginGoesBackToTheClientWithInvalidScope() {
        realm.policy(REJECT);

        authorize("s2");
        browser.signIn(BOB, PolicyRealm.PASSWORD);
        Map<String, String> callback = OAuthClient.decodeParameters(URI.create(
                browser.awaitUrl(url -> url.startsWith(PolicyRealm.REDIRECT))).getRawQuery());

        assertThat(callback).containsEntry("error", "invalid_scope").containsEntry("state", "s2").doesNotContainKey("code");
        assertThat(callback.get("error_description")).contains("'dwrite'");
    }

    /** app's authorization code flow in the browser for {@code username}, asking {@link #ASKED}; the code exchanged. */
    private Answer codeGrant(String username) {
        authorize("s1");
        browser.signIn(username, PolicyRealm.PASSWORD);
        Map<String, String> callback = OAuthClient.decodeParameters(URI.create(
                browser.awaitUrl(url -> url.startsWith(PolicyRealm.REDIRECT) && url.contains("code="))).getRawQuery());
        return realm.oauth().token(OAuthClient.form("grant_type", "authorization_code", "code", callback.get("code"),
                "redirect_uri", PolicyRealm.REDIRECT, "client_id", PolicyRealm.CLIENT,
                "client_secret", PolicyRealm.CLIENT_SECRET));
    }

    private void authorize(String state) {
        browser.open(keycloak.server().authorizationEndpoint(realm.name()) + "?" + OAuthClient.formEncode(Map.of(
                "response_type", "code", "client_id", PolicyRealm.CLIENT, "redirect_uri", PolicyRealm.REDIRECT,
                "scope", ASKED, "state", state, "nonce", UUID.randomUUID().toString())));
    }
}
