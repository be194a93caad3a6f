package io.github.kcawspack.awsidentity.grant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.RETURNS_SELF;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.github.kcawspack.awsidentity.principal.LinkedUsers;
import jakarta.ws.rs.core.MultivaluedHashMap;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.RuntimeDelegate;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.keycloak.events.Details;
import org.keycloak.events.Errors;
import org.keycloak.events.EventBuilder;
import org.keycloak.http.HttpRequest;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakContext;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.protocol.oidc.grants.OAuth2GrantType;
import org.keycloak.services.CorsErrorResponseException;
import org.keycloak.services.cors.Cors;

/**
 * The grant's own checks, before anything reaches AWS STS, and its rules for the user a principal
 * maps to. The verification pipeline has its own tests; the whole grant runs in the ITs.
 */
class AwsIdentityGrantTypeTest {

    private final KeycloakSession session = mock(KeycloakSession.class);
    private final RealmModel realm = mock(RealmModel.class);
    private final ClientModel client = mock(ClientModel.class);
    private final EventBuilder event = mock(EventBuilder.class, RETURNS_SELF);
    private final RealmVerifier verifier = mock(RealmVerifier.class);
    private final Set<String> warned = ConcurrentHashMap.newKeySet();

    /**
     * Keycloak's error exceptions build a JAX-RS response when constructed; the server provides
     * the implementation, a unit test has none. Responses built here are never looked at.
     */
    @BeforeAll
    static void responsesWithoutAServer() {
        RuntimeDelegate delegate = mock(RuntimeDelegate.class);
        when(delegate.createResponseBuilder()).thenAnswer(call -> mock(Response.ResponseBuilder.class, RETURNS_SELF));
        RuntimeDelegate.setInstance(delegate);
    }

    @AfterAll
    static void noResponses() {
        RuntimeDelegate.setInstance(null);
    }

    @BeforeEach
    void request() {
        KeycloakContext context = mock(KeycloakContext.class);
        when(session.getContext()).thenReturn(context);
        when(context.getRealm()).thenReturn(realm);
        when(context.getClient()).thenReturn(client);
        when(context.getHttpRequest()).thenReturn(mock(HttpRequest.class));
        when(realm.getId()).thenReturn("realm-id");
        when(realm.getName()).thenReturn("demo");
        when(client.getClientId()).thenReturn("aws-workload");
        when(realm.getComponentsStream(anyString(), anyString())).thenAnswer(call -> Stream.empty());
    }

    private CorsErrorResponseException refusal() {
        MultivaluedHashMap<String, String> form = new MultivaluedHashMap<>();
        form.putSingle("grant_type", "aws_identity");
        OAuth2GrantType.Context context = new OAuth2GrantType.Context(session, null, Map.of(), form, event,
                mock(Cors.class), null);
        AwsIdentityGrantType grant = new AwsIdentityGrantType(new ClientSwitch(warned), verifier, new LinkedUsers());
        return catchThrowableOfType(CorsErrorResponseException.class, () -> grant.process(context));
    }

    @Test
    void aClientThatIsNotSwitchedOnIsUnauthorizedBeforeAnythingIsVerified() {
        CorsErrorResponseException refused = refusal();

        assertThat(refused.getMessage()).isEqualTo("unauthorized_client");
        assertThat(refused.getErrorDescription()).isEqualTo("Client is not enabled for the aws_identity grant");
        verify(event).detail(Details.GRANT_TYPE, "aws_identity");
        verify(event).error(Errors.NOT_ALLOWED);
        verify(verifier, never()).verify(org.mockito.ArgumentMatchers.any(), org.mockito.ArgumentMatchers.any(),
                org.mockito.ArgumentMatchers.any());
    }

    @Test
    void aSwitchedOnClientThatRequiresConsentIsUnauthorizedBeforeAnythingIsVerified() {
        when(realm.getComponentsStream(anyString(), anyString())).thenAnswer(call -> Stream.of(ClientSwitchTest.item("aws-workload")));
        when(client.isConsentRequired()).thenReturn(true);

        CorsErrorResponseException refused = refusal();

        assertThat(refused.getMessage()).isEqualTo("unauthorized_client");
        assertThat(refused.getErrorDescription()).contains("consent");
        verify(event).error(Errors.CONSENT_DENIED);
        verify(verifier, never()).verify(org.mockito.ArgumentMatchers.any(), org.mockito.ArgumentMatchers.any(),
                org.mockito.ArgumentMatchers.any());
    }

    @Test
    void anEnabledUserWithoutRequiredActionsMayLogIn() {
        UserModel user = mock(UserModel.class);
        when(user.isEnabled()).thenReturn(true);
        when(user.getRequiredActionsStream()).thenAnswer(call -> Stream.empty());

        assertThat(AwsIdentityGrantType.userRefusal(user)).isEmpty();
    }

    @Test
    void aUserWithAPendingRequiredActionIsRefusedNotPrompted() {
        UserModel user = mock(UserModel.class);
        when(user.isEnabled()).thenReturn(true);
        when(user.getRequiredActionsStream()).thenAnswer(call -> Stream.of("UPDATE_PASSWORD"));

        assertThat(AwsIdentityGrantType.userRefusal(user)).contains(
                new AwsIdentityGrantType.Refusal(Errors.RESOLVE_REQUIRED_ACTIONS, "Account is not fully set up"));
    }

    @Test
    void theScopePolicysOwnActionIsLeftToItsTrigger() {
        UserModel user = mock(UserModel.class);
        when(user.isEnabled()).thenReturn(true);
        when(user.getRequiredActionsStream()).thenAnswer(call -> Stream.of(AwsIdentityGrantType.SCOPE_POLICY_ACTION));

        assertThat(AwsIdentityGrantType.userRefusal(user)).isEmpty();
    }

    @Test
    void aDisabledUserIsRefused() {
        UserModel user = mock(UserModel.class);
        when(user.getRequiredActionsStream()).thenAnswer(call -> Stream.empty());

        assertThat(AwsIdentityGrantType.userRefusal(user)).get()
                .extracting(AwsIdentityGrantType.Refusal::eventError).isEqualTo(Errors.USER_DISABLED);
    }

    @Test
    void aServiceAccountUserIsRefusedEvenWhenEnabled() {
        UserModel user = mock(UserModel.class);
        when(user.isEnabled()).thenReturn(true);
        when(user.getServiceAccountClientLink()).thenReturn("client-id");
        when(user.getRequiredActionsStream()).thenAnswer(call -> Stream.empty());

        assertThat(AwsIdentityGrantType.userRefusal(user)).get()
                .extracting(AwsIdentityGrantType.Refusal::description).asString().contains("service account");
    }
}
