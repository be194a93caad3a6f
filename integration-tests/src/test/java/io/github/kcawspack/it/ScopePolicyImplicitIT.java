package io.github.kcawspack.it;

import static io.github.kcawspack.it.harness.PolicyRealm.ALICE;
import static io.github.kcawspack.it.harness.PolicyRealm.BOB;
import static io.github.kcawspack.it.harness.PolicyRealm.CLIENT;
import static io.github.kcawspack.it.harness.PolicyRealm.PASSWORD;
import static io.github.kcawspack.it.harness.PolicyRealm.REDIRECT;
import static io.github.kcawspack.it.harness.PolicyRealm.WRITE_CLAIM;
import static io.github.kcawspack.it.harness.PolicyRealm.words;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.JWTClaimsSet;
import io.github.kcawspack.it.harness.Browser;
import io.github.kcawspack.it.harness.Injected;
import io.github.kcawspack.it.harness.KeycloakExtension;
import io.github.kcawspack.it.harness.KeycloakServer;
import io.github.kcawspack.it.harness.LoginPage;
import io.github.kcawspack.it.harness.PolicyRealm;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;

/**
 * Issue 13, case 5: the implicit grant (and hybrid with {@code token}) in headless Chromium. The
 * access token goes to the client in the redirect fragment, where Keycloak puts no {@code scope}
 * (RFC 6749 section 4.2.2 requires one whenever it differs from the request), so a login from
 * which the policy would withhold a requested scope is refused even in filter mode: the
 * redirect carries {@code error=invalid_scope} and no token. Policy: write needs role writer.
 */
@ExtendWith(KeycloakExtension.class)
@PolicyRealm.Options(prefix = "implicit")
class ScopePolicyImplicitIT {

    @Injected
    PolicyRealm realm;
    @Injected
    KeycloakServer server;

    @RegisterExtension
    final Browser browser = new Browser();

    @BeforeAll
    static void enableTheImplicitFlow(PolicyRealm realm) {
        realm.updateClient(CLIENT, client -> client.setImplicitFlowEnabled(true));
    }

    @Test
    void bobAskingForWriteIsSentBackWithInvalidScopeAndNoToken() {
        realm.policy(PolicyRealm.FILTER_WRITE_FOR_WRITERS);

        Map<String, String> fragment = login(BOB, "token", "read write", "s1");

        assertThat(fragment).containsEntry("error", "invalid_scope").containsEntry("state", "s1")
                .doesNotContainKeys("access_token", "id_token", "code");
    }

    @Test
    void bobAskingForWriteThroughTheHybridFlowIsSentBackWithInvalidScopeAndNoToken() {
        realm.policy(PolicyRealm.FILTER_WRITE_FOR_WRITERS);

        Map<String, String> fragment = login(BOB, "code token", "openid read write", "s2");

        assertThat(fragment).containsEntry("error", "invalid_scope").containsEntry("state", "s2")
                .doesNotContainKeys("access_token", "id_token", "code");
    }

    @Test
    void aliceGetsAnAccessTokenCarryingWrite() {
        realm.policy(PolicyRealm.FILTER_WRITE_FOR_WRITERS);

        Map<String, String> fragment = login(ALICE, "token", "read write", "s3");

        assertThat(fragment).doesNotContainKey("error").containsKey("access_token");
        JWTClaimsSet token = realm.tokens().verify(fragment.get("access_token"));
        assertThat(words(token.getClaims().get("scope").toString())).contains("read", "write");
        assertThat(token.getClaims()).containsEntry(WRITE_CLAIM, true);
    }

    @Test
    void bobAskingForNothingWithheldGetsHisTokenAsBefore() {
        realm.policy(PolicyRealm.FILTER_WRITE_FOR_WRITERS);

        Map<String, String> fragment = login(BOB, "token", "read", "s4");

        assertThat(fragment).doesNotContainKey("error").containsKey("access_token");
        JWTClaimsSet token = realm.tokens().verify(fragment.get("access_token"));
        assertThat(words(token.getClaims().get("scope").toString())).contains("read").doesNotContain("write");
    }

    /** Signs in on {@link PolicyRealm#CLIENT}'s authorization endpoint; returns the redirect's fragment. */
    private Map<String, String> login(String username, String responseType, String scope, String state) {
        server.loginPage(realm.name()).signIn(browser, CLIENT, REDIRECT, responseType, scope, state, username, PASSWORD);
        return LoginPage.awaitRedirect(browser, REDIRECT);
    }
}
