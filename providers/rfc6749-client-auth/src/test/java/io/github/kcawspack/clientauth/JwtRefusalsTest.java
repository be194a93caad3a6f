package io.github.kcawspack.clientauth;

import static io.github.kcawspack.clientauth.Rfc6749ClientSecretAuthenticatorTest.assertUniformAnswer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

import jakarta.ws.rs.core.Response;
import org.junit.jupiter.api.Test;
import org.keycloak.authentication.AuthenticationFlowError;
import org.keycloak.authentication.FlowStatus;
import org.keycloak.models.ClientModel;

/**
 * The outcomes Keycloak's {@code client-jwt} and {@code client-secret-jwt} checks leave, and what
 * the pack makes of them: a refused known client gets the uniform 401 {@code invalid_client}
 * (RFC 6749 section 5.2, RFC 7523 section 3.2) with Keycloak's error kept for the event.
 */
class JwtRefusalsTest {

    @Test
    void failedAssertionOfAKnownClientBecomesTheUniformAnswer() {
        FlowContextStub request = new FlowContextStub();
        request.client = mock(ClientModel.class);
        request.context.failure(AuthenticationFlowError.INVALID_CLIENT_CREDENTIALS, Response.status(400).build());

        JwtRefusals.answerUniformly(request.context);

        assertThat(request.error).isEqualTo(AuthenticationFlowError.INVALID_CLIENT_CREDENTIALS);
        assertUniformAnswer(request.answer, false);
    }

    @Test
    void keyThatCannotBeLoadedIsInvalidClientNotUnauthorizedClient() {
        FlowContextStub request = new FlowContextStub();
        request.client = mock(ClientModel.class);
        request.context.failure(AuthenticationFlowError.CLIENT_CREDENTIALS_SETUP_REQUIRED, null);

        JwtRefusals.answerUniformly(request.context);

        assertThat(request.error).isEqualTo(AuthenticationFlowError.CLIENT_CREDENTIALS_SETUP_REQUIRED);
        assertUniformAnswer(request.answer, false);
    }

    @Test
    void withTheAuthorizationHeaderTheAnswerIsChallenged() {
        FlowContextStub request = new FlowContextStub().authorization("Bearer something");
        request.client = mock(ClientModel.class);
        request.context.failure(AuthenticationFlowError.CLIENT_DISABLED, null);

        JwtRefusals.answerUniformly(request.context);

        assertUniformAnswer(request.answer, true);
    }

    @Test
    void attemptedSuccessAndUnknownClientsAreLeftAlone() {
        FlowContextStub attempted = new FlowContextStub();
        attempted.client = mock(ClientModel.class);
        attempted.context.attempted();
        JwtRefusals.answerUniformly(attempted.context);
        assertThat(attempted.status).isEqualTo(FlowStatus.ATTEMPTED);

        FlowContextStub succeeded = new FlowContextStub();
        succeeded.client = mock(ClientModel.class);
        succeeded.context.success();
        JwtRefusals.answerUniformly(succeeded.context);
        assertThat(succeeded.status).isEqualTo(FlowStatus.SUCCESS);

        FlowContextStub unknown = new FlowContextStub();
        unknown.context.failure(AuthenticationFlowError.CLIENT_NOT_FOUND, null);
        JwtRefusals.answerUniformly(unknown.context);
        assertThat(unknown.answer).as("Keycloak answers it itself, with the same 401").isNull();
    }
}
