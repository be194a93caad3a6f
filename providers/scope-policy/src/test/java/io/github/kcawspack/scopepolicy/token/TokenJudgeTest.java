package io.github.kcawspack.scopepolicy.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.RETURNS_DEEP_STUBS;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.github.kcawspack.scopepolicy.config.LegacyPolicyMigration;
import io.github.kcawspack.scopepolicy.config.PolicySettings;
import io.github.kcawspack.scopepolicy.model.ScopePolicy;
import io.github.kcawspack.scopepolicy.model.ScopePolicyJson;
import org.keycloak.component.ComponentModel;
import org.keycloak.services.ui.extend.UiPageProvider;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedHashMap;
import jakarta.ws.rs.core.Response;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.keycloak.models.AuthenticatedClientSessionModel;
import org.keycloak.models.ClientModel;
import org.keycloak.models.ClientScopeModel;
import org.keycloak.models.ClientSessionContext;
import org.keycloak.models.Constants;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.RequiredActionConfigModel;
import org.keycloak.models.RequiredActionProviderModel;
import org.keycloak.models.RoleModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.UserSessionModel;
import org.keycloak.protocol.oidc.OIDCLoginProtocol;

/**
 * The judge against Keycloak's models, mocked: every rule below is one a token of a real grant
 * meets at {@code TokenManager.initToken}. Each test builds one client session context the way
 * Keycloak hands it over and reads the verdict.
 */
class TokenJudgeTest {

    private static final String POLICY = """
            {"rules": [{"scope": "write", "realmRoles": ["writer"]},
                       {"scope": "organization", "realmRoles": ["writer"]},
                       {"scope": "deploy", "grantTypes": ["implicit"]}],
             "allowGrantTypes": ["urn:example:allowed"]}""";

    private final KeycloakSession session = mock(KeycloakSession.class, RETURNS_DEEP_STUBS);
    private final RealmModel realm = mock(RealmModel.class);
    private final ClientSessionContext ctx = mock(ClientSessionContext.class);
    private final AuthenticatedClientSessionModel clientSession = mock(AuthenticatedClientSessionModel.class);
    private final UserModel bob = mock(UserModel.class);
    private final Map<String, ClientScopeModel> realmScopes = new java.util.HashMap<>();

    TokenJudgeTest() {
        when(realm.getId()).thenReturn(UUID.randomUUID().toString());
        when(realm.getName()).thenReturn("test");
        for (String name : List.of("read", "write", "organization", "deploy", "basic")) {
            ClientScopeModel scope = mock(ClientScopeModel.class);
            when(scope.getId()).thenReturn("id-" + name);
            when(scope.getName()).thenReturn(name);
            realmScopes.put(name, scope);
            when(realm.getClientScopeById("id-" + name)).thenReturn(scope);
        }
        when(realm.getClientScopesStream()).thenAnswer(i -> realmScopes.values().stream());
        ClientModel client = mock(ClientModel.class);
        when(client.getId()).thenReturn("id-app");
        when(client.getClientId()).thenReturn("app");
        when(session.getContext().getClient()).thenReturn(client);
        UserSessionModel userSession = mock(UserSessionModel.class);
        when(userSession.getUser()).thenReturn(bob);
        when(bob.getRoleMappingsStream()).thenAnswer(i -> Stream.<RoleModel>empty());
        when(bob.getGroupsStream()).thenAnswer(i -> Stream.empty());
        when(clientSession.getRealm()).thenReturn(realm);
        when(clientSession.getClient()).thenReturn(client);
        when(clientSession.getUserSession()).thenReturn(userSession);
        when(ctx.getClientSession()).thenReturn(clientSession);
        when(session.getContext().getHttpRequest().getHttpHeaders().getMediaType()).thenReturn(MediaType.APPLICATION_FORM_URLENCODED_TYPE);
        when(session.getContext().getHttpRequest().getDecodedFormParameters()).thenReturn(new MultivaluedHashMap<>());
    }

