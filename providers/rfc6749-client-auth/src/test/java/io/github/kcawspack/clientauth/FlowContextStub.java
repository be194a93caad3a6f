package io.github.kcawspack.clientauth;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.RETURNS_DEEP_STUBS;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedHashMap;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.keycloak.authentication.AuthenticationFlowError;
import org.keycloak.authentication.ClientAuthenticationFlowContext;
import org.keycloak.authentication.FlowStatus;
import org.keycloak.events.EventBuilder;
import org.keycloak.events.EventType;
import org.keycloak.http.HttpRequest;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

/**
 * A {@link ClientAuthenticationFlowContext} for one request in realm {@code demo} whose outcome
 * (status, error, answer, client) behaves as Keycloak's: each {@code success}/{@code failure}/
 * {@code challenge} call replaces the previous one. The realm has no clients unless
 * {@link #known(ClientModel)} adds one.
 */
final class FlowContextStub {

    final ClientAuthenticationFlowContext context = mock(ClientAuthenticationFlowContext.class);
    final KeycloakSession session = mock(KeycloakSession.class, RETURNS_DEEP_STUBS);
    final RealmModel realm = mock(RealmModel.class);
    private final EventBuilder event = mock(EventBuilder.class, RETURNS_DEEP_STUBS);
    private final MultivaluedHashMap<String, String> headers = new MultivaluedHashMap<>();
    private final MultivaluedHashMap<String, String> form = new MultivaluedHashMap<>();

    FlowStatus status;
    AuthenticationFlowError error;
    Response answer;
    ClientModel client;

    FlowContextStub() {
        when(session.clients().getClientByClientId(any(), any())).thenReturn(null);
        when(realm.getName()).thenReturn("demo");
        when(context.getRealm()).thenReturn(realm);
        when(context.getSession()).thenReturn(session);
        when(context.getEvent()).thenReturn(event);
        HttpHeaders httpHeaders = mock(HttpHeaders.class);
        when(httpHeaders.getRequestHeaders()).thenReturn(headers);
        when(httpHeaders.getMediaType()).thenReturn(MediaType.APPLICATION_FORM_URLENCODED_TYPE);
        HttpRequest request = mock(HttpRequest.class);
        when(request.getHttpHeaders()).thenReturn(httpHeaders);
        when(request.getDecodedFormParameters()).thenReturn(form);
        when(context.getHttpRequest()).thenReturn(request);

        when(context.getStatus()).thenAnswer(call -> status);
        when(context.getError()).thenAnswer(call -> error);
        when(context.getClient()).thenAnswer(call -> client);
        doAnswer(call -> outcome(FlowStatus.SUCCESS, null, null)).when(context).success();
        doAnswer(call -> outcome(FlowStatus.ATTEMPTED, null, null)).when(context).attempted();
        doAnswer(call -> outcome(FlowStatus.CHALLENGE, null, call.getArgument(0))).when(context).challenge(any());
        doAnswer(call -> outcome(FlowStatus.FAILED, call.getArgument(0), call.getArgument(1)))
                .when(context).failure(any(), any());
        doAnswer(call -> {
            client = call.getArgument(0);
            return null;
        }).when(context).setClient(any());
    }

    private Object outcome(FlowStatus newStatus, AuthenticationFlowError newError, Response newAnswer) {
        status = newStatus;
        error = newError;
        answer = newAnswer;
        return null;
    }

    FlowContextStub basic(String clientIdColonSecret) {
        return authorization("Basic " + Base64.getEncoder().encodeToString(clientIdColonSecret.getBytes(StandardCharsets.UTF_8)));
    }

    FlowContextStub authorization(String value) {
        headers.add(HttpHeaders.AUTHORIZATION, value);
        return this;
    }

    FlowContextStub form(String name, String value) {
        form.add(name, value);
        return this;
    }

    /** Sets the event type the endpoint gave the request's event, as Keycloak's endpoints do before client authentication. */
    FlowContextStub endpointEvent(EventType type) {
        when(event.getEvent().getType()).thenReturn(type);
        return this;
    }

    /** Makes Keycloak's client lookup find this client under its client id. */
    FlowContextStub known(ClientModel knownClient) {
        when(session.clients().getClientByClientId(realm, knownClient.getClientId())).thenReturn(knownClient);
        return this;
    }
}
