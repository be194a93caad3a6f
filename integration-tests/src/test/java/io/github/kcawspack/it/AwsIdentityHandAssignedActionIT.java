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
 * From an attack (attack3): README says the restricted-scope policy's required action, assigned to a
 * user by hand or as a default action, "takes itself off at the user's next login, token-endpoint
 * logins included, so it never causes 'Account is not fully set up' while it is enabled".
 * ScopePolicyIT pins that for the password grant only; aws_identity refuses such a user in
 * {@code AwsIdentityGrantType.userRefusal} before the action's trigger can take it off, so the user
 * is locked out of aws_identity (and the AWS-JWT jwt-bearer grant, which shares that code) until an
 * administrator removes the action. Fails on 3d12c8d.
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
