package io.github.kcawspack.it;

import static io.github.kcawspack.it.DemoRealm.*;
import static io.github.kcawspack.it.harness.OAuthClient.form;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.JWTClaimsSet;
import io.github.kcawspack.it.harness.Browser;
import io.github.kcawspack.it.harness.Injected;
import io.github.kcawspack.it.harness.KeycloakExtension;
import io.github.kcawspack.it.harness.LoginPage;
import io.github.kcawspack.it.harness.OAuthClient;
import io.github.kcawspack.it.harness.OAuthClient.Answer;
import io.github.kcawspack.it.harness.TokenVerifier;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;

/**
 * The browser flows of the demo realm in a real headless Chromium: a user signs in on Keycloak's
 * pages (the pack's theme), gives consent, and the client receives a code or a token.
 *
 * <p>The demo redirect URIs are the classic documented ones (www.example.com, getpostman.com);
 * this machine cannot reach them, so the test reads the code or token from the address the
 * browser was sent to, which is what the client would receive.
 */
@ExtendWith(KeycloakExtension.class)
class BrowserFlowsIT {

    @Injected
    LoginPage login;
    @Injected
    OAuthClient oauth;
    @Injected
    TokenVerifier tokens;
    @RegisterExtension
    final Browser browser = new Browser();

    @Test
    void authorizationCodeWithConsentAndPkce() throws Exception {
        String verifier = randomToken();
        String challenge = base64Url(MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
        String state = randomToken();
        browser.open(login.authorizationUrl(Map.of(
                "response_type", "code",
                "client_id", WEB_APP,
                "redirect_uri", WEB_APP_REDIRECT,
                "scope", "openid read groups",
                "state", state,
                "code_challenge", challenge,
                "code_challenge_method", "S256")));

        browser.signIn(ALICE, ALICE_PASSWORD);

        browser.find(By.name("accept"));
        String consent = browser.pageText();
        // The scopes' consent texts, in the theme's words (ConsentPageIT covers the page itself).
        assertThat(consent).contains("Web App", "View your data in the API", "See which groups you belong to");
        assertThat(consent).doesNotContain("Create, change and delete your data in the API");
        browser.screenshot("consent-web-app");
        browser.click(By.name("accept"));

        Map<String, String> callback = OAuthClient.decodeParameters(URI.create(
                browser.awaitUrl(url -> url.startsWith(WEB_APP_REDIRECT))).getRawQuery());
        assertThat(callback).containsEntry("state", state).containsKey("code");

        Answer withoutVerifier = oauth.token(form(
                "grant_type", "authorization_code", "code", callback.get("code"), "redirect_uri", WEB_APP_REDIRECT),
                WEB_APP + ":" + WEB_APP_SECRET);
        assertThat(withoutVerifier.status()).as("PKCE: the code is bound to the challenge").isEqualTo(400);

        // The failed attempt above consumed nothing that the real client needs: a second login gives a new code.
        callback = OAuthClient.decodeParameters(URI.create(authorizeAgain(challenge, state)).getRawQuery());
        Answer answer = oauth.token(form(
                "grant_type", "authorization_code", "code", callback.get("code"),
                "redirect_uri", WEB_APP_REDIRECT, "code_verifier", verifier),
                WEB_APP + ":" + WEB_APP_SECRET);

        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        assertThat(answer.text("scope").split(" ")).contains("openid", "read", "groups").doesNotContain("write");
        assertThat(answer.text("id_token")).isNotBlank();
        JWTClaimsSet claims = tokens.verify(answer.text("access_token"));
        assertThat(claims.getStringClaim("azp")).isEqualTo(WEB_APP);
        assertThat(claims.getStringListClaim("groups")).containsExactly("/staff");
    }

    @Test
    void authorizationCodeIsSingleUse() throws Exception {
        String state = randomToken();
        browser.open(login.authorizationUrl(Map.of(
                "response_type", "code", "client_id", TESTCLIENT, "redirect_uri", TESTCLIENT_REDIRECT,
                "state", state)));
        browser.signIn(BOB, BOB_PASSWORD);
        Map<String, String> callback = OAuthClient.decodeParameters(URI.create(
                browser.awaitUrl(url -> url.startsWith(TESTCLIENT_REDIRECT) && url.contains("code="))).getRawQuery());
        Map<String, String> exchange = form(
                "grant_type", "authorization_code", "code", callback.get("code"), "redirect_uri", TESTCLIENT_REDIRECT);

        Answer first = oauth.token(exchange, TESTCLIENT + ":" + TESTCLIENT_SECRET);
        Answer replay = oauth.token(exchange, TESTCLIENT + ":" + TESTCLIENT_SECRET);

        assertThat(first.status()).as(first.toString()).isEqualTo(200);
        assertThat(first.text("scope").split(" ")).containsExactlyInAnyOrder("foo", "bar", "qux");
        tokens.verify(first.text("access_token"));
        assertThat(replay.status()).isEqualTo(400);
        assertThat(replay.text("error")).isEqualTo("invalid_grant");
    }

    /** Same browser session: Keycloak signs the user in silently and remembers the consent. */
    private String authorizeAgain(String challenge, String state) {
        browser.open(login.authorizationUrl(Map.of(
                "response_type", "code", "client_id", WEB_APP, "redirect_uri", WEB_APP_REDIRECT,
                "scope", "openid read groups", "state", state,
                "code_challenge", challenge, "code_challenge_method", "S256")));
        return browser.awaitUrl(url -> url.startsWith(WEB_APP_REDIRECT) && url.contains("code="));
    }

    private static String randomToken() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return base64Url(bytes);
    }

    private static String base64Url(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
