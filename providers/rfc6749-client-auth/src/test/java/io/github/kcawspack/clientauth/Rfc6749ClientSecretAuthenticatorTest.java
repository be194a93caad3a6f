package io.github.kcawspack.clientauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MultivaluedHashMap;
import org.junit.jupiter.api.Test;
import org.keycloak.authentication.AuthenticationFlowError;
import org.keycloak.authentication.ClientAuthenticationFlowContext;
import org.keycloak.authentication.FlowStatus;
import org.keycloak.http.HttpRequest;
import org.keycloak.models.ClientModel;
import org.keycloak.models.RealmModel;

/**
 * Which outcomes of Keycloak's own client-secret check get rewritten. The response itself (status,
 * body, WWW-Authenticate) is asserted against the real server in ClassicOAuth2FlowsIT.
 */
class Rfc6749ClientSecretAuthenticatorTest {

    @Test
    void wrongSecretIsRejectedCredentials() {
        var context = context(FlowStatus.FAILED, AuthenticationFlowError.INVALID_CLIENT_CREDENTIALS, true, null);
        assertThat(Rfc6749ClientSecretAuthenticator.rejectedClientCredentials(context)).isTrue();
    }

    @Test
    void missingSecretForKnownClientIsRejectedCredentials() {
        var context = context(FlowStatus.CHALLENGE, null, true, null);
        assertThat(Rfc6749ClientSecretAuthenticator.rejectedClientCredentials(context)).isTrue();
    }

    @Test
    void malformedBasicHeaderIsRejectedCredentials() {
        var context = context(FlowStatus.CHALLENGE, null, false, "Basic !!!");
        assertThat(Rfc6749ClientSecretAuthenticator.rejectedClientCredentials(context)).isTrue();
    }

    @Test
    void requestNamingNoClientIsLeftToKeycloak() {
        var context = context(FlowStatus.CHALLENGE, null, false, null);
        assertThat(Rfc6749ClientSecretAuthenticator.rejectedClientCredentials(context)).isFalse();
    }

    @Test
    void successAndOtherFailuresAreLeftAlone() {
        assertThat(Rfc6749ClientSecretAuthenticator.rejectedClientCredentials(
                context(FlowStatus.SUCCESS, null, true, null))).isFalse();
        assertThat(Rfc6749ClientSecretAuthenticator.rejectedClientCredentials(
                context(FlowStatus.FAILED, AuthenticationFlowError.CLIENT_DISABLED, true, null))).isFalse();
    }

    private static ClientAuthenticationFlowContext context(FlowStatus status, AuthenticationFlowError error,
                                                           boolean clientKnown, String authorization) {
        ClientAuthenticationFlowContext context = mock(ClientAuthenticationFlowContext.class);
        when(context.getStatus()).thenReturn(status);
        when(context.getError()).thenReturn(error);
        when(context.getClient()).thenReturn(clientKnown ? mock(ClientModel.class) : null);
        RealmModel realm = mock(RealmModel.class);
        when(realm.getName()).thenReturn("demo");
        when(context.getRealm()).thenReturn(realm);
        var headers = new MultivaluedHashMap<String, String>();
        if (authorization != null) {
            headers.add(HttpHeaders.AUTHORIZATION, authorization);
        }
        HttpHeaders httpHeaders = mock(HttpHeaders.class);
        when(httpHeaders.getRequestHeaders()).thenReturn(headers);
        HttpRequest request = mock(HttpRequest.class);
        when(request.getHttpHeaders()).thenReturn(httpHeaders);
        when(context.getHttpRequest()).thenReturn(request);
        return context;
    }
}
