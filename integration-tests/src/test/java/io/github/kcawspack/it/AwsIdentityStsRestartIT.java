package io.github.kcawspack.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.kcawspack.it.fakests.FakeSts;
import io.github.kcawspack.it.fakests.StsBehaviour;
import io.github.kcawspack.it.harness.Injected;
import io.github.kcawspack.it.harness.KeycloakExtension;
import io.github.kcawspack.it.harness.KeycloakServer;
import io.github.kcawspack.it.harness.OAuthClient.Answer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A connection that fails before any byte of STS's answer arrived is sent once more on a fresh
 * connection: after STS restarts, the login that meets the stale pooled connection still gets its
 * token. Two such failures in a row are an outage ({@link AwsIdentityStsFaultsIT}).
 */
@ExtendWith(KeycloakExtension.class)
class AwsIdentityStsRestartIT {

    @Injected
    KeycloakServer server;
    @Injected
    FakeSts sts;
    private AwsWorkload workload;

    @BeforeEach
    void connect() {
        workload = new AwsWorkload(server, sts);
    }

    @AfterEach
    void normalSts() {
        sts.setDefaultBehaviour(StsBehaviour.normal());
    }

    @Test
    void theFirstLoginAfterStsRestartedGetsAToken() {
        assertThat(workload.login(workload.deployer().sign()).status()).as("leaves a pooled connection").isEqualTo(200);
        long connections = sts.connectionCount();

        sts.restart();
        Answer answer = workload.login(workload.deployer().sign());

        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        assertThat(sts.connectionCount()).as("on a new connection").isGreaterThan(connections);
    }

    @Test
    void aConnectionClosedOnceWithoutAnAnswerIsSentAgainOnce() {
        sts.enqueue(StsBehaviour.closeWithoutAnswer());
        long calls = sts.requestCount();

        Answer answer = workload.login(workload.deployer().sign());

        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        assertThat(sts.requestCount() - calls).isEqualTo(2);
    }
}
