package io.github.kcawspack.it;

import static io.github.kcawspack.it.harness.PolicyRealm.ALICE;
import static io.github.kcawspack.it.harness.PolicyRealm.PASSWORD;
import static io.github.kcawspack.it.harness.PolicyRealm.BOB;
import static io.github.kcawspack.it.harness.PolicyRealm.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.kcawspack.it.harness.Browser;
import io.github.kcawspack.it.harness.Injected;
import io.github.kcawspack.it.harness.KeycloakExtension;
import io.github.kcawspack.it.harness.KeycloakServer;
import io.github.kcawspack.it.harness.OAuthClient.Answer;
import io.github.kcawspack.it.harness.PolicyRealm;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;

/**
 * Issue 13, case 1 and 2: the device authorization grant under a restricted-scope policy. The
 * device fixes the scope before anyone signs in, so a token cannot be narrowed to what the
 * approving user may have: the consent page says so, and the token endpoint refuses with
 * invalid_scope, in filter and in reject mode. A rule with grantTypes must not break the sign-in.
 */
@ExtendWith(KeycloakExtension.class)
@PolicyRealm.Options(prefix = "device-policy", loginTheme = "aws-pack", clientAttributes = DeviceFlow.ENABLED_ATTRIBUTE + "=true")
class DeviceGrantScopePolicyIT {

    private static final String REFUSED_SENTENCE = "The device will get no token: it asked for access you cannot be given.";

    @Injected
    KeycloakServer server;
    @Injected
    PolicyRealm realm;

    @RegisterExtension
    final Browser browser = new Browser();

    @BeforeEach
    void writeNeedsWriter() {
        realm.policy(PolicyRealm.FILTER_WRITE_FOR_WRITERS);
    }

    @Test
    void bobsConsentPageShowsWriteAsNotGrantedAndSaysTheDeviceGetsNoToken() {
        DeviceFlow.DeviceCode code = DeviceFlow.start(server, realm, "openid read write");
        DeviceFlow.signInToConsent(browser, code, BOB, PASSWORD, "device-consent-withheld");

        assertThat(browser.find(By.id("consent-withheld")).getText())
                .as("write under 'Asked for, but not granted'").contains("Change data through the API");
        assertThat(browser.pageText()).contains("Asked for, but not granted").contains(REFUSED_SENTENCE);
        assertThat(browser.find(By.id("kc-oauth")).findElements(By.id("consent-access")))
                .as("write is not among what the device would get")
                .allSatisfy(granted -> assertThat(granted.getText()).doesNotContain("Change data through the API"));
    }

    @Test
    void bobApprovingTheDeviceGetsInvalidScopeAtTheTokenEndpoint() {
        Answer poll = DeviceFlow.approvedToken(server, realm, browser, BOB, PASSWORD, "openid read write", "device-bob-filter");

        assertRefused(poll, "invalid_scope");
        assertThat(poll.text("error_description")).contains("'write'");
    }

    @Test
    void bobAskingOnlyForWhatHeMayHaveGetsHisDeviceToken() {
        Answer poll = DeviceFlow.approvedToken(server, realm, browser, BOB, PASSWORD, "openid read", "device-bob-read");

        realm.assertIssuedWithoutWrite(poll);
        assertThat(PolicyRealm.words(poll.text("scope"))).contains("read");
    }

    @Test
    void aliceApprovingTheDeviceGetsWrite() {
        Answer poll = DeviceFlow.approvedToken(server, realm, browser, ALICE, PASSWORD, "openid read write", "device-alice");

        realm.assertIssuedWithWrite(poll);
    }

    @Test
    void inRejectModeBobsDeviceGetsInvalidScopeToo() {
        realm.policy("""
                {"mode": "reject", "rules": [{"scope": "write", "realmRoles": ["writer"]}]}""");
        DeviceFlow.DeviceCode code = DeviceFlow.start(server, realm, "openid read write");
        DeviceFlow.signInToConsent(browser, code, BOB, PASSWORD, "device-bob-reject");
        if (!browser.driver().findElements(By.id("kc-oauth")).isEmpty()) {
            DeviceFlow.approve(browser);
        }

        assertRefused(DeviceFlow.poll(realm, code), "invalid_scope");
    }

    @Test
    void aRuleWithGrantTypesForTheDeviceGrantGivesAliceWriteAndRefusesBobWithoutAServerError() {
        realm.policy("""
                {"mode": "filter", "rules": [{"scope": "write", "realmRoles": ["writer"],
                  "grantTypes": ["urn:ietf:params:oauth:grant-type:device_code"]}]}""");

        realm.assertIssuedWithWrite(
                DeviceFlow.approvedToken(server, realm, browser, ALICE, PASSWORD, "openid read write", "device-granttypes-alice"));
        browser.restart();
        assertRefused(
                DeviceFlow.approvedToken(server, realm, browser, BOB, PASSWORD, "openid read write", "device-granttypes-bob"),
                "invalid_scope");
    }

    @Test
    void aRuleThatAllowsWriteOnlyThroughAnotherGrantRefusesAliceOnTheDevice() {
        realm.policy("""
                {"mode": "filter", "rules": [{"scope": "write", "realmRoles": ["writer"], "grantTypes": ["authorization_code"]}]}""");

        assertRefused(
                DeviceFlow.approvedToken(server, realm, browser, ALICE, PASSWORD, "openid read write", "device-granttypes-other"),
                "invalid_scope");
    }
}