    /** The policy {@code json} describes, stored as the console stores it (realm components). */
    private void policy(String json) {
        ScopePolicy policy = ScopePolicyJson.parse(json);
        PolicySettings settings = new PolicySettings(true, policy.defaultMode(), policy.strict(), policy.allowedGrantTypes());
        List<ComponentModel> components = LegacyPolicyMigration.components(realm.getId(), settings, policy.rules());
        for (int i = 0; i < components.size(); i++) {
            components.get(i).setId("component-" + i);
        }
        when(realm.getComponentsStream(realm.getId(), UiPageProvider.class.getName())).thenAnswer(i -> components.stream());
    }

    private void token(String grantType, String... scopes) {
        when(ctx.getAttribute(Constants.GRANT_TYPE, String.class)).thenReturn(grantType);
        when(ctx.getClientScopesStream()).thenAnswer(i -> Arrays.stream(scopes).map(realmScopes::get));
    }

    @Test
    void withoutAPolicyEveryTokenIsBuiltAsKeycloakWould() {
        token("urn:example:unknown", "write");

        assertThat(TokenJudge.verdict(session, ctx)).isEmpty();
    }

    @Test
    void aGrantThePackCannotJudgeIsRefusedAsUnauthorizedClient() {
        policy(POLICY);
        token("urn:example:unknown", "read");

        TokenJudge.Refusal refusal = TokenJudge.verdict(session, ctx).orElseThrow();

        assertThat(refusal.error()).isEqualTo("unauthorized_client");
        assertThat(refusal.status()).isEqualTo(Response.Status.BAD_REQUEST);
        assertThat(refusal.description()).isEqualTo(
                "grant type 'urn:example:unknown' is not allowed while the realm has a restricted-scope policy");
        assertThat(refusal.eventReason()).isEqualTo("scope_policy_grant_type");
    }

    @Test
    void aGrantTheOperatorAllowsIsStillJudgedByScope() {
        policy(POLICY);
        token("urn:example:allowed", "read");
        assertThat(TokenJudge.verdict(session, ctx)).isEmpty();

        token("urn:example:allowed", "read", "write");
        assertThat(TokenJudge.verdict(session, ctx).orElseThrow().error()).isEqualTo("invalid_scope");
    }

    @Test
    void aTokenThatWouldCarryAWithheldScopeIsRefusedNamingTheScope() {
        policy(POLICY);
        token("urn:ietf:params:oauth:grant-type:device_code", "basic", "read", "write");

        TokenJudge.Refusal refusal = TokenJudge.verdict(session, ctx).orElseThrow();

        assertThat(refusal.error()).isEqualTo("invalid_scope");
        assertThat(refusal.description()).isEqualTo("scope 'write' is not permitted for this request");
        assertThat(refusal.withheld()).containsExactly("write");
    }

    @Test
    void aParameterizedScopeIsJudgedAsTheClientScopeItResolvedTo() {
        policy(POLICY);
        ClientScopeModel decorated = mock(ClientScopeModel.class);
        when(decorated.getId()).thenReturn("id-organization");
        when(decorated.getName()).thenReturn("organization:acme");
        when(ctx.getAttribute(Constants.GRANT_TYPE, String.class)).thenReturn("password");
        when(ctx.getClientScopesStream()).thenAnswer(i -> Stream.of(realmScopes.get("read"), decorated));

        assertThat(TokenJudge.verdict(session, ctx).orElseThrow().withheld()).containsExactly("organization");
    }

    @Test
    void aFrontChannelTokenIsJudgedAsImplicitAndAnUnnamedOneIsRefused() {
        policy(POLICY);
        token(null, "read", "deploy");
        when(clientSession.getNote(OIDCLoginProtocol.RESPONSE_TYPE_PARAM)).thenReturn("id_token token");
        assertThat(TokenJudge.verdict(session, ctx)).as("deploy is for the implicit grant only").isEmpty();

        when(clientSession.getNote(OIDCLoginProtocol.RESPONSE_TYPE_PARAM)).thenReturn(null);
        assertThat(TokenJudge.verdict(session, ctx).orElseThrow().error()).as("nothing names the grant").isEqualTo("unauthorized_client");
    }

