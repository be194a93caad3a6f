package io.github.kcawspack.scopepolicy.config;

import java.util.List;
import org.keycloak.Config;
import org.keycloak.component.ComponentModel;
import org.keycloak.component.ComponentValidationException;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.services.ui.extend.UiPageProvider;
import org.keycloak.services.ui.extend.UiPageProviderFactory;

/**
 * The console page {@value #PROVIDER_ID}: the one item holding the policy-level settings
 * ({@link PolicySettings}, fields {@link PolicySettingsProperties}). A realm with rules and no
 * item uses the defaults. A second item is refused on save: two would contradict each other.
 */
public class PolicySettingsPageFactory implements UiPageProviderFactory<UiPageProvider> {

    /** Shown as the page's name in the console's navigation. */
    public static final String PROVIDER_ID = "restricted-scope-settings";

    /**
     * @throws ComponentValidationException naming the field at fault, or saying that the realm
     *                                      already has its settings item
     */
    @Override
    public void validateConfiguration(KeycloakSession session, RealmModel realm, ComponentModel model) throws ComponentValidationException {
        try {
            PolicySettings.from(model);
        } catch (IllegalArgumentException e) {
            throw RuleProperties.validationError(e.getMessage());
        }
        boolean another = RealmScopePolicy.items(realm, PROVIDER_ID).stream().anyMatch(item -> !item.getId().equals(model.getId()));
        if (another) {
            throw RuleProperties.validationError("This realm already has its restricted-scope settings: edit that item");
        }
    }

    @Override
    public String getId() {
        return PROVIDER_ID;
    }

    @Override
    public String getHelpText() {
        return "Settings of the realm's restricted-scope policy (one item): whether the rules on the "
                + ScopeRulePageFactory.PROVIDER_ID + " page hold, their default mode, strictness and the grant types "
                + "let through unjudged.";
    }

    @Override
    public List<ProviderConfigProperty> getConfigProperties() {
        return PolicySettingsProperties.PROPERTIES;
    }

    @Override
    public void init(Config.Scope config) {
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
    }

    @Override
    public void close() {
    }
}
