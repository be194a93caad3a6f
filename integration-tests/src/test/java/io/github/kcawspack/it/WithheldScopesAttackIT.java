package io.github.kcawspack.it;

import static io.github.kcawspack.it.harness.OAuthClient.form;
import static io.github.kcawspack.it.harness.PolicyRealm.words;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.kcawspack.it.harness.Browser;
import io.github.kcawspack.it.harness.CibaChannel;
import io.github.kcawspack.it.harness.Injected;
import io.github.kcawspack.it.harness.KeycloakExtension;
import io.github.kcawspack.it.harness.KeycloakServer;
import io.github.kcawspack.it.harness.LoginPage;
import io.github.kcawspack.it.harness.OAuthClient.Answer;
import io.github.kcawspack.it.harness.PolicyComponents;
import io.github.kcawspack.it.harness.PolicyRealm;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Attacks on commit e7252c2 (the pack records the scopes it withheld from a request, client note
 * or session attribute {@code scope_policy.withheld}, and the token judge counts them as named
 * under RFC 6749 semantics; withheld scopes a device or CIBA token carries are left to the policy's
 * own check). Each test states what README promises; a test failing here is a finding.
 */
@ExtendWith(KeycloakExtension.class)
@PolicyRealm.Options(prefix = "withheld-attack", clientAttributes = {DeviceFlow.ENABLED_ATTRIBUTE + "=true",
        CibaFlow.ENABLED_ATTRIBUTE + "=true"})
class WithheldScopesAttackIT {

    @Injected
    KeycloakServer server;
    @Injected
    CibaChannel channel;
    @Injected
    PolicyRealm realm;

    @RegisterExtension
    final Browser browser = new Browser();

    private final List<String> items = new ArrayList<>();

    @BeforeEach
    void writeForWriters() {
        realm.policy(PolicyRealm.FILTER_WRITE_FOR_WRITERS);
    }

    @AfterEach
    void removeItems() {
        items.forEach(id -> realm.realm().components().component(id).remove());
        items.clear();
        realm.policy(PolicyRealm.FILTER_WRITE_FOR_WRITERS);
    }

    /**
     * README, RFC 6749 scope semantics, row "device code, CIBA": a device request without scope is
     * not completed and the token request is refused with invalid_scope (scope_semantics). For
     * alice ClassicScopeSemanticsIT shows it; bob, from whom the policy withholds one of the
     * defaults, must get the same answer, not a token the semantics do not give.
     */
    @Test
    void aDeviceWithoutScopeIsRefusedAlsoForAUserThePolicyNarrows() {
        semantics("rfc6749", "read", "write");

        Answer bob = DeviceFlow.approvedToken(server, realm, browser, PolicyRealm.BOB, PolicyRealm.PASSWORD, null, "atk5-device-noscope-bob");

        assertThat(words(bob.text("scope"))).as("never write: %s", bob).doesNotContain("write");
        PolicyRealm.assertRefused(bob, "invalid_scope");
        assertThat(bob.text("error_description")).contains("scope semantics");
    }

    /**
     * README: a device or CIBA token carrying a withheld scope is refused by the policy, on every
     * client semantics, in filter and reject mode, strict or not. Device flow, bob asks for read write.
     */
    @ParameterizedTest(name = "device, semantics {0}, mode {1}, strict {2}")
    @CsvSource({"keycloak,filter,false", "keycloak,reject,false", "keycloak,filter,true", "keycloak,reject,true",
            "rfc6749,filter,false", "rfc6749,reject,false", "rfc6749,filter,true", "rfc6749,reject,true",
            "always-defaults,filter,false", "always-defaults,reject,false", "always-defaults,filter,true",
            "always-defaults,reject,true"})
    void aDeviceNeverGetsWithheldWrite(String semantics, String mode, boolean strict) {
        setUp(semantics, mode, strict);

        Answer bob = DeviceFlow.approvedToken(server, realm, browser, PolicyRealm.BOB, PolicyRealm.PASSWORD, "openid read write",
                "atk5-device-" + semantics + "-" + mode + "-" + strict);

        PolicyRealm.assertRefused(bob, "invalid_scope");
        // Strict also withholds what no rule covers, such as Keycloak's service_account scope of this
        // client: the refusal then names whichever withheld scope Keycloak listed first.
        assertThat(bob.text("error_description")).isIn("scope 'write' is not permitted for this request",
                strict ? "scope 'service_account' is not permitted for this request" : "scope 'write' is not permitted for this request");
    }

