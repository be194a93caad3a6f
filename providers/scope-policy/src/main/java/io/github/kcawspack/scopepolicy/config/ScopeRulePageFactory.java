package io.github.kcawspack.scopepolicy.config;

import java.util.List;
import java.util.Map;
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
 * The console page {@value #PROVIDER_ID} (Configure section of the admin console; Keycloak's
 * admin-UI extension SPI, feature {@code declarative-ui}): one item per restricted-scope rule,
 * stored as a realm component whose fields are {@link RuleProperties}. Keycloak calls
 * {@link #validateConfiguration} on every create and update through the console or the admin REST
 * API and on realm import, so a rule that {@link RealmScopePolicy} could not read is refused there.
 */
public class ScopeRulePageFactory implements UiPageProviderFactory<UiPageProvider> {

    /** Shown as the page's name in the console's navigation. */
    public static final String PROVIDER_ID = "restricted-scope-rules";

    /**
     * @throws ComponentValidationException whose message starts with the label of the field at
     *                                      fault, e.g. "Scope: scope 'wirte' does not exist in this realm"
     */
    @Override
    public void validateConfiguration(KeycloakSession session, RealmModel realm, ComponentModel model) throws ComponentValidationException {
        try {
            RealmScopePolicy.rule(model, RealmScopePolicy.clientScopeNames(realm));
        } catch (IllegalArgumentException e) {
            throw RuleProperties.validationError(e.getMessage());
        }
    }

    @Override
    public String getId() {
        return PROVIDER_ID;
    }

    @Override
    public String getHelpText() {
        return "Restricted-scope rules: who may obtain which client scope, judged on every token the realm issues. "
                + "A scope with rules is granted when any of its rules admits the requester (any listed role, group or AWS "
                + "principal, through an allowed grant type). Mode, strictness and allowed grant types are on the "
                + PolicySettingsPageFactory.PROVIDER_ID + " page.";
    }

    @Override
    public List<ProviderConfigProperty> getConfigProperties() {
        return RuleProperties.PROPERTIES;
    }

    /** The list's columns: which scope, for which clients, for which roles. */
    @Override
    public Map<String, Object> getTypeMetadata() {
        return Map.of("displayFields", List.of(RuleComponent.SCOPE, RuleComponent.CLIENTS, RuleComponent.REALM_ROLES));
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
