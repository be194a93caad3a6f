package io.github.kcawspack.it;

import static io.github.kcawspack.it.harness.OAuthClient.form;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.kcawspack.it.harness.Browser;
import io.github.kcawspack.it.harness.KeycloakServer;
import io.github.kcawspack.it.harness.OAuthClient.Answer;
import io.github.kcawspack.it.harness.PolicyRealm;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * OAuth 2.0 Device Authorization Grant (RFC 8628) against a {@link PolicyRealm}'s client: the
 * device asks for a code, the user signs in and approves on the verification page in headless
 * Chromium, the device polls the token endpoint.
 */
final class DeviceFlow {

    /** The client attribute that switches the grant on for a client. */
    static final String ENABLED_ATTRIBUTE = "oauth2.device.authorization.grant.enabled";

    /** What the device got from the device authorization endpoint. */
    record DeviceCode(String deviceCode, String verificationUriComplete) {
    }

    private DeviceFlow() {
    }

    /** The device's request: POST to the device authorization endpoint as the confidential client; a null scope sends none. */
    static DeviceCode start(KeycloakServer server, PolicyRealm realm, String scope) {
        Answer answer = realm.oauth().post(server.realmUrl(realm.name()) + "/protocol/openid-connect/auth/device",
                scope == null ? form() : form("scope", scope), PolicyRealm.CLIENT_BASIC);
        assertThat(answer.status()).as("device authorization: %s", answer).isEqualTo(200);
        return new DeviceCode(answer.text("device_code"), answer.text("verification_uri_complete"));
    }

    /**
     * The user opens the verification page, signs in and arrives at the consent page; returns its
     * text (with a screenshot saved as {@code screenshotName}). Fails on a server error page.
     */
    static String signInToConsent(Browser browser, DeviceCode code, String username, String password, String screenshotName) {
        browser.open(code.verificationUriComplete());
        browser.signIn(username, password);
        String text = browser.pageText();
        browser.screenshot(screenshotName);
        assertThat(text).as("the device sign-in reached a page without a server error")
                .doesNotContainIgnoringCase("unexpected error").doesNotContain("Internal Server Error");
        return text;
    }

    /**
     * The user presses Accept on the consent page and Keycloak confirms the device login. Returns
     * once the consent page is gone: the confirmation page has a {@code #kc-page-title} too, so
     * waiting for that alone can return before Keycloak recorded the approval, and the device's
     * poll then gets authorization_pending (CI saw that once).
     */
    static void approve(Browser browser) {
        WebElement accept = browser.find(By.id("kc-login"));
        accept.click();
        browser.awaitGone(accept);
        browser.find(By.cssSelector("#kc-page-title"));
    }

    /** The device polls the token endpoint once. */
    static Answer poll(PolicyRealm realm, DeviceCode code) {
        return realm.oauth().token(form("grant_type", PolicyRealm.DEVICE_GRANT, "device_code", code.deviceCode()),
                PolicyRealm.CLIENT_BASIC);
    }

    /** The whole flow for a user who accepts: the answer of the first poll after approval. */
    static Answer approvedToken(KeycloakServer server, PolicyRealm realm, Browser browser, String username, String password,
                                String scope, String screenshotName) {
        DeviceCode code = start(server, realm, scope);
        signInToConsent(browser, code, username, password, screenshotName);
        approve(browser);
        return poll(realm, code);
    }
}