    /** The same matrix on CIBA (no login, so no client note: only the judge). */
    @ParameterizedTest(name = "ciba, semantics {0}, mode {1}, strict {2}")
    @CsvSource({"keycloak,filter,false", "keycloak,reject,false", "keycloak,filter,true", "keycloak,reject,true",
            "rfc6749,filter,false", "rfc6749,reject,false", "rfc6749,filter,true", "rfc6749,reject,true",
            "always-defaults,filter,false", "always-defaults,reject,false", "always-defaults,filter,true",
            "always-defaults,reject,true"})
    void cibaNeverGetsWithheldWrite(String semantics, String mode, boolean strict) {
        setUp(semantics, mode, strict);

        Answer bob = CibaFlow.approvedToken(server, realm, channel, PolicyRealm.BOB, "openid read write");
        PolicyRealm.assertRefused(bob, "invalid_scope");

        Answer only = CibaFlow.approvedToken(server, realm, channel, PolicyRealm.BOB, "openid write");
        PolicyRealm.assertRefused(only, "invalid_scope");
    }

    /**
     * The note is the pack's: an authorization request parameter of the same name (Keycloak keeps
     * it as client_request_param_scope_policy.withheld) changes nothing. alice without scope gets
     * the defaults, bob still only read.
     */
    @Test
    void anAuthorizationRequestParameterCannotWriteTheNote() {
        semantics("rfc6749", "read", "write");

        Answer alice = codeFlow(PolicyRealm.ALICE, Map.of("scope", "openid", "scope_policy.withheld", "read write"));
        assertThat(alice.status()).as(alice.toString()).isEqualTo(200);
        assertThat(words(alice.text("scope"))).containsExactlyInAnyOrder("openid", "read", "write");

        browser.restart();
        Answer bob = codeFlow(PolicyRealm.BOB, Map.of("scope", "openid write", "scope_policy.withheld", ""));
        realm.assertIssuedWithoutWrite(bob);
    }

    /** The same through PAR (RFC 9126): pushed parameters are the client's, never the pack's note. */
    @Test
    void aPushedAuthorizationRequestCannotWriteTheNoteNorBringWrite() {
        semantics("rfc6749", "read", "write");
        String state = UUID.randomUUID().toString();
        Answer par = realm.oauth().post(server.realmUrl(realm.name()) + "/protocol/openid-connect/ext/par/request",
                form("response_type", "code", "client_id", PolicyRealm.CLIENT, "redirect_uri", PolicyRealm.REDIRECT,
                        "scope", "openid write", "state", state, "scope_policy.withheld", "read write"),
                PolicyRealm.CLIENT_BASIC);
        assertThat(par.status()).as(par.toString()).isEqualTo(201);

        LoginPage login = server.loginPage(realm.name());
        browser.open(login.authorizationUrl(new LinkedHashMap<>(Map.of("client_id", PolicyRealm.CLIENT,
                "request_uri", par.text("request_uri")))));
        browser.signIn(PolicyRealm.BOB, PolicyRealm.PASSWORD);
        Answer bob = exchange(LoginPage.awaitRedirect(browser, PolicyRealm.REDIRECT));

        realm.assertIssuedWithoutWrite(bob);
    }

