package io.github.kcawspack.scopepolicy.config;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.keycloak.component.ComponentModel;
import org.keycloak.models.ClientScopeModel;
import org.keycloak.models.RealmModel;
import org.keycloak.models.RequiredActionConfigModel;
import org.keycloak.models.RequiredActionProviderModel;

/**
 * A realm mock that stores what the policy code reads and writes: its client scopes, components
 * (returned in reverse order of creation, as a store may), the "Restricted scope policy" action
 * and its config.
 */
final class StoredRealm {

    final RealmModel realm = mock(RealmModel.class);
    final List<ComponentModel> components = new ArrayList<>();
    final RequiredActionProviderModel action = new RequiredActionProviderModel();
    final RequiredActionConfigModel actionConfig = new RequiredActionConfigModel();

    StoredRealm(Set<String> scopes) {
        String id = UUID.randomUUID().toString();
        when(realm.getId()).thenReturn(id);
        when(realm.getName()).thenReturn("test");
        when(realm.getClientScopesStream()).thenAnswer(i -> scopes.stream().map(name -> {
            ClientScopeModel scope = mock(ClientScopeModel.class);
            when(scope.getName()).thenReturn(name);
            return scope;
        }));
        when(realm.getComponentsStream(eq(id), anyString())).thenAnswer(i -> {
            List<ComponentModel> reversed = new ArrayList<>(components);
            Collections.reverse(reversed);
            return reversed.stream().filter(c -> c.getProviderType().equals(i.getArgument(1)));
        });
        when(realm.addComponentModel(any())).thenAnswer(i -> {
            ComponentModel model = new ComponentModel(i.getArgument(0));
            model.setId(UUID.randomUUID().toString());
            components.add(model);
            return model;
        });
        action.setProviderId(RealmScopePolicy.REQUIRED_ACTION_ID);
        action.setAlias(RealmScopePolicy.REQUIRED_ACTION_ID);
        actionConfig.setAlias(RealmScopePolicy.REQUIRED_ACTION_ID);
        actionConfig.setConfig(new HashMap<>());
        when(realm.getRequiredActionProvidersStream()).thenAnswer(i -> java.util.stream.Stream.of(action));
        when(realm.getRequiredActionConfigByAlias(RealmScopePolicy.REQUIRED_ACTION_ID)).thenAnswer(i -> actionConfig);
        doAnswer(i -> {
            actionConfig.setConfig(new HashMap<>(((RequiredActionConfigModel) i.getArgument(0)).getConfig()));
            return null;
        }).when(realm).updateRequiredActionConfig(any());
        doAnswer(i -> {
            actionConfig.setConfig(new HashMap<>());
            return null;
        }).when(realm).removeRequiredActionProviderConfig(any());
    }

    /** The action as earlier versions configured it: the policy as a JSON string. */
    StoredRealm legacy(String json, boolean enabled) {
        action.setEnabled(enabled);
        actionConfig.setConfig(new HashMap<>(Map.of(LegacyPolicyMigration.LEGACY_KEY, json)));
        return this;
    }
}
