package io.github.kcawspack.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.kcawspack.it.fakests.FakeSts;
import io.github.kcawspack.it.fakests.StsBehaviour;
import io.github.kcawspack.it.harness.Injected;
import io.github.kcawspack.it.harness.KeycloakExtension;
import io.github.kcawspack.it.harness.KeycloakServer;
import io.github.kcawspack.it.harness.OAuthClient;
import io.github.kcawspack.it.harness.OAuthClient.Answer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * README ("Restricted-scope policies"): the policy's required action, assigned to a user by hand or
 * as a default action, takes itself off at the user's next login, token-endpoint logins included,
 * so it never causes "Account is not fully set up" while it is enabled. On {@code aws_identity}
 * (and the AWS-JWT grant, which shares its checks) the user check once refused such a user before
 * the action's trigger ran (found by an attack, 2026-12-01).
 */
@ExtendWith(KeycloakExtension.class)
class AwsIdentityHandAssignedActionIT {

    @Injected
    KeycloakServer server;
    @Injected
    FakeSts sts;

    @Test
    void theScopePolicyActionAssignedByHandNeverBlocksAnAwsIdentityLogin() {
        sts.setDefaultBehaviour(StsBehaviour.normal());
        AwsWorkload workload = new AwsWorkload(server, sts);
        assertThat(workload.login(workload.deployer().sign()).status()).as("provisions the user").isEqualTo(200);
        JsonNode users = AwsRealmConfig.parse(OAuthClient.admin(server, "GET",
                "/admin/realms/demo/users?exact=true&username=aws-role-deployer-" + AwsWorkload.ACCOUNT, null));
        String userPath = "/admin/realms/demo/users/" + users.get(0).get("id").asText();
        OAuthClient.admin(server, "PUT", userPath, "{\"requiredActions\":[\"restricted-scope-policy\"]}");
        try {
            Answer answer = workload.login(workload.deployer().sign());

            assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
            assertThat(AwsRealmConfig.parse(OAuthClient.admin(server, "GET", userPath, null)).get("requiredActions"))
                    .as("taken off the user again").isEmpty();
        } finally {
            OAuthClient.admin(server, "PUT", userPath, "{\"requiredActions\":[]}");
        }
    }
}
