package io.github.kcawspack.it;

import static io.github.kcawspack.it.DemoRealm.*;
import static io.github.kcawspack.it.harness.OAuthClient.form;
import static io.github.kcawspack.it.harness.PolicyRealm.words;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jwt.JWTClaimsSet;
import io.github.kcawspack.it.harness.AdminRest;
import io.github.kcawspack.it.harness.Browser;
import io.github.kcawspack.it.harness.Injected;
import io.github.kcawspack.it.harness.KeycloakExtension;
import io.github.kcawspack.it.harness.KeycloakServer;
import io.github.kcawspack.it.harness.OAuthClient;
import io.github.kcawspack.it.harness.OAuthClient.Answer;
import io.github.kcawspack.it.harness.PolicyComponents;
import io.github.kcawspack.it.harness.PolicyRealm;
import io.github.kcawspack.it.harness.TokenVerifier;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.keycloak.admin.client.resource.ClientResource;
import org.keycloak.representations.idm.ComponentRepresentation;

/**
 * Issue 17: RFC 6749 section 3.3 scope semantics per client (page classic-scope-semantics). The
 * demo realm's api-client and testclient answer as django-oauth-toolkit and django-oauth2-server
 * document: without scope every default scope (judged by the restricted-scope policy like a
 * requested one), with scope exactly what was asked; the authorization code, refresh, ID token and
 * the response's scope agree. always-defaults, the device grant (fail closed) and the page's
 * validation run on a realm of their own.
 */
@ExtendWith(KeycloakExtension.class)
@PolicyRealm.Options(prefix = "classic-scopes", loginTheme = "aws-pack", clientAttributes = DeviceFlow.ENABLED_ATTRIBUTE + "=true")
class ClassicScopeSemanticsIT {

    @Injected
    KeycloakServer server;
    /** The demo realm's. */
    @Injected
    OAuthClient oauth;
    /** The demo realm's. */
    @Injected
    TokenVerifier tokens;
    @Injected
    PolicyRealm realm;

    @RegisterExtension
    final Browser browser = new Browser();

    @Test
    void apiClientWithoutScopeGivesBobTheDefaultsThePolicyAllows() {
        Answer bob = apiClientPassword(BOB, BOB_PASSWORD, null);

        assertThat(bob.status()).as("a withheld default is left out, not an error: %s", bob).isEqualTo(200);
        assertThat(words(bob.text("scope"))).containsExactly("read");
    }

    /** README, RFC 6749 scope semantics: a request naming only withheld scopes named its scope, so it gets none. */
    @Test
    void aRequestNamingOnlyWithheldScopesGetsAnEmptyScopeNotTheDefaults() {
        Answer bob = apiClientPassword(BOB, BOB_PASSWORD, "write");

        assertThat(bob.status()).as("narrowed, not refused: %s", bob).isEqualTo(200);
        assertThat(words(bob.text("scope"))).as("not write, and not the defaults read write groups").isEmpty();
        JWTClaimsSet access = tokens.verify(bob.text("access_token"));
        assertThat(words((String) access.getClaim("scope"))).doesNotContain("read", "write", "groups");

        Answer refreshed = oauth.token(form("grant_type", "refresh_token", "refresh_token", bob.text("refresh_token")),
                API_CLIENT + ":" + API_CLIENT_SECRET);
        assertThat(refreshed.status()).as("its refresh agrees: %s", refreshed).isEqualTo(200);
        assertThat(words(refreshed.text("scope"))).isEmpty();
    }

    @Test
    void apiClientWithScopeGetsExactlyThat() {
        assertThat(apiClientPassword(ALICE, ALICE_PASSWORD, "read").text("scope")).isEqualTo("read");
        assertThat(words(apiClientPassword(ALICE, ALICE_PASSWORD, "openid write").text("scope")))
                .containsExactlyInAnyOrder("openid", "write");
    }

    @Test
    void aRefreshKeepsTheDefaultsTheFirstTokenGot() throws Exception {
        Answer first = apiClientPassword(ALICE, ALICE_PASSWORD, null);
        Answer refreshed = oauth.token(form("grant_type", "refresh_token", "refresh_token", first.text("refresh_token")),
                API_CLIENT + ":" + API_CLIENT_SECRET);

        assertThat(refreshed.status()).as(refreshed.toString()).isEqualTo(200);
        assertThat(words(refreshed.text("scope"))).containsExactlyInAnyOrder("read", "write", "groups");
        assertThat(words(tokens.verify(refreshed.text("access_token")).getStringClaim("scope")))
                .containsExactlyInAnyOrder("read", "write", "groups");
    }

