package io.github.kcawspack.it;

import static io.github.kcawspack.it.DemoRealm.*;
import static io.github.kcawspack.it.harness.OAuthClient.form;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.kcawspack.it.harness.Browser;
import io.github.kcawspack.it.harness.Injected;
import io.github.kcawspack.it.harness.KeycloakExtension;
import io.github.kcawspack.it.harness.KeycloakServer;
import io.github.kcawspack.it.harness.LoginPage;
import io.github.kcawspack.it.harness.OAuthClient;
import io.github.kcawspack.it.harness.OAuthClient.Answer;
import io.github.kcawspack.it.harness.PolicyComponents;
import io.github.kcawspack.it.harness.TokenVerifier;
import io.github.kcawspack.it.harness.Users;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.keycloak.admin.client.CreatedResponseUtil;
import org.keycloak.admin.client.Keycloak;
import org.keycloak.admin.client.resource.ClientResource;
import org.keycloak.admin.client.resource.RealmResource;
import org.keycloak.representations.idm.ClientRepresentation;
import org.keycloak.representations.idm.authorization.PolicyEnforcementMode;
import org.keycloak.representations.idm.authorization.ResourceRepresentation;
import org.keycloak.representations.idm.authorization.ResourceServerRepresentation;
import org.openqa.selenium.By;

/**
 * The demo realm's restricted-scope policy on the browser grants, in headless Chromium:
 * testclient filters (authorization code, implicit), web-app rejects (its rules say so).
 */