    /**
     * SSO re-login on the same client session after the policy changed: the first login recorded
     * write as withheld; once the user is a writer, a re-login under always-defaults must give the
     * defaults read write (README: every request gets the default scopes), not a stale refusal.
     */
    @Test
    void aReLoginAfterTheUserBecameAWriterGetsTheDefaults() {
        semantics("always-defaults", "read", "write");
        String carol = "carol-" + UUID.randomUUID().toString().substring(0, 8);
        String carolId = realm.createUser(carol);

        Answer first = codeFlow(carol, Map.of("scope", "openid"));
        realm.assertIssuedWithoutWrite(first);
        assertThat(words(first.text("scope"))).contains("read");

        realm.grantRealmRole(carolId, PolicyRealm.WRITER);
        Answer again = reLogin(Map.of("scope", "openid"));

        realm.assertIssuedWithWrite(again);
        assertThat(words(again.text("scope"))).contains("read", "write");
    }

    /**
     * The same stale record under RFC 6749 semantics: a first login asked for write and had it
     * withheld; once the user is a writer, a re-login naming write gets exactly write (README: a
     * request naming scopes gets exactly those).
     */
    @Test
    void aReLoginNamingAScopeWithheldEarlierGetsItOnceTheUserMayHaveIt() {
        semantics("rfc6749", "read", "write");
        String frank = "frank-" + UUID.randomUUID().toString().substring(0, 8);
        String frankId = realm.createUser(frank);

        Answer first = codeFlow(frank, Map.of("scope", "openid write"));
        realm.assertIssuedWithoutWrite(first);

        realm.grantRealmRole(frankId, PolicyRealm.WRITER);
        realm.assertIssuedWithWrite(reLogin(Map.of("scope", "openid write")));
    }

    /**
     * And after the operator switched the policy off: with no policy nothing is withheld, and a
     * re-login under always-defaults gets the defaults read write.
     */
    @Test
    void aReLoginAfterThePolicyWasSwitchedOffGetsTheDefaults() {
        semantics("always-defaults", "read", "write");
        String grace = "grace-" + UUID.randomUUID().toString().substring(0, 8);
        realm.createUser(grace);

        realm.assertIssuedWithoutWrite(codeFlow(grace, Map.of("scope", "openid")));

        realm.disablePolicy();
        Answer again = reLogin(Map.of("scope", "openid"));
        realm.assertIssuedWithWrite(again);
        assertThat(words(again.text("scope"))).contains("read", "write");
    }

    /**
     * The other direction: a writer's re-login after losing the role still never carries write,
     * whatever the client session recorded before.
     */
    @Test
    void aReLoginAfterTheUserLostWriteNeverCarriesIt() {
        semantics("rfc6749", "read", "write");
        String dave = realm.createWriter("dave");

        Answer first = codeFlow(dave, Map.of("scope", "openid"));
        realm.assertIssuedWithWrite(first);

        realm.revokeRealmRole(realm.userId(dave), PolicyRealm.WRITER);
        Answer again = reLogin(Map.of("scope", "openid write"));
        realm.assertIssuedWithoutWrite(again);

        Answer refreshed = realm.refresh(first.text("refresh_token"));
        if (refreshed.status() == 200) {
            realm.assertIssuedWithoutWrite(refreshed);
        } else {
            PolicyRealm.assertRefused(refreshed, refreshed.text("error"));
        }
    }

    /**
     * A request that named only write (withheld, so an empty scope and the note "write") and its
     * refreshes after the user became a writer: a refresh cannot widen (RFC 6749 section 6), the
     * recorded note notwithstanding.
     */
    @Test
    void aRefreshOfANarrowedToNothingTokenNeverWidens() {
        semantics("rfc6749", "read", "write");
        String erin = "erin-" + UUID.randomUUID().toString().substring(0, 8);
        String erinId = realm.createUser(erin);

        Answer narrowed = realm.password(erin, "write");
        assertThat(narrowed.status()).as(narrowed.toString()).isEqualTo(200);
        assertThat(words(narrowed.text("scope"))).isEmpty();

        realm.grantRealmRole(erinId, PolicyRealm.WRITER);
        Answer refreshed = realm.refresh(narrowed.text("refresh_token"));
        assertThat(refreshed.status()).as(refreshed.toString()).isEqualTo(200);
        assertThat(words(refreshed.text("scope"))).as("no default added on refresh").doesNotContain("read", "write");

        Answer asking = realm.oauth().token(form("grant_type", "refresh_token", "refresh_token", narrowed.text("refresh_token"),
                "scope", "write"), PolicyRealm.CLIENT_BASIC);
        assertThat(asking.status() == 200 ? words(asking.text("scope")) : List.<String>of())
                .as("a refresh naming write cannot add it: %s", asking).doesNotContain("write");
    }