    @Test
    void testclientWithoutScopeGetsFooBarQuxAndWithScopeExactlyThat() {
        Answer none = testclientPassword(null);
        assertThat(none.status()).as(none.toString()).isEqualTo(200);
        assertThat(words(none.text("scope"))).containsExactlyInAnyOrder("foo", "bar", "qux");

        assertThat(testclientPassword("foo").text("scope")).isEqualTo("foo");
        assertThat(testclientPassword("read").text("scope")).as("not 'bar foo qux read'").isEqualTo("read");
    }

    @Test
    void testclientClientCredentialsFollowTheSameSemantics() {
        Answer none = oauth.token(form("grant_type", "client_credentials"), TESTCLIENT + ":" + TESTCLIENT_SECRET);
        assertThat(words(none.text("scope"))).containsExactlyInAnyOrder("foo", "bar", "qux");

        Answer foo = oauth.token(form("grant_type", "client_credentials", "scope", "foo"), TESTCLIENT + ":" + TESTCLIENT_SECRET);
        assertThat(foo.text("scope")).isEqualTo("foo");
    }

    @Test
    void authorizationCodeRefreshAndIdTokenAgreeWithTheResponseScope() throws Exception {
        Answer code = codeGrant("openid foo");
        assertThat(code.status()).as(code.toString()).isEqualTo(200);
        assertThat(words(code.text("scope"))).containsExactlyInAnyOrder("openid", "foo");
        assertThat(words(tokens.verify(code.text("access_token")).getStringClaim("scope"))).containsExactlyInAnyOrder("openid", "foo");
        assertThat(code.text("id_token")).isNotBlank();

        browser.restart();
        Answer openidOnly = codeGrant("openid");
        assertThat(words(openidOnly.text("scope"))).as("openid names no scope of the client")
                .containsExactlyInAnyOrder("openid", "foo", "bar", "qux");
        Answer refreshed = oauth.token(form("grant_type", "refresh_token", "refresh_token", openidOnly.text("refresh_token")),
                TESTCLIENT + ":" + TESTCLIENT_SECRET);
        assertThat(words(refreshed.text("scope"))).containsExactlyInAnyOrder("openid", "foo", "bar", "qux");
        assertThat(words(PolicyRealm.json(new String(java.util.Base64.getUrlDecoder().decode(
                refreshed.text("refresh_token").split("\\.")[1]), StandardCharsets.UTF_8)).get("scope").asText()))
                .as("the refresh token also lists Keycloak's technical scopes").contains("openid", "foo", "bar", "qux")
                .doesNotContain("read", "write", "groups");
    }

    @Test
    void alwaysDefaultsGivesTheDefaultsWhateverIsAsked() throws Exception {
        String item = create(item(PolicyRealm.CLIENT, "always-defaults", "read", "write"));
        try {
            Answer alice = realmPassword(PolicyRealm.ALICE, PolicyRealm.PASSWORD, "read");
            assertThat(alice.status()).as(alice.toString()).isEqualTo(200);
            assertThat(words(alice.text("scope"))).containsExactlyInAnyOrder("read", "write");

            Answer none = realmPassword(PolicyRealm.ALICE, PolicyRealm.PASSWORD, null);
            assertThat(words(none.text("scope"))).containsExactlyInAnyOrder("read", "write");

            Answer narrowing = realm.oauth().token(form("grant_type", "refresh_token", "refresh_token", none.text("refresh_token"),
                    "scope", "read"), PolicyRealm.CLIENT_BASIC);
            PolicyRealm.assertRefused(narrowing, "invalid_scope");

            Answer bob = realmPassword(PolicyRealm.BOB, PolicyRealm.PASSWORD, "write");
            assertThat(bob.status()).as(bob.toString()).isEqualTo(200);
            assertThat(words(bob.text("scope"))).as("the policy still withholds write from bob").containsExactly("read");
            Answer refreshed = realm.oauth().token(form("grant_type", "refresh_token", "refresh_token", bob.text("refresh_token")),
                    PolicyRealm.CLIENT_BASIC);
            assertThat(words(refreshed.text("scope"))).containsExactly("read");
        } finally {
            realm.realm().components().component(item).remove();
        }
    }

