package io.github.kcawspack.clientauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.keycloak.models.ClientModel;

/** The stand-in answers exactly what Keycloak's client authentication flow reads, and nothing else. */
class UnknownClientTest {

    @Test
    void standInAnswersWhatTheFlowReads() {
        ClientModel standIn = UnknownClient.standIn("no-such-client", "client-secret");

        assertThat(standIn.getClientAuthenticatorType()).isEqualTo("client-secret");
        assertThat(standIn.isPublicClient()).isFalse();
        assertThat(standIn.getClientId()).isEqualTo("no-such-client");
        assertThat(standIn).isEqualTo(standIn).isNotEqualTo(UnknownClient.standIn("no-such-client", "client-secret"));
    }

    @Test
    void anythingElseFailsLoudly() {
        ClientModel standIn = UnknownClient.standIn("no-such-client", "client-secret");

        assertThatThrownBy(standIn::getSecret).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> standIn.validateSecret("x")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(standIn::isServiceAccountsEnabled).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void dummyComparisonAcceptsNothingAClientWouldSend() {
        assertThat(UnknownClient.compareWithDummySecret(null)).isFalse();
        assertThat(UnknownClient.compareWithDummySecret("")).isFalse();
        assertThat(UnknownClient.compareWithDummySecret("testclient-dev-secret")).isFalse();
    }
}
