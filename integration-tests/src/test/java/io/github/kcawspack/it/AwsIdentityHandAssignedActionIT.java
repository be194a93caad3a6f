package io.github.kcawspack.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.kcawspack.it.fakests.FakeSts;
import io.github.kcawspack.it.fakests.StsBehaviour;
import io.github.kcawspack.it.harness.Injected;
import io.github.kcawspack.it.harness.KeycloakExtension;
import io.github.kcawspack.it.harness.KeycloakServer;
import io.github.kcawspack.it.harness.OAuthClient.Answer;
import org.junit.jupiter.api.Test;
import java.util.List;
import org.junit.jupiter.api.extension.ExtendWith;
import org.keycloak.admin.client.resource.UserResource;
import org.keycloak.admin.client.resource.UsersResource;
import org.keycloak.representations.idm.UserRepresentation;

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
        UsersResource users = server.admin().realm(DemoRealm.REALM).users();
        UserResource user = users.get(users.searchByUsername("aws-role-deployer-" + AwsWorkload.ACCOUNT, true).get(0).getId());
        requiredActions(user, List.of("restricted-scope-policy"));
        try {
            Answer answer = workload.login(workload.deployer().sign());

            assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
            assertThat(user.toRepresentation().getRequiredActions()).as("taken off the user again").isEmpty();
        } finally {
            requiredActions(user, List.of());
        }
    }

    private static void requiredActions(UserResource user, List<String> actions) {
        UserRepresentation representation = user.toRepresentation();
        representation.setRequiredActions(actions);
        user.update(representation);
    }
}
