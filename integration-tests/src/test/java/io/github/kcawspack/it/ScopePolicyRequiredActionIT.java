package io.github.kcawspack.it;

import static io.github.kcawspack.it.harness.PolicyRealm.words;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.kcawspack.it.harness.Injected;
import io.github.kcawspack.it.harness.KeycloakExtension;
import io.github.kcawspack.it.harness.OAuthClient.Answer;
import io.github.kcawspack.it.harness.PolicyRealm;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 16: the "Restricted scope policy" required action never blocks a login, whatever flags an
 * admin sets on it. Marked as a default action it lands on every new user; the user's first
 * password login must still get a (narrowed) token, not "Account is not fully set up".
 */
@ExtendWith(KeycloakExtension.class)
@PolicyRealm.Options(prefix = "flags")
class ScopePolicyRequiredActionIT {

    private static final String ACTION = "/authentication/required-actions/restricted-scope-policy";

    @Injected
    PolicyRealm realm;

    private void flags(boolean enabled, boolean defaultAction) {
        ObjectNode action = (ObjectNode) realm.adminJson("GET", ACTION, null);
        action.put("enabled", enabled).put("defaultAction", defaultAction).put("priority", 0);
        realm.admin("PUT", ACTION, action.toString());
    }

    @Test
    void asADefaultActionItNeverBlocksANewUsersFirstPasswordLogin() {
        flags(true, true);
        try {
            String username = "new-" + UUID.randomUUID().toString().substring(0, 8);
            String id = realm.createUser(username);
            assertThat(realm.adminJson("GET", "/users/" + id, null).path("requiredActions").toString())
                    .as("Keycloak gave the new user the default action").contains("restricted-scope-policy");

            Answer answer = realm.password(username, "read write");

            assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
            assertThat(words(answer.text("scope"))).as("the policy still applies").contains("read").doesNotContain("write");
            assertThat(realm.adminJson("GET", "/users/" + id, null).path("requiredActions")).as("taken off the user").isEmpty();
        } finally {
            flags(true, false);
        }
    }

    /**
     * The one case the pack cannot reach (README says so): Keycloak refuses a password login of a
     * user who carries any required action, enabled or not, and runs no code of a disabled action,
     * so a user who still carries it when an admin disables it (assigned by hand, or as a default
     * action before) is refused until the action is enabled again; that login then clears it.
     */
    @Test
    void stillOnAUserWhenDisabledItBlocksThePasswordLoginUntilEnabledAgain() {
        String username = "old-" + UUID.randomUUID().toString().substring(0, 8);
        String id = realm.createUser(username);
        ObjectNode user = (ObjectNode) realm.adminJson("GET", "/users/" + id, null);
        user.putArray("requiredActions").add("restricted-scope-policy");
        realm.admin("PUT", "/users/" + id, user.toString());
        flags(false, false);
        try {
            Answer refused = realm.password(username, "read");
            assertThat(refused.status()).as(refused.toString()).isEqualTo(400);
            assertThat(refused.text("error_description")).isEqualTo("Account is not fully set up");
        } finally {
            flags(true, false);
        }

        Answer answer = realm.password(username, "read");

        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        assertThat(realm.adminJson("GET", "/users/" + id, null).path("requiredActions")).as("taken off the user").isEmpty();
    }
}
