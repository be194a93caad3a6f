package io.github.kcawspack.scopepolicy.login;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.RETURNS_DEEP_STUBS;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.github.kcawspack.scopepolicy.config.PolicySettings;
import io.github.kcawspack.scopepolicy.config.PolicySettingsPageFactory;
import io.github.kcawspack.scopepolicy.config.RealmScopePolicy;
import io.github.kcawspack.scopepolicy.config.RuleComponent;
import io.github.kcawspack.scopepolicy.config.ScopeRulePageFactory;
import io.github.kcawspack.scopepolicy.model.Mode;
import io.github.kcawspack.scopepolicy.model.ScopeRule;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.keycloak.authentication.RequiredActionContext;
import org.keycloak.component.ComponentModel;
import org.keycloak.models.ClientModel;
import org.keycloak.models.ClientScopeModel;
import org.keycloak.models.RealmModel;
import org.keycloak.models.RequiredActionProviderModel;
import org.keycloak.models.UserModel;
import org.keycloak.services.ui.extend.UiPageProvider;
import org.keycloak.sessions.AuthenticationSessionModel;

/**
 * The required action's answer for logins that are not OpenID Connect: a SAML login is judged
 * with the client's (default) SAML scopes and the grant type {@code saml}; any other protocol is
 * refused while a policy is active, unless the settings list it as an allowed unjudged grant type.
 */
class RestrictedScopesRequiredActionProtocolTest {

    private final RealmModel realm = mock(RealmModel.class);
    private final AuthenticationSessionModel authSession = mock(AuthenticationSessionModel.class);
    private final RequiredActionContext context = mock(RequiredActionContext.class, RETURNS_DEEP_STUBS);
    private final UserModel user = mock(UserModel.class);

    RestrictedScopesRequiredActionProtocolTest() {
        when(realm.getId()).thenReturn("realm-id");
        when(realm.getName()).thenReturn("test");
        when(realm.getRequiredActionProvidersStream()).thenAnswer(i -> Stream.<RequiredActionProviderModel>empty());
        ClientScopeModel samlWrite = mock(ClientScopeModel.class);
        when(samlWrite.getName()).thenReturn("saml-write");
        when(realm.getClientScopesStream()).thenAnswer(i -> Stream.of(samlWrite));
        ClientModel client = mock(ClientModel.class);
        when(client.getClientId()).thenReturn("saml-app");
        when(client.getClientScopes(true)).thenReturn(Map.of("saml-write", samlWrite));
        when(client.getClientScopes(false)).thenReturn(Map.of());
        when(authSession.getClient()).thenReturn(client);
        when(authSession.getUserSessionNotes()).thenReturn(new HashMap<>());
        when(user.getRequiredActionsStream()).thenAnswer(i -> Stream.empty());
        when(user.getRoleMappingsStream()).thenAnswer(i -> Stream.empty());
        when(user.getGroupsStream()).thenAnswer(i -> Stream.empty());
        when(context.getRealm()).thenReturn(realm);
        when(context.getUser()).thenReturn(user);
        when(context.getAuthenticationSession()).thenReturn(authSession);
    }

    private void policy(Set<String> allowGrantTypes, ScopeRule... rules) {
        ComponentModel settings = component(PolicySettingsPageFactory.PROVIDER_ID);
        settings.setConfig(new PolicySettings(true, Mode.FILTER, false, allowGrantTypes).toConfig());
        List<ComponentModel> items = new java.util.ArrayList<>(List.of(settings));
        for (ScopeRule rule : rules) {
            ComponentModel item = component(ScopeRulePageFactory.PROVIDER_ID);
            item.setConfig(RuleComponent.toConfig(rule));
            items.add(item);
        }
        when(realm.getComponentsStream(eq("realm-id"), anyString())).thenAnswer(i -> items.stream());
    }

    private static ComponentModel component(String providerId) {
        ComponentModel model = new ComponentModel();
        model.setId(providerId + "-id");
        model.setProviderId(providerId);
        model.setProviderType(UiPageProvider.class.getName());
        model.setParentId("realm-id");
        return model;
    }

    private static ScopeRule rule(Set<String> grantTypes) {
        return new ScopeRule("saml-write", Set.of(), Set.of(), Map.of(), Set.of(), List.of(), grantTypes, java.util.Optional.empty());
    }

    @Test
    void aSamlLoginWhoseDefaultScopeIsWithheldIsRefusedByTheChallenge() {
        policy(Set.of(), rule(Set.of("password")));
        when(authSession.getProtocol()).thenReturn("saml");

        new RestrictedScopesRequiredAction().evaluateTriggers(context);

        verify(authSession).addRequiredAction(RealmScopePolicy.REQUIRED_ACTION_ID);
        verify(authSession).setAuthNote(anyString(), eq("scope 'saml-write' is not permitted for this request"));
    }

    @Test
    void aRuleNamingTheSamlGrantTypeAdmitsASamlLogin() {
        policy(Set.of(), rule(Set.of("saml")));
        when(authSession.getProtocol()).thenReturn("saml");

        new RestrictedScopesRequiredAction().evaluateTriggers(context);

        verify(authSession, never()).addRequiredAction(anyString());
    }

    @Test
    void anotherProtocolIsRefusedUnlessAllowedUnjudged() {
        policy(Set.of(), rule(Set.of()));
        when(authSession.getProtocol()).thenReturn("docker-v2");

        new RestrictedScopesRequiredAction().evaluateTriggers(context);

        verify(authSession).addRequiredAction(RealmScopePolicy.REQUIRED_ACTION_ID);
        verify(authSession).setAuthNote(anyString(),
                eq("login protocol 'docker-v2' is not permitted while the realm has a restricted scope policy"));
    }

    @Test
    void anotherProtocolListedAsAllowedUnjudgedPasses() {
        policy(Set.of("docker-v2"), rule(Set.of()));
        when(authSession.getProtocol()).thenReturn("docker-v2");

        new RestrictedScopesRequiredAction().evaluateTriggers(context);

        verify(authSession, never()).addRequiredAction(anyString());
    }

    @Test
    void withoutAPolicyNothingIsRefused() {
        when(realm.getComponentsStream(eq("realm-id"), anyString())).thenAnswer(i -> Stream.empty());
        when(authSession.getProtocol()).thenReturn("docker-v2");

        new RestrictedScopesRequiredAction().evaluateTriggers(context);

        verify(authSession, never()).addRequiredAction(anyString());
        assertThat(PolicySamlProtocolFactory.requiredActionEnabled(realm)).isFalse();
    }
}
