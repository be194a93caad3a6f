package io.github.kcawspack.scopepolicy.token;

import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import org.junit.jupiter.api.Test;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.protocol.oidc.encode.TokenContextEncoderProvider;
import org.keycloak.provider.ProviderFactory;

/** The encoder refuses a server on which it would not be the one judging every token. */
class PolicyTokenContextEncoderProviderFactoryTest {

    private final KeycloakSessionFactory factory = mock(KeycloakSessionFactory.class);
    private final KeycloakSession session = mock(KeycloakSession.class);

    PolicyTokenContextEncoderProviderFactoryTest() {
        when(factory.create()).thenReturn(session);
        when(factory.getProviderFactory(TokenContextEncoderProvider.class, "default")).thenReturn(mock(ProviderFactory.class));
    }

    @Test
    void anotherDefaultEncoderStopsTheServerAtStart() {
        // What Keycloak hands out when an operator set --spi-token-context-encoder--provider=default.
        when(session.getProvider(TokenContextEncoderProvider.class)).thenReturn(mock(TokenContextEncoderProvider.class));

        assertThatThrownBy(() -> new PolicyTokenContextEncoderProviderFactory().postInit(factory))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("would not be judged on every token");
    }

    @Test
    void withoutKeycloaksOwnEncoderTheServerDoesNotStartEither() {
        when(factory.getProviderFactory(TokenContextEncoderProvider.class, "default")).thenReturn(null);

        assertThatThrownBy(() -> new PolicyTokenContextEncoderProviderFactory().postInit(factory))
                .isInstanceOf(IllegalStateException.class);
    }
}
