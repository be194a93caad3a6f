package io.github.kcawspack.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.kcawspack.it.harness.OwnKeycloakExtension;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * README, Installation step 3 (and FAQ): without Keycloak's feature {@code declarative-ui},
 * {@code aws-pack-aws-identity.jar} and {@code aws-pack-scope-policy.jar} refuse to start, saying
 * so. Keycloak 26.7 still loads the admin-UI extension SPI without the feature (it only hides the
 * pages), so nothing but the JARs' own check stops such a server from running realms no one can
 * configure. One start of the assembled server (all pack JARs, demo realm) with the feature off:
 * {@code KC_FEATURES} replaces the {@code features=declarative-ui} of its keycloak.conf with a
 * feature that is on anyway ({@code organization}), as a server configured without the pack's
 * feature would have it; {@code features-disabled} cannot be used, since Keycloak refuses a feature
 * that is both enabled and disabled.
 */
class DeclarativeUiRequiredIT {

    @Test
    void withoutTheFeatureKeycloakDoesNotStartAndEachJarSaysWhy() {
        String log = OwnKeycloakExtension.refusedStart("declarative-ui-off",
                version -> Map.of("KC_FEATURES", "organization"));

        for (String jar : new String[] {"aws-pack-aws-identity", "aws-pack-scope-policy"}) {
            assertThat(log).as("the log of the refused start names %s, the feature and the option", jar)
                    .contains(jar + " refuses to start: it keeps ")
                    .contains("which need Keycloak's feature declarative-ui, off on this server. Start Keycloak with "
                            + "--features=declarative-ui (or features=declarative-ui in conf/keycloak.conf), or remove "
                            + jar + ".jar from providers/.");
        }
    }
}
