package io.github.kcawspack.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.kcawspack.it.harness.Browser;
import io.github.kcawspack.it.harness.KeycloakExtension;
import io.github.kcawspack.it.harness.KeycloakServer;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Where an operator finds the policy: Keycloak's own admin console, Authentication > Required
 * actions > "Restricted scope policy" > settings, with the demo policy in the field and the help
 * text one click away. A screenshot lands in target/screenshots.
 */
@ExtendWith(KeycloakExtension.class)
class ScopePolicyAdminConsoleIT {

    @RegisterExtension
    final Browser browser = new Browser();

    @Test
    void thePolicyIsARequiredActionSettingWithItsHelpText(KeycloakServer server) {
        browser.open(server.baseUrl() + "/admin/master/console/#/demo/authentication/required-actions");
        browser.signIn(KeycloakServer.ADMIN_USERNAME, KeycloakServer.ADMIN_PASSWORD);

        WebElement row = await(By.xpath("//tr[td[normalize-space(.)='Restricted scope policy']]"));
        assertThat(row.findElement(By.xpath(".//input[@type='checkbox']")).isSelected()).as("enabled in the demo realm").isTrue();
        row.findElement(By.xpath(".//button[@aria-label='Settings']")).click();

        WebElement dialog = await(By.xpath("//*[@role='dialog'][.//*[contains(., 'Policy (JSON)')]]"));
        WebElement field = dialog.findElement(By.tagName("textarea"));
        assertThat(field.getAttribute("value")).contains("\"scope\": \"write\"", "\"realmRoles\"", "deployer");
        browser.screenshot("admin-console-scope-policy");

        dialog.findElement(By.xpath(".//button[starts-with(@data-testid, 'help-label-')]")).click();
        WebElement help = await(By.xpath("//*[contains(@class, 'popover')][contains(., 'Who may obtain which scope')]"));
        assertThat(help.getText()).contains("filter", "reject", "strict", "optional client scope");
        browser.screenshot("admin-console-scope-policy-help");
    }

    /** The console is a single-page application that loads after the login; give it time. */
    private WebElement await(By by) {
        return new WebDriverWait(browser.driver(), Duration.ofSeconds(60)).until(d -> {
            var found = d.findElements(by);
            return found.isEmpty() || !found.get(0).isDisplayed() ? null : found.get(0);
        });
    }
}
