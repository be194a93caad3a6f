package io.github.kcawspack.clientauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.keycloak.common.Profile;
import org.keycloak.authentication.AuthenticationFlowError;
import org.keycloak.authentication.FlowStatus;
import org.keycloak.events.EventType;
import org.keycloak.models.ClientModel;
import org.keycloak.representations.idm.OAuth2ErrorRepresentation;
import org.keycloak.vault.VaultStringSecret;

/**
 * Keycloak's own client-secret check runs for real (only the session, realm and request are
 * stubbed); the assertions are on the outcome Keycloak's client authentication flow then uses.
 * Rule under test: every refusal is RFC 6749 section 5.2's 401 {@code invalid_client} with one
 * fixed description, challenged with {@code WWW-Authenticate} when the Authorization header was
 * used, whether or not the client exists.
 */
class Rfc6749ClientSecretAuthenticatorTest {

    private final Rfc6749ClientSecretAuthenticator authenticator = new Rfc6749ClientSecretAuthenticator();

    @BeforeAll
    static void keycloakFeaturesAsShipped() {
        // Keycloak's secret check asks whether client secret rotation is enabled
        Profile.defaults();
    }

    @Test
    void wrongSecretInBasicIsInvalidClientWithAChallenge() {
        FlowContextStub request = new FlowContextStub().known(confidentialClient(new FlowContextStub()))
                .basic("testclient:wrong-secret").form("grant_type", "client_credentials");
        secretsAreNotInTheVault(request);

        authenticator.authenticateClient(request.context);

        assertThat(request.status).isEqualTo(FlowStatus.FAILED);
        assertThat(request.error).isEqualTo(AuthenticationFlowError.INVALID_CLIENT_CREDENTIALS);
        assertUniformAnswer(request.answer, true);
    }

    @Test
    void missingSecretForKnownClientIsInvalidClientNotUnauthorizedClient() {
        FlowContextStub request = new FlowContextStub().form("client_id", "testclient");
        request.known(confidentialClient(request));

        authenticator.authenticateClient(request.context);

        assertUniformAnswer(request.answer, false);
    }

    @Test
    void unknownClientInBasicGetsTheWrongSecretAnswerAndAStandInClient() {
        FlowContextStub request = new FlowContextStub().basic("no-such-client:some-secret")
                .form("grant_type", "client_credentials");

        authenticator.authenticateClient(request.context);

        assertThat(request.status).isEqualTo(FlowStatus.FAILED);
        assertThat(request.error).as("the event still says client_not_found").isEqualTo(AuthenticationFlowError.CLIENT_NOT_FOUND);
        assertUniformAnswer(request.answer, true);
        assertThat(request.client.getClientAuthenticatorType())
                .as("Keycloak's flow takes the answer of the authenticator the client claims").isEqualTo("client-secret");
        assertThat(request.client.getClientId()).isEqualTo("no-such-client");
    }

    @Test
    void unknownClientInTheBodyGetsTheAnswerWithoutAChallenge() {
        FlowContextStub request = new FlowContextStub().form("grant_type", "client_credentials")
                .form("client_id", "no-such-client").form("client_secret", "some-secret");

        authenticator.authenticateClient(request.context);

        assertThat(request.error).isEqualTo(AuthenticationFlowError.CLIENT_NOT_FOUND);
        assertUniformAnswer(request.answer, false);
    }

    @Test
    void basicValueThatIsNotBase64IsInvalidClientWithAChallenge() {
        FlowContextStub request = new FlowContextStub().authorization("Basic !!!not-base64!!!")
                .form("grant_type", "client_credentials");

        authenticator.authenticateClient(request.context);

        assertThat(request.error).isEqualTo(AuthenticationFlowError.INVALID_CLIENT_CREDENTIALS);
        assertUniformAnswer(request.answer, true);
        assertThat(request.client.getClientId()).isNull();
    }

    @Test
    void basicValueWithoutColonIsInvalidClientWithAChallenge() {
        FlowContextStub request = new FlowContextStub().basic("testclient-without-colon")
                .form("grant_type", "client_credentials");

        authenticator.authenticateClient(request.context);

        assertUniformAnswer(request.answer, true);
    }

    @Test
    void requestWithAClientAssertionIsLeftToTheJwtAuthenticators() {
        FlowContextStub request = new FlowContextStub().form("client_id", "no-such-client")
                .form("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer")
                .form("client_assertion", "a.b.c");

        authenticator.authenticateClient(request.context);

        assertThat(request.client).isNull();
        assertThat(request.error).isEqualTo(AuthenticationFlowError.CLIENT_NOT_FOUND);
        assertThat(request.answer).as("Keycloak's own outcome").isNull();
    }