    @Test
    void aTokenRequestThatNamesNoGrantOnTheContextIsJudgedByItsGrantTypeParameter() {
        policy(POLICY);
        token(null, "read");
        MultivaluedHashMap<String, String> form = new MultivaluedHashMap<>();
        form.putSingle("grant_type", "urn:ietf:params:oauth:grant-type:uma-ticket");
        when(session.getContext().getHttpRequest().getDecodedFormParameters()).thenReturn(form);
        when(session.getContext().getUri().getPath()).thenReturn("/realms/demo/protocol/openid-connect/token");

        assertThat(TokenJudge.verdict(session, ctx).orElseThrow().description()).contains("uma-ticket");
    }

    @Test
    void aGrantTypeFieldAddedToALoginFormIsNotReadAsTheGrant() {
        // An attack: grant_type=urn:...:uma-ticket (or authorization_code) added to the sign-in form's
        // POST must not decide how a front-channel token is judged.
        policy(POLICY);
        token(null, "read");
        MultivaluedHashMap<String, String> form = new MultivaluedHashMap<>();
        form.putSingle("grant_type", "urn:ietf:params:oauth:grant-type:uma-ticket");
        when(session.getContext().getHttpRequest().getDecodedFormParameters()).thenReturn(form);
        when(session.getContext().getUri().getPath()).thenReturn("/realms/demo/login-actions/authenticate");
        when(ctx.getClientSession().getNote(org.keycloak.protocol.oidc.OIDCLoginProtocol.RESPONSE_TYPE_PARAM)).thenReturn("code");

        assertThat(TokenJudge.verdict(session, ctx)).as("judged by what the session says, not by the form").isEmpty();
    }

    @Test
    void anUnreadablePolicyRefusesEveryTokenWithServerError() {
        policy("""
                {"rules": [{"scope": "wirte", "realmRoles": ["writer"]}]}""");
        token("password", "read");

        TokenJudge.Refusal refusal = TokenJudge.verdict(session, ctx).orElseThrow();

        assertThat(refusal.error()).isEqualTo("server_error");
        assertThat(refusal.description()).as("the client learns nothing of the policy").isEqualTo("scope policy unavailable");
        assertThat(refusal.status()).isEqualTo(Response.Status.INTERNAL_SERVER_ERROR);
        assertThat(refusal.eventError()).isEqualTo("server_error");
        assertThat(refusal.eventReason()).isEqualTo("scope_policy_unavailable");
        assertThat(refusal.problem()).as("the operator's event names the field").contains("Scope: scope 'wirte' does not exist in this realm");
    }

    @Test
    void aTokenForAnotherClientThanTheSessionsIsJudgedByTheRulesOfBoth() {
        policy("""
                {"rules": [{"scope": "write", "clients": ["requester"], "realmRoles": ["admin"]}],
                 "allowGrantTypes": ["urn:ietf:params:oauth:grant-type:uma-ticket"]}""");
        token("urn:ietf:params:oauth:grant-type:uma-ticket", "read", "write");
        assertThat(TokenJudge.verdict(session, ctx)).as("the session's own client may have write").isEmpty();

        ClientModel requester = mock(ClientModel.class);
        when(requester.getId()).thenReturn("id-requester");
        when(requester.getClientId()).thenReturn("requester");
        when(session.getContext().getClient()).thenReturn(requester);

        assertThat(TokenJudge.verdict(session, ctx).orElseThrow().withheld()).containsExactly("write");
    }

    @Test
    void anUnmigratedPolicyStringRefusesTokensInsteadOfOpeningEveryScope() {
        RequiredActionProviderModel action = new RequiredActionProviderModel();
        action.setProviderId("restricted-scope-policy");
        action.setAlias("restricted-scope-policy");
        action.setEnabled(true);
        when(realm.getRequiredActionProvidersStream()).thenAnswer(i -> Stream.of(action));
        RequiredActionConfigModel config = new RequiredActionConfigModel();
        config.setConfig(Map.of("policy", "{\"rules\": [{\"scope\": \"wirte\"}]}"));
        when(realm.getRequiredActionConfigByAlias("restricted-scope-policy")).thenReturn(config);
        token("password", "read", "write");

        assertThat(TokenJudge.verdict(session, ctx).orElseThrow().error()).isEqualTo("server_error");
    }
}
