package io.github.kcawspack.it;

import static io.github.kcawspack.it.DemoRealm.*;
import static io.github.kcawspack.it.harness.OAuthClient.admin;
import static io.github.kcawspack.it.harness.OAuthClient.form;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.kcawspack.it.harness.Browser;
import io.github.kcawspack.it.harness.Injected;
import io.github.kcawspack.it.harness.KeycloakExtension;
import io.github.kcawspack.it.harness.KeycloakServer;
import io.github.kcawspack.it.harness.OAuthClient;
import io.github.kcawspack.it.harness.OAuthClient.Answer;
import io.github.kcawspack.it.harness.TokenVerifier;
import java.net.URI;
import java.util.Arrays;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
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
        authorize(TESTCLIENT, TESTCLIENT_REDIRECT, "token", "read write", "s4");
        browser.signIn(BOB, BOB_PASSWORD);

        Map<String, String> fragment = OAuthClient.decodeParameters(URI.create(
                browser.awaitUrl(url -> url.startsWith(TESTCLIENT_REDIRECT) && url.contains("error="))).getRawFragment());

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
        authorize(TESTCLIENT, TESTCLIENT_REDIRECT, "code", scope, "s1");
        browser.signIn(username, password);
        Map<String, String> callback = OAuthClient.decodeParameters(URI.create(
                browser.awaitUrl(url -> url.startsWith(TESTCLIENT_REDIRECT) && url.contains("code="))).getRawQuery());
        return oauth.token(form("grant_type", "authorization_code", "code", callback.get("code"),
                "redirect_uri", TESTCLIENT_REDIRECT), TESTCLIENT + ":" + TESTCLIENT_SECRET);
    }

    private com.nimbusds.jwt.JWTClaimsSet implicitToken(String username, String password, String scope) {
        authorize(TESTCLIENT, TESTCLIENT_REDIRECT, "token", scope, "s2");
        browser.signIn(username, password);
        Map<String, String> fragment = OAuthClient.decodeParameters(URI.create(
                browser.awaitUrl(url -> url.startsWith(TESTCLIENT_REDIRECT) && url.contains("access_token="))).getRawFragment());
        return tokens.verify(fragment.get("access_token"));
    }

    @Test
    void webAppRejectsTheLoginWithInvalidScope() {
        authorize(WEB_APP, WEB_APP_REDIRECT, "code", "openid read write", "s3");
        browser.signIn(BOB, BOB_PASSWORD);

        Map<String, String> callback = OAuthClient.decodeParameters(URI.create(
                browser.awaitUrl(url -> url.startsWith(WEB_APP_REDIRECT))).getRawQuery());

        assertThat(callback).containsEntry("error", "invalid_scope").containsEntry("state", "s3").doesNotContainKey("code");
        assertThat(callback.get("error_description")).contains("'write'");
    }

    @Test
    void webAppRejectsTheRefreshOnceTheRoleIsGone() throws Exception {
        String userId = newWriter();
        authorize(WEB_APP, WEB_APP_REDIRECT, "code", "openid read write", "s4");
        browser.signIn(usernameOf(userId), "writer-password");
        browser.click(By.id("kc-login"));
        Map<String, String> callback = OAuthClient.decodeParameters(URI.create(
                browser.awaitUrl(url -> url.startsWith(WEB_APP_REDIRECT) && url.contains("code="))).getRawQuery());
        Answer first = oauth.token(form("grant_type", "authorization_code", "code", callback.get("code"),
                "redirect_uri", WEB_APP_REDIRECT), WEB_APP + ":" + WEB_APP_SECRET);
        assertThat(scopes(first.text("scope"))).contains("write");

        admin(server, "DELETE", "/admin/realms/demo/users/" + userId + "/role-mappings/realm",
                "[" + admin(server, "GET", "/admin/realms/demo/roles/writer", null) + "]");
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
        String webAppId = JSON.readTree(admin(server, "GET", "/admin/realms/demo/clients?clientId=" + WEB_APP, null)).get(0).get("id").asText();
        String originalWebApp = admin(server, "GET", "/admin/realms/demo/clients/" + webAppId, null);
        com.fasterxml.jackson.databind.node.ObjectNode resourceServer = (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(originalWebApp);
        resourceServer.put("serviceAccountsEnabled", true).put("authorizationServicesEnabled", true);
        admin(server, "PUT", "/admin/realms/demo/clients/" + webAppId, resourceServer.toString());
        String settingsPath = "/admin/realms/demo/clients/" + webAppId + "/authz/resource-server";
        com.fasterxml.jackson.databind.node.ObjectNode settings =
                (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(admin(server, "GET", settingsPath, null));
        settings.put("policyEnforcementMode", "PERMISSIVE");
        admin(server, "PUT", settingsPath, settings.toString());
        admin(server, "POST", settingsPath + "/resource", "{\"name\": \"reports-" + UUID.randomUUID() + "\", \"uris\": [\"/reports\"]}");
        // The demo policy plus one rule and the UMA grant let through, on the console pages' items.
        String extraRule = io.github.kcawspack.it.harness.PolicyComponents.create(server, "demo",
                io.github.kcawspack.it.harness.PolicyComponents.rule(JSON.readTree(
                        "{\"scope\": \"write\", \"clients\": [\"testclient\"], \"realmRoles\": [\"no-one-has-this-role\"]}")));
        io.github.kcawspack.it.harness.PolicyComponents.updateSettings(server, "demo",
                settingsConfig -> settingsConfig.putArray("allowGrantTypes").add("urn:ietf:params:oauth:grant-type:uma-ticket"));
        try {
            String userId = newWriter();
            String username = usernameOf(userId);
            Answer direct = oauth.token(form("grant_type", "password", "username", username, "password", "writer-password",
                    "scope", "read write"), TESTCLIENT + ":" + TESTCLIENT_SECRET);
            assertThat(scopes(direct.text("scope"))).as("testclient's rule withholds write from this writer").doesNotContain("write");

            authorize(WEB_APP, WEB_APP_REDIRECT, "code", "openid read write", "s5");
            browser.signIn(username, "writer-password");
            browser.click(By.id("kc-login"));
            Map<String, String> webAppCallback = OAuthClient.decodeParameters(URI.create(
                    browser.awaitUrl(url -> url.startsWith(WEB_APP_REDIRECT) && url.contains("code="))).getRawQuery());
            Answer webApp = oauth.token(form("grant_type", "authorization_code", "code", webAppCallback.get("code"),
                    "redirect_uri", WEB_APP_REDIRECT), WEB_APP + ":" + WEB_APP_SECRET);
            assertThat(scopes(webApp.text("scope"))).as("web-app's rule allows writers").contains("write");

            // The same browser session signs in to testclient (SSO), asking for read only.
            authorize(TESTCLIENT, TESTCLIENT_REDIRECT, "code", "openid read", "s6");
            Map<String, String> testclientCallback = OAuthClient.decodeParameters(URI.create(
                    browser.awaitUrl(url -> url.startsWith(TESTCLIENT_REDIRECT) && url.contains("code="))).getRawQuery());
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
            admin(server, "DELETE", "/admin/realms/demo/components/" + extraRule, null);
            io.github.kcawspack.it.harness.PolicyComponents.updateSettings(server, "demo", settingsConfig -> settingsConfig.remove("allowGrantTypes"));
            com.fasterxml.jackson.databind.node.ObjectNode restored = (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(originalWebApp);
            restored.put("authorizationServicesEnabled", false);
            admin(server, "PUT", "/admin/realms/demo/clients/" + webAppId, restored.toString());
        }
    }

    private void authorize(String clientId, String redirectUri, String responseType, String scope, String state) {
        browser.open(server.authorizationEndpoint(REALM) + "?" + OAuthClient.formEncode(Map.of(
                "response_type", responseType, "client_id", clientId, "redirect_uri", redirectUri,
                "scope", scope, "state", state, "nonce", UUID.randomUUID().toString())));
    }

    /** A user like alice (role writer, profile complete) who has not consented to anything yet. */
    private String newWriter() throws Exception {
        String username = "writer-" + UUID.randomUUID().toString().substring(0, 8);
        admin(server, "POST", "/admin/realms/demo/users", """
                {"username": "%s", "enabled": true, "email": "%s@example.com", "emailVerified": true,
                 "firstName": "Wanda", "lastName": "Writer",
                 "credentials": [{"type": "password", "value": "writer-password", "temporary": false}]}
                """.formatted(username, username));
        String id = JSON.readTree(admin(server, "GET", "/admin/realms/demo/users?exact=true&username=" + username, null))
                .get(0).get("id").asText();
        admin(server, "POST", "/admin/realms/demo/users/" + id + "/role-mappings/realm",
                "[" + admin(server, "GET", "/admin/realms/demo/roles/writer", null) + "]");
        return id;
    }

    private String usernameOf(String userId) throws Exception {
        return JSON.readTree(admin(server, "GET", "/admin/realms/demo/users/" + userId, null)).get("username").asText();
    }

    private static java.util.List<String> scopes(String scope) {
        return scope == null ? java.util.List.of() : Arrays.asList(scope.split(" "));
    }
}