    @Test
    void requestNamingNoClientIsLeftToKeycloak() {
        FlowContextStub request = new FlowContextStub().form("grant_type", "client_credentials");

        authenticator.authenticateClient(request.context);

        assertThat(Rfc6749ClientSecretAuthenticator.refusal(request.context))
                .isEqualTo(Rfc6749ClientSecretAuthenticator.Refusal.NONE);
        assertThat(request.client).isNull();
    }

    @Test
    void publicClientWithoutSecretStillAuthenticates() {
        for (EventType endpoint : new EventType[] {EventType.CODE_TO_TOKEN, EventType.REVOKE_GRANT,
                EventType.PUSHED_AUTHORIZATION_REQUEST}) {
            FlowContextStub request = new FlowContextStub().form("client_id", "web-public").endpointEvent(endpoint);
            request.known(publicClient());

            authenticator.authenticateClient(request.context);

            assertThat(request.status).as(endpoint.name()).isEqualTo(FlowStatus.SUCCESS);
            assertThat(request.answer).isNull();
        }
    }

    @Test
    void publicClientAtIntrospectionGetsTheUnknownClientAnswer() {
        FlowContextStub inBody = new FlowContextStub().form("client_id", "web-public").form("token", "t")
                .endpointEvent(EventType.INTROSPECT_TOKEN);
        inBody.known(publicClient());
        FlowContextStub inBasic = new FlowContextStub().basic("web-public:anything").form("token", "t")
                .endpointEvent(EventType.INTROSPECT_TOKEN);
        inBasic.known(publicClient());

        authenticator.authenticateClient(inBody.context);
        authenticator.authenticateClient(inBasic.context);

        assertThat(inBody.status).isEqualTo(FlowStatus.FAILED);
        assertThat(inBody.error).isEqualTo(AuthenticationFlowError.INVALID_CLIENT_CREDENTIALS);
        assertUniformAnswer(inBody.answer, false);
        assertUniformAnswer(inBasic.answer, true);
        assertThat(inBasic.client.getClientId()).as("the real client, whose authenticator is this one").isEqualTo("web-public");
    }

    @Test
    void disabledClientGetsTheSameAnswer() {
        FlowContextStub request = new FlowContextStub().basic("testclient:testclient-dev-secret");
        ClientModel disabled = confidentialClient(request);
        when(disabled.isEnabled()).thenReturn(false);
        request.known(disabled);

        authenticator.authenticateClient(request.context);

        assertThat(request.error).isEqualTo(AuthenticationFlowError.CLIENT_DISABLED);
        assertUniformAnswer(request.answer, true);
    }

    static void assertUniformAnswer(Response answer, boolean challenged) {
        assertThat(answer).isNotNull();
        assertThat(answer.getStatus()).isEqualTo(401);
        OAuth2ErrorRepresentation body = (OAuth2ErrorRepresentation) answer.getEntity();
        assertThat(body.getError()).isEqualTo("invalid_client");
        assertThat(body.getErrorDescription()).isEqualTo("Invalid client or Invalid client credentials");
        if (challenged) {
            assertThat(answer.getHeaderString(HttpHeaders.WWW_AUTHENTICATE)).isEqualTo("Basic realm=\"demo\"");
        } else {
            assertThat(answer.getHeaderString(HttpHeaders.WWW_AUTHENTICATE)).isNull();
        }
    }

    private static ClientModel publicClient() {
        ClientModel client = mock(ClientModel.class);
        when(client.getClientId()).thenReturn("web-public");
        when(client.isEnabled()).thenReturn(true);
        when(client.isPublicClient()).thenReturn(true);
        return client;
    }

    private static ClientModel confidentialClient(FlowContextStub request) {
        ClientModel client = mock(ClientModel.class);
        when(client.getClientId()).thenReturn("testclient");
        when(client.isEnabled()).thenReturn(true);
        when(client.getSecret()).thenReturn("testclient-dev-secret");
        when(client.getClientAuthenticatorType()).thenReturn("client-secret");
        secretsAreNotInTheVault(request);
        return client;
    }

    private static void secretsAreNotInTheVault(FlowContextStub request) {
        VaultStringSecret notInVault = mock(VaultStringSecret.class);
        when(notInVault.get()).thenReturn(Optional.empty());
        when(request.session.vault().getStringSecret(any())).thenReturn(notInVault);
    }
}