    /** Client credentials and token exchange keep their record on the request's session: a second request starts clean. */
    @Test
    void theRequestRecordDoesNotOutliveItsRequest() {
        semantics("rfc6749", "read", "write");
        Answer narrowed = realm.clientCredentials("write");
        assertThat(narrowed.status()).as(narrowed.toString()).isEqualTo(200);
        assertThat(words(narrowed.text("scope"))).isEmpty();

        Answer defaults = realm.oauth().token(form("grant_type", "client_credentials"), PolicyRealm.CLIENT_BASIC);
        assertThat(defaults.status()).as(defaults.toString()).isEqualTo(200);
        assertThat(words(defaults.text("scope"))).as("the service account is no writer").containsExactly("read");

        Answer alice = realm.password(PolicyRealm.ALICE, "read");
        Answer exchanged = realm.tokenExchange(alice.text("access_token"), "write");
        if (exchanged.status() == 200) {
            assertThat(words(exchanged.text("scope"))).as(exchanged.toString()).doesNotContain("read");
        }
        Answer bob = realm.password(PolicyRealm.BOB, "read");
        Answer bobExchanged = realm.tokenExchange(bob.text("access_token"), "write");
        if (bobExchanged.status() == 200) {
            realm.assertIssuedWithoutWrite(bobExchanged);
        }
    }

    // --- helpers ---

    private void setUp(String semantics, String mode, boolean strict) {
        if (!"keycloak".equals(semantics)) {
            semantics(semantics, "read", "write");
        }
        String rules = strict
                ? "[{\"scope\": \"write\", \"realmRoles\": [\"writer\"]}, {\"scope\": \"read\"}, {\"scope\": \"basic\"},"
                        + " {\"scope\": \"roles\"}, {\"scope\": \"acr\"}, {\"scope\": \"web-origins\"}]"
                : "[{\"scope\": \"write\", \"realmRoles\": [\"writer\"]}]";
        realm.policy("{\"mode\": \"" + mode + "\", \"strict\": " + strict + ", \"rules\": " + rules + "}");
    }

    private Answer codeFlow(String username, Map<String, String> extra) {
        openAuthorization(extra);
        browser.signIn(username, PolicyRealm.PASSWORD);
        return exchange(LoginPage.awaitRedirect(browser, PolicyRealm.REDIRECT));
    }

    /** The same browser again: Keycloak's SSO cookie, the same user session and client session. */
    private Answer reLogin(Map<String, String> extra) {
        openAuthorization(extra);
        return exchange(LoginPage.awaitRedirect(browser, PolicyRealm.REDIRECT));
    }

    private void openAuthorization(Map<String, String> extra) {
        Map<String, String> query = new LinkedHashMap<>();
        query.put("response_type", "code");
        query.put("client_id", PolicyRealm.CLIENT);
        query.put("redirect_uri", PolicyRealm.REDIRECT);
        query.put("state", UUID.randomUUID().toString());
        query.putAll(extra);
        browser.open(server.loginPage(realm.name()).authorizationUrl(query));
    }

    private Answer exchange(Map<String, String> callback) {
        assertThat(callback).as("the authorization response").containsKey("code");
        return realm.oauth().token(form("grant_type", "authorization_code", "code", callback.get("code"),
                "redirect_uri", PolicyRealm.REDIRECT), PolicyRealm.CLIENT_BASIC);
    }

    private void semantics(String semantics, String... defaults) {
        items.add(PolicyComponents.create(server, realm.name(), PolicyComponents.classicScopes(PolicyRealm.CLIENT, semantics, defaults)));
    }
}
