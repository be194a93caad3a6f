package io.github.kcawspack.it;

import static io.github.kcawspack.it.DemoRealm.REALM;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.kcawspack.it.fakests.FakeSts;
import io.github.kcawspack.it.harness.Browser;
import io.github.kcawspack.it.harness.KeycloakExtension;
import io.github.kcawspack.it.harness.KeycloakServer;
import io.github.kcawspack.it.harness.OAuthClient.Answer;
import io.github.kcawspack.it.harness.TokenVerifier;
import java.time.Duration;
import org.keycloak.admin.client.CreatedResponseUtil;
import org.keycloak.representations.idm.FederatedIdentityRepresentation;
import org.keycloak.representations.idm.UserRepresentation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * README's "Linking an existing user", done in Keycloak's own admin console: Users > user >
 * Identity provider links > Link account on the "aws" provider, User ID the role's ARN, Username
 * its unique id; the role's next aws_identity login is that user. A screenshot lands in
 * target/screenshots.
 */
@ExtendWith(KeycloakExtension.class)
class AwsIdentityLinkConsoleIT {

    @RegisterExtension
    final Browser browser = new Browser();

    @Test
    void anAdministratorLinksAnExistingUserInTheAdminConsole(KeycloakServer server, FakeSts sts, TokenVerifier tokens) {
        AwsWorkload workload = new AwsWorkload(server, sts);
        sts.registerRole("ASIACONSOLELINKEXMP1", "console/secret/EXAMPLEKEYEXAMPLEKEYE", "IQoJconsoleTOKEN",
                AwsWorkload.ACCOUNT, "console-linked", "s1", "AROACONSOLELINKEXMP1");
        String arn = "arn:aws:iam::" + AwsWorkload.ACCOUNT + ":role/console-linked";
        UserRepresentation user = new UserRepresentation();
        user.setUsername("it-console-linked");
        user.setEnabled(true);
        String userId;
        try (var created = server.admin().realm(REALM).users().create(user)) {
            userId = CreatedResponseUtil.getCreatedId(created);
        }

        browser.open(server.baseUrl() + "/admin/master/console/#/" + REALM + "/users/" + userId + "/identity-provider-links");
        browser.signIn(KeycloakServer.ADMIN_USERNAME, KeycloakServer.ADMIN_PASSWORD);
        WebElement row = await(By.xpath("//tr[td[normalize-space(.)='aws' or normalize-space(.)='Aws']][.//button]"));
        row.findElement(By.xpath(".//button[normalize-space(.)='Link account']")).click();
        WebElement dialog = await(By.xpath("//*[@role='dialog']"));
        dialog.findElement(By.cssSelector("input[name='userId'], input#userId")).sendKeys(arn);
        dialog.findElement(By.cssSelector("input[name='userName'], input#userName")).sendKeys("AROACONSOLELINKEXMP1");
        browser.screenshot("admin-console-aws-link");
        dialog.findElement(By.cssSelector("[data-testid='confirm']")).click();
        new WebDriverWait(browser.driver(), Duration.ofSeconds(30)).until(d -> linkOf(server, userId) != null);

        FederatedIdentityRepresentation link = linkOf(server, userId);
        assertThat(link.getUserId()).isEqualTo(arn);
        assertThat(link.getUserName()).isEqualTo("AROACONSOLELINKEXMP1");
        Answer answer = workload.login(workload.signer("ASIACONSOLELINKEXMP1", "console/secret/EXAMPLEKEYEXAMPLEKEYE",
                "IQoJconsoleTOKEN").sign());
        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        assertThat(tokens.verify(answer.text("access_token")).getSubject()).isEqualTo(userId);
    }

    private static FederatedIdentityRepresentation linkOf(KeycloakServer server, String userId) {
        return server.admin().realm(REALM).users().get(userId).getFederatedIdentity().stream()
                .filter(link -> "aws".equals(link.getIdentityProvider())).findFirst().orElse(null);
    }

    /** The console is a single-page application that loads after the login; give it time. */
    private WebElement await(By by) {
        return new WebDriverWait(browser.driver(), Duration.ofSeconds(60)).until(d -> {
            var found = d.findElements(by);
            return found.isEmpty() || !found.get(0).isDisplayed() ? null : found.get(0);
        });
    }
}
