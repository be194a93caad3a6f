package io.github.kcawspack.it;

import static io.github.kcawspack.it.harness.PolicyRealm.BOB;
import static io.github.kcawspack.it.harness.PolicyRealm.FILTER_WRITE_FOR_WRITERS;
import static io.github.kcawspack.it.harness.PolicyRealm.words;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.kcawspack.it.harness.Browser;
import io.github.kcawspack.it.harness.Injected;
import io.github.kcawspack.it.harness.KeycloakExtension;
import io.github.kcawspack.it.harness.KeycloakServer;
import io.github.kcawspack.it.harness.OAuthClient.Answer;
import io.github.kcawspack.it.harness.PolicyComponents;
import io.github.kcawspack.it.harness.PolicyRealm;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Issues 13 (case 6) and 16 in Keycloak's admin console (headless Chromium): an operator creates a
 * rule on the page restricted-scope-rules; a rule for a scope the realm does not have
 * ({@code wirte}) is refused with the message naming the field and nothing is saved; corrected,
 * it saves and holds on the very next token request. The REST API: ScopePolicyValidationIT.
 * Screenshots land in target/screenshots.
 */
@ExtendWith(KeycloakExtension.class)
@PolicyRealm.Options(prefix = "console")
class ScopePolicyTypoConsoleIT {

    @Injected
    PolicyRealm realm;
    @Injected
    KeycloakServer server;

    @RegisterExtension
    final Browser browser = new Browser();

    @BeforeEach
    void startFromTheWritePolicy() {
        realm.policy(FILTER_WRITE_FOR_WRITERS);
    }

    @Test
    void anAdminCreatesARuleOnThePageATypoIsRefusedWithItsMessageAndTheRuleHoldsOnTheNextToken() {
        assertThat(words(realm.password(BOB, "read write").text("scope"))).as("before: read is open").contains("read");

        openNewRule();
        fill("scope", "wirte");
        fill("config.realmRoles0", "writer");
        browser.screenshot("admin-console-scope-rule-new");
        save();

        WebElement error = awaitAlert("danger", "admin-console-scope-rule-typo");
        assertThat(error.getText()).contains("Scope: scope 'wirte' does not exist in this realm");
        assertThat(PolicyComponents.items(server, realm.name())).as("nothing was saved").hasSize(2);

        fill("scope", "read");
        save();
        awaitAlert("success", "admin-console-scope-rule-saved");

        List<JsonNode> rules = PolicyComponents.items(server, realm.name()).stream()
                .filter(item -> "read".equals(item.path("config").path("scope").path(0).asText())).toList();
        assertThat(rules).singleElement().satisfies(rule ->
                assertThat(rule.path("config").path("realmRoles").path(0).asText()).isEqualTo("writer"));
        Answer bob = realm.password(BOB, "read write");
        assertThat(bob.status()).as(bob.toString()).isEqualTo(200);
        assertThat(words(bob.text("scope"))).as("the next token request: read is withheld from bob").doesNotContain("read", "write");
    }

    /** Logs in as the bootstrap admin and opens a new item on the rules page of the test realm. */
    private void openNewRule() {
        browser.open(server.baseUrl() + "/admin/master/console/#/" + realm.name() + "/page-section/" + PolicyComponents.RULES + "/add");
        browser.signIn(KeycloakServer.ADMIN_USERNAME, KeycloakServer.ADMIN_PASSWORD);
        await(field("scope"));
    }

    /**
     * An input of the page's form by the test id the console gives it: a field's name (the
     * label "Scope" is {@code scope}), or for a multivalued field {@code config.<name><line>}
     * ("Realm roles", first line: {@code config.realmRoles0}).
     */
    private static By field(String testId) {
        return By.xpath("//input[@data-testid='" + testId + "']");
    }

    /** Replaces the field's text the way a person does (select all, type), so the form sees the change. */
    private void fill(String testId, String value) {
        WebElement input = await(field(testId));
        input.click();
        input.sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.DELETE);
        input.sendKeys(value);
        assertThat(input.getAttribute("value")).isEqualTo(value);
    }

    private void save() {
        browser.click(By.xpath("//button[@data-testid='save']"));
    }

    /** The console's toast of this variant (danger, success), with a screenshot of the page for reviewers. */
    private WebElement awaitAlert(String variant, String screenshot) {
        try {
            WebElement alert = await(By.xpath("//*[contains(@class, 'c-alert') and contains(@class, 'pf-m-" + variant + "')]"));
            browser.screenshot(screenshot);
            return alert;
        } catch (org.openqa.selenium.TimeoutException e) {
            browser.screenshot(screenshot + "-missing");
            throw new AssertionError("No " + variant + " alert; the page said:\n" + browser.pageText(), e);
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