    @Test
    void aDeviceThatAskedForNoScopeIsRefusedRatherThanGivenOtherScopes() {
        String item = create(item(PolicyRealm.CLIENT, "rfc6749", "read"));
        try {
            Answer refused = DeviceFlow.approvedToken(server, realm, browser, PolicyRealm.ALICE, PolicyRealm.PASSWORD, null,
                    "classic-scopes-device");
            PolicyRealm.assertRefused(refused, "invalid_scope");
            assertThat(refused.text("error_description")).contains("scope semantics");

            browser.restart();
            Answer named = DeviceFlow.approvedToken(server, realm, browser, PolicyRealm.ALICE, PolicyRealm.PASSWORD, "read",
                    "classic-scopes-device-named");
            assertThat(named.status()).as(named.toString()).isEqualTo(200);
            assertThat(words(named.text("scope"))).containsExactly("read");
        } finally {
            realm.realm().components().component(item).remove();
        }
    }

    /** The same on the token endpoint's own grants: client credentials, where the service account is no writer. */
    @Test
    void aClientCredentialsRequestNamingOnlyAWithheldScopeGetsAnEmptyScope() {
        String item = create(item(PolicyRealm.CLIENT, "rfc6749", "read"));
        try {
            Answer narrowed = realm.oauth().token(form("grant_type", "client_credentials", "scope", "write"), PolicyRealm.CLIENT_BASIC);
            assertThat(narrowed.status()).as(narrowed.toString()).isEqualTo(200);
            assertThat(words(narrowed.text("scope"))).isEmpty();

            Answer defaults = realm.oauth().token(form("grant_type", "client_credentials"), PolicyRealm.CLIENT_BASIC);
            assertThat(words(defaults.text("scope"))).as("without scope, the default").containsExactly("read");
        } finally {
            realm.realm().components().component(item).remove();
        }
    }

    /** README: a withheld scope is refused by name on the device grant, under RFC 6749 semantics too (event reason scope_policy). */
    @Test
    void aDeviceThatAskedForAWithheldScopeIsRefusedByThePolicy() {
        String item = create(item(PolicyRealm.CLIENT, "rfc6749", "read"));
        try {
            Answer refused = DeviceFlow.approvedToken(server, realm, browser, PolicyRealm.BOB, PolicyRealm.PASSWORD, "write",
                    "classic-scopes-device-withheld");
            PolicyRealm.assertRefused(refused, "invalid_scope");
            assertThat(refused.text("error_description")).isEqualTo("scope 'write' is not permitted for this request");
            assertThat(realm.errorEvents("invalid_scope")).as("error events").anySatisfy(event ->
                    assertThat(event.path("details").path("reason").asText()).isEqualTo("scope_policy"));
        } finally {
            realm.realm().components().component(item).remove();
        }
    }

    @Test
    void thePageRefusesAnUnknownClientAndAScopeThatIsNoOptionalScopeOfTheClient() {
        assertThat(tryCreate(item("no-such-client", "rfc6749", "read")))
                .contains("Client ID: client 'no-such-client' does not exist in this realm");
        assertThat(tryCreate(item(PolicyRealm.CLIENT, "rfc6749", "roles")))
                .contains("Default scopes: scope 'roles' is not an optional client scope of the client");
        assertThat(tryCreate(item(PolicyRealm.CLIENT, "rfc6749", "wirte")))
                .contains("Default scopes: scope 'wirte' is not an optional client scope of the client");
        assertThat(tryCreate(item(PolicyRealm.CLIENT, "django", "read"))).contains("Semantics: ");
        assertThat(pageItems()).as("nothing saved").isEmpty();

        Answer alice = realmPassword(PolicyRealm.ALICE, PolicyRealm.PASSWORD, null);
        assertThat(words(alice.text("scope"))).as("nothing saved, Keycloak's semantics").isEmpty();
    }

