package io.github.kcawspack.linkage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.keycloak.common.Profile;

/**
 * README, Installation step 3: without Keycloak's feature declarative-ui a pack JAR refuses to
 * start, saying which feature and how to switch it on. (The start itself failing: integration-tests, DeclarativeUiRequiredIT.)
 */
class RequiredFeatureTest {

    @Test
    void aServerWithoutTheFeatureIsRefusedWithTheFeatureAndTheOptionNamed() {
        RequiredFeature gate = RequiredFeature.check("aws-pack-x", Profile.Feature.DECLARATIVE_UI.getKey(),
                feature -> false, Profile.Feature.DECLARATIVE_UI, "its settings on admin console pages");

        assertThat(gate.refusal()).isEqualTo("aws-pack-x refuses to start: it keeps its settings on admin console pages,"
                + " which need Keycloak's feature declarative-ui, off on this server. Start Keycloak with"
                + " --features=declarative-ui (or features=declarative-ui in conf/keycloak.conf), or remove"
                + " aws-pack-x.jar from providers/.");
        assertThatThrownBy(gate::require).isInstanceOf(IllegalStateException.class).hasMessage(gate.refusal());
    }

    @Test
    void aServerWithTheFeatureStarts() {
        RequiredFeature gate = RequiredFeature.check("aws-pack-x", "declarative-ui",
                feature -> feature == Profile.Feature.DECLARATIVE_UI, Profile.Feature.DECLARATIVE_UI, "its settings");

        assertThat(gate.refusal()).isNull();
        gate.require();
    }
}
