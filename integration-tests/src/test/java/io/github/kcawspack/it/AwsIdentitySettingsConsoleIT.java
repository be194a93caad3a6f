package io.github.kcawspack.it;

import static io.github.kcawspack.it.DemoRealm.REALM;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.kcawspack.it.fakests.FakeSts;
import io.github.kcawspack.it.harness.Browser;
import io.github.kcawspack.it.harness.KeycloakExtension;
import io.github.kcawspack.it.harness.KeycloakServer;
import io.github.kcawspack.it.harness.OAuthClient.Answer;
import io.github.kcawspack.it.harness.TokenVerifier;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * An administrator adds a principal binding on the admin console page aws-principal-bindings,
 * as README's "Setting it up in a realm" tells it: an invalid account ID is refused with its
 * message, the corrected binding is saved, and the next aws_identity token request of a role the
 * realm refused before gets a token. Screenshots land in target/screenshots.
 */
@ExtendWith(KeycloakExtension.class)
class AwsIdentitySettingsConsoleIT {

    private static final String KEY = "ASIACONSOLEMADEEXMP1";
    private static final String SECRET = "console/made/EXAMPLEKEYEXAMPLEKEYEX";
    private static final String TOKEN = "IQoJconsoleMADEtoken";

    @RegisterExtension
    final Browser browser = new Browser();

    private AwsRealmConfig config;

    @AfterEach
    void removeTheBinding() {
        if (config != null) {
            for (JsonNode item : config.items(REALM)) {
                if (AwsWorkload.UNBOUND_ACCOUNT.equals(item.path("config").path("account").path(0).asText())) {
                    config.remove(REALM, item.get("id").asText());
                }
            }
        }
    }

    @Test
    void aBindingCreatedOnThePageAdmitsItsRoleAtTheNextTokenRequest(KeycloakServer server, FakeSts sts, TokenVerifier tokens)
            throws Exception {
        config = new AwsRealmConfig(server);
        AwsWorkload workload = new AwsWorkload(server, sts);
        sts.registerRole(KEY, SECRET, TOKEN, AwsWorkload.UNBOUND_ACCOUNT, "console-made", "run-1", "AROACONSOLEMADEEXMP1");
        Answer before = workload.login(workload.signer(KEY, SECRET, TOKEN).sign());
        assertThat(before.status()).as("no binding names account " + AwsWorkload.UNBOUND_ACCOUNT + " yet").isEqualTo(400);

        browser.open(server.baseUrl() + "/admin/master/console/#/" + REALM + "/page-section/aws-principal-bindings");
        browser.signIn(KeycloakServer.ADMIN_USERNAME, KeycloakServer.ADMIN_PASSWORD);
        await(By.xpath("//nav//a[normalize-space(.)='aws-principal-bindings']"));
        await(By.xpath("//*[contains(text(), 'Bindings are tried lowest priority first')]"));
        browser.screenshot("admin-console-aws-principal-bindings");
        await(By.xpath("//a[normalize-space(.)='Create item'] | //button[normalize-space(.)='Create item']")).click();

        field("Priority").sendKeys("15");
        field("Account ID").sendKeys("21098765432");
        field("Name pattern").sendKeys("console-*");
        WebElement provision = browser.driver().findElement(By.id("provisionUsers"));
        ((JavascriptExecutor) browser.driver()).executeScript("arguments[0].click()", provision);
        browser.screenshot("admin-console-aws-principal-binding-form");
        browser.click(By.xpath("//button[@data-testid='save']"));

        await(By.xpath("//*[contains(text(), 'Account ID must be exactly 12 digits (no wildcards)')]"));
        browser.screenshot("admin-console-aws-principal-binding-refused");
        assertThat(config.items(REALM)).extracting(item -> item.path("config").path("account").path(0).asText())
                .doesNotContain("21098765432");

        WebElement account = field("Account ID");
        account.sendKeys(Keys.chord(Keys.CONTROL, "a"), AwsWorkload.UNBOUND_ACCOUNT);
        browser.click(By.xpath("//button[@data-testid='save']"));
        await(By.xpath("//*[contains(text(), 'Saved successfully')]"));

        Answer after = workload.login(workload.signer(KEY, SECRET, TOKEN).sign());
        assertThat(after.status()).as(after.toString()).isEqualTo(200);
        assertThat(tokens.verify(after.text("access_token")).getStringClaim("aws_arn"))
                .isEqualTo("arn:aws:iam::" + AwsWorkload.UNBOUND_ACCOUNT + ":role/console-made");
    }

    /**
     * README: principal tags are key and value rows on the page (the console's Map field), not
     * JSON typed into a text box; the item stores what the console makes of the rows.
     */
    @Test
    void principalTagsAreEnteredAsKeyAndValueRows(KeycloakServer server) {
        config = new AwsRealmConfig(server);
        browser.open(server.baseUrl() + "/admin/master/console/#/" + REALM + "/page-section/aws-principal-bindings");
        browser.signIn(KeycloakServer.ADMIN_USERNAME, KeycloakServer.ADMIN_PASSWORD);
        await(By.xpath("//*[contains(text(), 'Bindings are tried lowest priority first')]"));
        await(By.xpath("//a[normalize-space(.)='Create item'] | //button[normalize-space(.)='Create item']")).click();

        field("Priority").sendKeys("16");
        field("Account ID").sendKeys(AwsWorkload.UNBOUND_ACCOUNT);
        field("Name pattern").sendKeys("tagged-*");
        browser.click(By.xpath("//button[contains(@data-testid, 'principalTags') and contains(@data-testid, 'add-row')]"));
        WebElement key = await(By.xpath("//input[contains(@data-testid, 'principalTags') and contains(@data-testid, '.0.key')]"));
        key.sendKeys("team");
        WebElement value = await(By.xpath("//input[contains(@data-testid, 'principalTags') and contains(@data-testid, '.0.value')]"));
        value.sendKeys("platform");
        value.sendKeys(Keys.TAB);
        browser.screenshot("admin-console-aws-principal-binding-tags");
        browser.click(By.xpath("//button[@data-testid='save']"));
        await(By.xpath("//*[contains(text(), 'Saved successfully')]"));

        JsonNode saved = config.items(REALM).stream()
                .filter(item -> AwsWorkload.UNBOUND_ACCOUNT.equals(item.path("config").path("account").path(0).asText()))
                .findFirst().orElseThrow();
        JsonNode rows = AwsRealmConfig.parse(saved.path("config").path("principalTags").path(0).asText());
        assertThat(rows.toString()).isEqualTo("[{\"key\":\"team\",\"value\":\"platform\"}]");
    }

    /** The input of the form field labelled {@code label}, as the console renders it. */
    private WebElement field(String label) {
        WebElement labelElement = await(By.xpath("//label[.//*[normalize-space(text())='" + label + "']]"));
        return browser.driver().findElement(By.xpath("//*[@id='" + labelElement.getAttribute("for") + "']"));
    }

    /** The console is a single-page application that loads after the login; give it time. */
    private WebElement await(By by) {
        return new WebDriverWait(browser.driver(), Duration.ofSeconds(60)).until(d -> {
            var found = d.findElements(by);
            return found.isEmpty() || !found.get(0).isDisplayed() ? null : found.get(0);
        });
    }
}