    @Test
    void anItemGoesWithItsClient() {
        ObjectNode client = PolicyRealm.object().put("clientId", "short-lived").put("secret", "short-lived-secret")
                .put("publicClient", false).put("directAccessGrantsEnabled", true);
        client.putArray("optionalClientScopes").add("read");
        String clientUuid = realm.createClient(client);
        String item = create(item("short-lived", "rfc6749", "read"));

        realm.realm().clients().get(clientUuid).remove();

        assertThat(pageItems()).noneMatch(component -> item.equals(component.getId()));
    }

    @Test
    void anItemThatCanNoLongerBeReadFailsClosed() {
        String item = create(item(PolicyRealm.CLIENT, "rfc6749", "read"));
        ClientResource client = realm.client(PolicyRealm.CLIENT);
        String readId = realm.realm().clientScopes().findAll().stream()
                .filter(scope -> "read".equals(scope.getName())).findFirst().orElseThrow().getId();
        client.removeOptionalClientScope(readId);
        try {
            Answer refused = realmPassword(PolicyRealm.ALICE, PolicyRealm.PASSWORD, null);
            assertThat(refused.status()).as(refused.toString()).isEqualTo(500);
            assertThat(refused.text("error")).isEqualTo("server_error");
            assertThat(refused.json().has("access_token")).isFalse();
        } finally {
            client.addOptionalClientScope(readId);
            realm.realm().components().component(item).remove();
        }
    }

    private Answer apiClientPassword(String username, String password, String scope) {
        Map<String, String> form = form("grant_type", "password", "username", username, "password", password);
        if (scope != null) {
            form.put("scope", scope);
        }
        return oauth.token(form, API_CLIENT + ":" + API_CLIENT_SECRET);
    }

    private Answer testclientPassword(String scope) {
        Map<String, String> form = form("grant_type", "password", "username", BOB, "password", BOB_PASSWORD);
        if (scope != null) {
            form.put("scope", scope);
        }
        return oauth.token(form, TESTCLIENT + ":" + TESTCLIENT_SECRET);
    }

    private Answer realmPassword(String username, String password, String scope) {
        Map<String, String> form = form("grant_type", "password", "username", username, "password", password);
        if (scope != null) {
            form.put("scope", scope);
        }
        return realm.oauth().token(form, PolicyRealm.CLIENT_BASIC);
    }

    private Answer codeGrant(String scope) {
        Map<String, String> query = new LinkedHashMap<>(Map.of("response_type", "code", "client_id", TESTCLIENT,
                "redirect_uri", TESTCLIENT_REDIRECT, "scope", scope, "state", UUID.randomUUID().toString()));
        browser.open(server.authorizationEndpoint(REALM) + "?" + OAuthClient.formEncode(query));
        browser.signIn(BOB, BOB_PASSWORD);
        Map<String, String> callback = OAuthClient.decodeParameters(URI.create(
                browser.awaitUrl(url -> url.startsWith(TESTCLIENT_REDIRECT) && url.contains("code="))).getRawQuery());
        return oauth.token(form("grant_type", "authorization_code", "code", callback.get("code"),
                "redirect_uri", TESTCLIENT_REDIRECT), TESTCLIENT + ":" + TESTCLIENT_SECRET);
    }

    /** An item as {@link #tryCreate} posts it by hand, parentId and type filled in. */
    private ObjectNode item(String clientId, String semantics, String... defaults) {
        return PolicyComponents.classicScopes(clientId, semantics, defaults)
                .put("providerType", PolicyComponents.PAGE_TYPE)
                .put("parentId", PolicyComponents.realmId(server, realm.name()));
    }

    /** Creates the item; returns its id. */
    private String create(ObjectNode item) {
        return PolicyComponents.create(server, realm.name(), item);
    }

    /** The realm's items of this page. */
    private List<ComponentRepresentation> pageItems() {
        return realm.realm().components().query(PolicyComponents.realmId(server, realm.name()), PolicyComponents.PAGE_TYPE).stream()
                .filter(component -> PolicyComponents.CLASSIC_SCOPES.equals(component.getProviderId())).toList();
    }

    /**
     * The refusal's body; fails unless the server answered 400. By hand ({@link AdminRest}): the
     * validation message in the 400 body is what the test reads, which the admin client drops.
     */
    private String tryCreate(ObjectNode item) {
        AdminRest.Answer answer = server.adminRest().call("POST", realm.path("/components"), item.toString());
        assertThat(answer.status()).as(answer.body()).isEqualTo(400);
        return answer.body();
    }

}
