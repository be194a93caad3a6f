package io.github.kcawspack.it;

import static io.github.kcawspack.it.harness.PolicyRealm.ALICE;
import static io.github.kcawspack.it.harness.PolicyRealm.BOB;
import static io.github.kcawspack.it.harness.PolicyRealm.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.kcawspack.it.harness.CibaChannel;
import io.github.kcawspack.it.harness.Injected;
import io.github.kcawspack.it.harness.KeycloakExtension;
import io.github.kcawspack.it.harness.KeycloakServer;
import io.github.kcawspack.it.harness.OAuthClient.Answer;
import io.github.kcawspack.it.harness.PolicyRealm;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 13: CIBA (urn:openid:params:grant-type:ciba) under a restricted-scope policy. The scope is
 * fixed by the backchannel authentication request, so the token cannot be narrowed: a withheld
 * scope is refused with invalid_scope at the token endpoint, in filter and in reject mode. The
 * authentication device is the harness's {@link CibaChannel} on loopback.
 */
@ExtendWith(KeycloakExtension.class)
@PolicyRealm.Options(prefix = "ciba-policy", loginTheme = "aws-pack", clientAttributes = CibaFlow.ENABLED_ATTRIBUTE + "=true")
class CibaScopePolicyIT {

    @Injected
    KeycloakServer server;
    @Injected
    CibaChannel channel;
    @Injected
    PolicyRealm realm;

    @BeforeEach
    void writeNeedsWriter() {
        realm.policy(PolicyRealm.FILTER_WRITE_FOR_WRITERS);
    }

    @Test
    void bobAskingForWriteIsRefusedWithInvalidScope() {
        Answer answer = CibaFlow.approvedToken(server, realm, channel, BOB, "openid read write");

        assertRefused(answer, "invalid_scope");
        assertThat(answer.text("error_description")).contains("'write'");
    }

    @Test
    void bobAskingOnlyForWhatHeMayHaveGetsHisToken() {
        Answer answer = CibaFlow.approvedToken(server, realm, channel, BOB, "openid read");

        realm.assertIssuedWithoutWrite(answer);
        assertThat(PolicyRealm.words(answer.text("scope"))).contains("read");
    }

    @Test
    void aliceGetsWrite() {
        realm.assertIssuedWithWrite(CibaFlow.approvedToken(server, realm, channel, ALICE, "openid read write"));
    }

    @Test
    void inRejectModeBobIsRefusedWithInvalidScopeToo() {
        realm.policy("""
                {"mode": "reject", "rules": [{"scope": "write", "realmRoles": ["writer"]}]}""");

        assertRefused(CibaFlow.approvedToken(server, realm, channel, BOB, "openid read write"), "invalid_scope");
    }
}