@ExtendWith(KeycloakExtension.class)
class ScopePolicyBrowserIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Injected
    KeycloakServer server;
    @Injected
    OAuthClient oauth;
    @Injected
    TokenVerifier tokens;
    @Injected
    Keycloak admin;
    @Injected
    LoginPage login;
    @RegisterExtension
    final Browser browser = new Browser();

    @Test
    void authorizationCodeLeavesOutWhatBobMayNotHave() throws Exception {
        Answer answer = codeGrant(BOB, BOB_PASSWORD, "openid read write groups");

        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        assertThat(scopes(answer.text("scope"))).contains("openid", "read").doesNotContain("write", "groups");
        assertThat(tokens.verify(answer.text("access_token")).getClaims()).doesNotContainKeys("api_write", "groups");
    }

    @Test
    void authorizationCodeGivesAliceWhatHerRoleAndGroupAllow() throws Exception {
        Answer answer = codeGrant(ALICE, ALICE_PASSWORD, "openid read write groups");

        assertThat(scopes(answer.text("scope"))).contains("openid", "read", "write", "groups");
        var claims = tokens.verify(answer.text("access_token"));
        assertThat(claims.getBooleanClaim("api_write")).isTrue();
        assertThat(claims.getStringListClaim("groups")).containsExactly("/staff");
    }

    @Test
    void implicitRefusesBobInsteadOfSilentlyNarrowing() {
        // RFC 6749 section 4.2.2: the fragment must name the granted scope when it differs from
        // the request, and Keycloak never puts scope there; a narrowed implicit token is not issued.
        login.signIn(browser, TESTCLIENT, TESTCLIENT_REDIRECT, "token", "read write", "s4", BOB, BOB_PASSWORD);

        Map<String, String> fragment = LoginPage.awaitRedirect(browser, TESTCLIENT_REDIRECT);

        assertThat(fragment).containsEntry("error", "invalid_scope").containsEntry("state", "s4").doesNotContainKey("access_token");
        assertThat(fragment.get("error_description")).contains("'write'");
    }

    @Test
    void implicitStillWorksForBobWhenNothingIsWithheld() throws Exception {
        var claims = implicitToken(BOB, BOB_PASSWORD, "read");

        assertThat(scopes(claims.getStringClaim("scope"))).contains("read").doesNotContain("write");
    }

    @Test
    void implicitGivesAliceWrite() throws Exception {
        var claims = implicitToken(ALICE, ALICE_PASSWORD, "read write");

        assertThat(scopes(claims.getStringClaim("scope"))).contains("read", "write");
        assertThat(claims.getBooleanClaim("api_write")).isTrue();
    }

    /** testclient's authorization code flow (no consent) for this user, code exchanged. */
    private Answer codeGrant(String username, String password, String scope) {
        login.signIn(browser, TESTCLIENT, TESTCLIENT_REDIRECT, "code", scope, "s1", username, password);
        Map<String, String> callback = LoginPage.awaitRedirect(browser, TESTCLIENT_REDIRECT);
        return oauth.token(form("grant_type", "authorization_code", "code", callback.get("code"),
                "redirect_uri", TESTCLIENT_REDIRECT), TESTCLIENT + ":" + TESTCLIENT_SECRET);
    }

    private com.nimbusds.jwt.JWTClaimsSet implicitToken(String username, String password, String scope) {
        login.signIn(browser, TESTCLIENT, TESTCLIENT_REDIRECT, "token", scope, "s2", username, password);
        Map<String, String> fragment = LoginPage.awaitRedirect(browser, TESTCLIENT_REDIRECT);
        return tokens.verify(fragment.get("access_token"));
    }

    @Test
    void webAppRejectsTheLoginWithInvalidScope() {
        login.signIn(browser, WEB_APP, WEB_APP_REDIRECT, "code", "openid read write", "s3", BOB, BOB_PASSWORD);

        Map<String, String> callback = LoginPage.awaitRedirect(browser, WEB_APP_REDIRECT);

        assertThat(callback).containsEntry("error", "invalid_scope").containsEntry("state", "s3").doesNotContainKey("code");
        assertThat(callback.get("error_description")).contains("'write'");
    }

    /**
     * README, The demo realm: web-app's RFC 6749 defaults (read write) are judged like requested
     * scopes, so a login of bob's that names no scope is refused by web-app's reject rule for write,
     * not quietly given read.
     */
    @Test
    void webAppRejectsTheLoginWhoseClassicDefaultsAreWithheld() {
        login.signIn(browser, WEB_APP, WEB_APP_REDIRECT, "code", "openid", "s6", BOB, BOB_PASSWORD);

        Map<String, String> callback = LoginPage.awaitRedirect(browser, WEB_APP_REDIRECT);

        assertThat(callback).containsEntry("error", "invalid_scope").containsEntry("state", "s6").doesNotContainKey("code");
        assertThat(callback.get("error_description")).contains("'write'");
    }

    @Test
    void webAppRejectsTheRefreshOnceTheRoleIsGone() throws Exception {
        String userId = newWriter();
        login.signIn(browser, WEB_APP, WEB_APP_REDIRECT, "code", "openid read write", "s4", usernameOf(userId), "writer-password");
        browser.click(By.id("kc-login"));
        Map<String, String> callback = LoginPage.awaitRedirect(browser, WEB_APP_REDIRECT);
        Answer first = oauth.token(form("grant_type", "authorization_code", "code", callback.get("code"),
                "redirect_uri", WEB_APP_REDIRECT), WEB_APP + ":" + WEB_APP_SECRET);
        assertThat(scopes(first.text("scope"))).contains("write");

        demo().users().get(userId).roles().realmLevel().remove(List.of(demo().roles().get("writer").toRepresentation()));
        Answer refreshed = oauth.token(form("grant_type", "refresh_token", "refresh_token", first.text("refresh_token")),
                WEB_APP + ":" + WEB_APP_SECRET);

        assertThat(refreshed.status()).isEqualTo(400);
        assertThat(refreshed.text("error")).isEqualTo("invalid_scope");
    }

    /**
     * README: a grant listed in allowGrantTypes "is still refused with 400 invalid_scope if [its
     * tokens] would carry a withheld scope". The UMA grant builds the RPT for the requesting client
     * (azp testclient) from the user's client session of the resource server (web-app); the judge
     * applies web-app's rules to it, so testclient gets a token with a scope testclient's own rule
     * withholds from this user.
     */
    @Test
    void anAllowedUmaGrantDoesNotCarryAScopeTheRequestingClientsRuleWithholds() throws Exception {
        ClientResource webAppClient = demo().clients().get(demo().clients().findByClientId(WEB_APP).get(0).getId());
        ClientRepresentation resourceServer = webAppClient.toRepresentation();
        resourceServer.setServiceAccountsEnabled(true);
        resourceServer.setAuthorizationServicesEnabled(true);
        webAppClient.update(resourceServer);
        ResourceServerRepresentation settings = webAppClient.authorization().getSettings();
        settings.setPolicyEnforcementMode(PolicyEnforcementMode.PERMISSIVE);
        webAppClient.authorization().update(settings);
        try (var created = webAppClient.authorization().resources().create(
                new ResourceRepresentation("reports-" + UUID.randomUUID(), java.util.Set.of(), "/reports", null))) {
            CreatedResponseUtil.getCreatedId(created);
        }
        // The demo policy plus one rule and the UMA grant let through, on the console pages' items.
        String extraRule = PolicyComponents.create(server, "demo", PolicyComponents.rule(JSON.readTree(
                "{\"scope\": \"write\", \"clients\": [\"testclient\"], \"realmRoles\": [\"no-one-has-this-role\"]}")));
        PolicyComponents.updateSettings(server, "demo",
                settingsConfig -> settingsConfig.putArray("allowGrantTypes").add("urn:ietf:params:oauth:grant-type:uma-ticket"));
        try {
            String userId = newWriter();
            String username = usernameOf(userId);
            Answer direct = oauth.token(form("grant_type", "password", "username", username, "password", "writer-password",
                    "scope", "read write"), TESTCLIENT + ":" + TESTCLIENT_SECRET);
            assertThat(scopes(direct.text("scope"))).as("testclient's rule withholds write from this writer").doesNotContain("write");

            login.signIn(browser, WEB_APP, WEB_APP_REDIRECT, "code", "openid read write", "s5", username, "writer-password");
            browser.click(By.id("kc-login"));
            Map<String, String> webAppCallback = LoginPage.awaitRedirect(browser, WEB_APP_REDIRECT);
            Answer webApp = oauth.token(form("grant_type", "authorization_code", "code", webAppCallback.get("code"),
                    "redirect_uri", WEB_APP_REDIRECT), WEB_APP + ":" + WEB_APP_SECRET);
            assertThat(scopes(webApp.text("scope"))).as("web-app's rule allows writers").contains("write");

            // The same browser session signs in to testclient (SSO), asking for read only.
            login.authorize(browser, TESTCLIENT, TESTCLIENT_REDIRECT, "code", "openid read", "s6");
            Map<String, String> testclientCallback = LoginPage.awaitRedirect(browser, TESTCLIENT_REDIRECT);
            Answer testclient = oauth.token(form("grant_type", "authorization_code", "code", testclientCallback.get("code"),
                    "redirect_uri", TESTCLIENT_REDIRECT), TESTCLIENT + ":" + TESTCLIENT_SECRET);
            assertThat(scopes(testclient.text("scope"))).doesNotContain("write");

            Answer rpt = oauth.token(form("grant_type", "urn:ietf:params:oauth:grant-type:uma-ticket", "audience", WEB_APP,
                    "subject_token", testclient.text("access_token")), TESTCLIENT + ":" + TESTCLIENT_SECRET);
            if (rpt.status() == 200) {
                com.nimbusds.jwt.JWTClaimsSet claims = tokens.verify(rpt.text("access_token"));
                assertThat(claims.getStringClaim("azp")).isEqualTo(TESTCLIENT);
                assertThat(scopes(claims.getStringClaim("scope"))).as("a token for testclient, " + rpt).doesNotContain("write");
                assertThat(claims.getClaims()).doesNotContainKey("api_write");
            } else {
                assertThat(rpt.status()).as(rpt.toString()).isEqualTo(400);
                assertThat(rpt.text("error")).isEqualTo("invalid_scope");
            }
        } finally {
            demo().components().component(extraRule).remove();
            PolicyComponents.updateSettings(server, "demo", settingsConfig -> settingsConfig.remove("allowGrantTypes"));
            ClientRepresentation restored = webAppClient.toRepresentation();
            restored.setAuthorizationServicesEnabled(false);
            webAppClient.update(restored);
        }
    }

    private RealmResource demo() {
        return admin.realm(REALM);
    }

    /** A user like alice (role writer, profile complete) who has not consented to anything yet. */
    private String newWriter() {
        String id = Users.create(demo(), "writer-" + UUID.randomUUID().toString().substring(0, 8), "writer-password",
                "Wanda", "Writer");
        demo().users().get(id).roles().realmLevel().add(List.of(demo().roles().get("writer").toRepresentation()));
        return id;
    }

    private String usernameOf(String userId) {
        return demo().users().get(userId).toRepresentation().getUsername();
    }

    private static java.util.List<String> scopes(String scope) {
        return scope == null ? java.util.List.of() : Arrays.asList(scope.split(" "));
    }
}
