package io.github.kcawspack.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

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
 * Where an operator finds the policy: Keycloak's own admin console, in the Configure section, the
 * pages restricted-scope-rules (the demo realm's rules, one row each) and restricted-scope-settings
 * (its one settings item), and classic-scope-semantics (one item per client with RFC 6749 default
 * scopes). Screenshots land in target/screenshots.
 */
@ExtendWith(KeycloakExtension.class)
class ScopePolicyAdminConsoleIT {

    @RegisterExtension
    final Browser browser = new Browser();

    @Test
    void theRulesAndTheSettingsArePagesOfTheConsole(KeycloakServer server) {
        assumeListsEveryItem(server);
        browser.open(server.baseUrl() + "/admin/master/console/#/demo/realm-settings");
        browser.signIn(KeycloakServer.ADMIN_USERNAME, KeycloakServer.ADMIN_PASSWORD);

        await(By.xpath("//a[normalize-space(.)='restricted-scope-rules']")).click();
        WebElement deploy = await(By.xpath("//table//a[normalize-space(.)='deploy']"));
        assertThat(browser.pageText()).contains("Scope", "Clients", "Realm roles", "write", "groups", "web-app", "writer");
        browser.screenshot("admin-console-scope-rules");

        deploy.click();
        WebElement aws = await(By.xpath("//input[@data-testid='config.awsPrincipals0']"));
        new WebDriverWait(browser.driver(), Duration.ofSeconds(20)).until(d -> !aws.getAttribute("value").isEmpty());
        assertThat(aws.getAttribute("value")).isEqualTo("123456789012:role/deployer");
        browser.screenshot("admin-console-scope-rule");

        await(By.xpath("//a[normalize-space(.)='restricted-scope-settings']")).click();
        await(By.xpath("//table//a[normalize-space(.)='true']"));
        browser.screenshot("admin-console-scope-settings");
    }

    @Test
    void theClientsScopeSemanticsAreAPageOfTheConsole(KeycloakServer server) {
        assumeListsEveryItem(server);
        browser.open(server.baseUrl() + "/admin/master/console/#/demo/realm-settings");
        browser.signIn(KeycloakServer.ADMIN_USERNAME, KeycloakServer.ADMIN_PASSWORD);

        await(By.xpath("//a[normalize-space(.)='classic-scope-semantics']")).click();
        WebElement apiClient = await(By.xpath("//table//a[normalize-space(.)='api-client']"));
        assertThat(browser.pageText()).contains("Client ID", "Semantics", "Default scopes", "testclient", "rfc6749");
        browser.screenshot("admin-console-classic-scope-semantics");

        apiClient.click();
        WebElement first = await(By.xpath("//input[@data-testid='config.defaultScopes0']"));
        new WebDriverWait(browser.driver(), Duration.ofSeconds(20)).until(d -> !first.getAttribute("value").isEmpty());
        // Keycloak keeps a component's multivalued field as a set: the console may list them in another order.
        assertThat(java.util.stream.IntStream.range(0, 3)
                .mapToObj(i -> await(By.xpath("//input[@data-testid='config.defaultScopes" + i + "']")).getAttribute("value")))
                .containsExactlyInAnyOrder("read", "write", "groups");
        browser.screenshot("admin-console-classic-scope-semantics-item");
    }

    /**
     * Keycloak 26.5.6's console did not list every item of these pages in the demo realm (13 items
     * of the pack's pages): in two runs a different existing item (the settings item, a
     * classic-scope-semantics item) never appeared in its page's table, although the admin REST API
     * has it and it applies; 26.6.4 and 26.7.3 list them all. Known limitation, in README.
     */
    private static void assumeListsEveryItem(KeycloakServer server) {
        assumeTrue(server.isAtLeast(26, 6), "Keycloak " + server.version()
                + "'s admin console does not list every item of a page when the realm holds many of the pack's items");
    }

    /** The console is a single-page application that loads after the login; give it time. */
    private WebElement await(By by) {
        return new WebDriverWait(browser.driver(), Duration.ofSeconds(60)).until(d -> {
            var found = d.findElements(by);
            return found.isEmpty() || !found.get(0).isDisplayed() ? null : found.get(0);
        });
    }
}
