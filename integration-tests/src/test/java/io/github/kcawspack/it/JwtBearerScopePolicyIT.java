package io.github.kcawspack.it;

import static io.github.kcawspack.it.harness.PolicyRealm.ALICE;
import static io.github.kcawspack.it.harness.PolicyRealm.BOB;
import static io.github.kcawspack.it.harness.PolicyRealm.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.kcawspack.it.harness.Injected;
import io.github.kcawspack.it.harness.KeycloakExtension;
import io.github.kcawspack.it.harness.KeycloakServer;
import io.github.kcawspack.it.harness.OAuthClient.Answer;
import io.github.kcawspack.it.harness.PolicyRealm;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 13: the JWT authorization grant (RFC 7523, urn:ietf:params:oauth:grant-type:jwt-bearer)
 * under a restricted-scope policy. Keycloak issues the token straight from the assertion, without
 * a login the policy could narrow: a withheld scope is refused with invalid_scope. The assertion
 * is signed with a key this test makes; the identity provider knows its public key; the users are
 * found through federated identity links.
 *
 * <p>Keycloak 26.5 has the grant only behind the preview feature jwt-authorization-grant, off by
 * default: there the class runs when the run switches it on
 * ({@code -Dkeycloak.it.features=jwt-authorization-grant}, as bin/test-compat's 26.5 JDK 17 cell
 * does) and is skipped otherwise, saying so. From 26.6 on it is on by default and the class must run.
 */
@ExtendWith(KeycloakExtension.class)
@PolicyRealm.Options(prefix = "jwt-bearer-policy", loginTheme = "aws-pack")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JwtBearerScopePolicyIT {

    @Injected
    KeycloakServer server;
    @Injected
    PolicyRealm realm;
    private JwtBearerIssuer issuer;

    /** One identity provider for the class (its alias is fixed), registered once the server is known to have the grant. */
    @BeforeAll
    void registerIssuer() {
        PolicyRealm.assumeJwtBearerGrant(server);
        issuer = JwtBearerIssuer.register(server, realm);
        issuer.link(ALICE);
        issuer.link(BOB);
    }

    @BeforeEach
    void writeNeedsWriter() {
        realm.policy(PolicyRealm.FILTER_WRITE_FOR_WRITERS);
    }

    @Test
    void bobAskingForWriteIsRefusedWithInvalidScope() {
        Answer answer = issuer.token("ext-" + BOB, "read write");

        assertRefused(answer, "invalid_scope");
        assertThat(answer.text("error_description")).contains("'write'");
    }

    @Test
    void bobAskingOnlyForWhatHeMayHaveGetsHisToken() {
        Answer answer = issuer.token("ext-" + BOB, "read");

        realm.assertIssuedWithoutWrite(answer);
        assertThat(PolicyRealm.words(answer.text("scope"))).contains("read");
    }

    @Test
    void aliceGetsWrite() {
        realm.assertIssuedWithWrite(issuer.token("ext-" + ALICE, "read write"));
    }

    @Test
    void inRejectModeBobIsRefusedWithInvalidScopeToo() {
        realm.policy("""
                {"mode": "reject", "rules": [{"scope": "write", "realmRoles": ["writer"]}]}""");

        assertRefused(issuer.token("ext-" + BOB, "read write"), "invalid_scope");
    }
}
