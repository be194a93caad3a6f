package io.github.kcawspack.it;

import static io.github.kcawspack.it.harness.PolicyRealm.FILTER_WRITE_FOR_WRITERS;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.kcawspack.it.harness.Browser;
import io.github.kcawspack.it.harness.KeycloakExtension;
import io.github.kcawspack.it.harness.KeycloakServer;
import io.github.kcawspack.it.harness.PolicyRealm;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Issue 13, case 6, in Keycloak's admin console (headless Chromium): an operator who types a
 * policy naming a scope the realm does not have ({@code wirte}) into Authentication > Required
 * actions > "Restricted scope policy" > settings sees the error and nothing is saved; a valid
 * policy saves. The REST API: ScopePolicyValidationIT. Screenshots land in target/screenshots.
 */
@ExtendWith(KeycloakExtension.class)
class ScopePolicyTypoConsoleIT {

    private static final String TYPO = "{\"mode\": \"filter\", \"rules\": [{\"scope\": \"wirte\", \"realmRoles\": [\"writer\"]}]}";

    private static PolicyRealm realm;
    private static KeycloakServer server;

    @RegisterExtension
    final Browser browser = new Browser();

    @BeforeAll
    static void createRealm(KeycloakServer keycloak) {
        server = keycloak;
        realm = PolicyRealm.create(server, "console");
    }

    @AfterAll
    static void deleteRealm() {
        if (realm != null) {
            realm.close();
        }
    }

    @BeforeEach
    void startFromTheWritePolicy() {
        realm.policy(FILTER_WRITE_FOR_WRITERS);
    }

    @Test
    void theConsoleShowsTheErrorForATypoedScopeAndDoesNotSave() {
        WebElement dialog = openPolicySettings();
        replacePolicy(dialog, TYPO);
        dialog.findElement(By.xpath(".//button[normalize-space(.)='Save']")).click();

        WebElement error = awaitErrorAlert("admin-console-scope-policy-typo");
        assertThat(error.getText()).contains("wirte");
        assertThat(realm.policy()).as("nothing was saved").isEqualTo(FILTER_WRITE_FOR_WRITERS);
    }

    /** The same path for a policy that does not parse (a misspelt field): the error reaches the operator too. */
    @Test
    void theConsoleShowsTheErrorForAPolicyThatDoesNotParseAndDoesNotSave() {
        WebElement dialog = openPolicySettings();
        replacePolicy(dialog, "{\"rules\": [{\"scope\": \"write\", \"realmRole\": [\"writer\"]}]}");
        dialog.findElement(By.xpath(".//button[normalize-space(.)='Save']")).click();

        WebElement error = awaitErrorAlert("admin-console-scope-policy-unparseable");
        // The parser names the misspelt field and where it stands, never a value of the input.
        assertThat(error.getText()).contains("Invalid restricted scope policy").contains("unknown field realmRole at rules[0]");
        assertThat(realm.policy()).as("nothing was saved").isEqualTo(FILTER_WRITE_FOR_WRITERS);
    }

    @Test
    void theConsoleSavesAValidPolicy() {
        String valid = "{\"mode\": \"reject\", \"rules\": [{\"scope\": \"write\", \"realmRoles\": [\"writer\"]}]}";
        WebElement dialog = openPolicySettings();
        replacePolicy(dialog, valid);
        dialog.findElement(By.xpath(".//button[normalize-space(.)='Save']")).click();

        new WebDriverWait(browser.driver(), Duration.ofSeconds(20)).until(d -> valid.equals(realm.policy()));
        assertThat(realm.policy()).isEqualTo(valid);
    }

    /** Logs in as the bootstrap admin and opens the policy's settings dialog of the test realm. */
    private WebElement openPolicySettings() {
        browser.open(server.baseUrl() + "/admin/master/console/#/" + realm.name() + "/authentication/required-actions");
        browser.signIn(KeycloakServer.ADMIN_USERNAME, KeycloakServer.ADMIN_PASSWORD);
        WebElement row = await(By.xpath("//tr[td[normalize-space(.)='Restricted scope policy']]"));
        row.findElement(By.xpath(".//button[@aria-label='Settings']")).click();
        WebElement dialog = await(By.xpath("//*[@role='dialog'][.//*[contains(., 'Policy (JSON)')]]"));
        new WebDriverWait(browser.driver(), Duration.ofSeconds(20)).until(d ->
                dialog.findElement(By.tagName("textarea")).getAttribute("value").contains("\"write\""));
        return dialog;
    }

    /** Replaces the field's text the way a person does (select all, type), so the form sees the change. */
    private static void replacePolicy(WebElement dialog, String policy) {
        WebElement field = dialog.findElement(By.tagName("textarea"));
        field.click();
        field.sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.DELETE);
        field.sendKeys(policy);
        assertThat(field.getAttribute("value")).isEqualTo(policy);
    }

    /** The console's error toast (a danger alert), with a screenshot of the page for reviewers. */
    private WebElement awaitErrorAlert(String screenshot) {
        try {
            WebElement alert = await(By.xpath("//*[contains(@class, 'c-alert') and contains(@class, 'pf-m-danger')]"));
            browser.screenshot(screenshot);
            return alert;
        } catch (org.openqa.selenium.TimeoutException e) {
            browser.screenshot(screenshot + "-no-error");
            throw new AssertionError("No error alert; the page said:\n" + browser.pageText(), e);
        }
    }

    /** The console is a single-page application that loads after the login; give it time. */
    private WebElement await(By by) {
        return new WebDriverWait(browser.driver(), Duration.ofSeconds(60)).until(d -> {
            var found = d.findElements(by);
            return found.isEmpty() || !found.get(0).isDisplayed() ? null : found.get(0);
        });
    }
}
