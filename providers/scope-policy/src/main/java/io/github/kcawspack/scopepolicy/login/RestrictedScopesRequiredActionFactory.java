package io.github.kcawspack.scopepolicy.login;

import io.github.kcawspack.linkage.RequiredFeature;
import io.github.kcawspack.scopepolicy.ProviderLinkage;
import io.github.kcawspack.scopepolicy.config.LegacyPolicyMigration;
import io.github.kcawspack.scopepolicy.config.PolicySettingsPageFactory;
import io.github.kcawspack.scopepolicy.config.RealmScopePolicy;
import io.github.kcawspack.scopepolicy.config.ScopeRulePageFactory;
import org.keycloak.Config;
import org.keycloak.authentication.RequiredActionFactory;
import org.keycloak.authentication.RequiredActionProvider;
import org.keycloak.common.Profile;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.models.RequiredActionConfigModel;
import org.keycloak.userprofile.ValidationException;
import org.keycloak.validate.ValidationError;

/**
 * "Restricted scope policy" in Authentication &gt; Required actions: the hook that applies the
 * realm's policy at every login (see {@link RestrictedScopesRequiredAction}). It has no settings
 * of its own: the policy is on the console pages {@value ScopeRulePageFactory#PROVIDER_ID} and
 * {@value PolicySettingsPageFactory#PROVIDER_ID}. It is also where the pack migrates the JSON
 * string of earlier versions ({@link LegacyPolicyMigration}), since this factory is loaded on
 * every server that has the JAR.
 */
public class RestrictedScopesRequiredActionFactory implements RequiredActionFactory {

    private RequiredFeature declarativeUi;

    @Override
    public String getId() {
        return RealmScopePolicy.REQUIRED_ACTION_ID;
    }

    @Override
    public String getDisplayText() {
        return "Restricted scope policy";
    }

    @Override
    public RequiredActionProvider create(KeycloakSession session) {
        return new RestrictedScopesRequiredAction();
    }

    /**
     * Refuses a policy string through the action's config endpoint: the policy is configured on
     * the console pages now, and a string saved here would not be used.
     *
     * @throws ValidationException naming the config key and where the policy lives now
     */
    @Override
    public void validateConfig(KeycloakSession session, RealmModel realm, RequiredActionConfigModel model) {
        String json = model.getConfigValue(LegacyPolicyMigration.LEGACY_KEY);
        if (json != null && !json.isBlank()) {
            throw new ValidationException(new ValidationError(getId(), LegacyPolicyMigration.LEGACY_KEY,
                    "The restricted scope policy is no longer a JSON string: create its rules on the "
                            + ScopeRulePageFactory.PROVIDER_ID + " page"));
        }
    }

    @Override
    public boolean isOneTimeAction() {
        return false;
    }

    @Override
    public void init(Config.Scope config) {
        ProviderLinkage.require();
        declarativeUi = RequiredFeature.check(ProviderLinkage.JAR, Profile.Feature.DECLARATIVE_UI,
                "restricted-scope rules on admin console pages");
    }

    /**
     * Refuses to start a server without Keycloak's feature {@code declarative-ui} (logged in
     * {@link #init}): the policy's console pages need it, and without them its realms could not
     * be configured or migrated, and would be refused tokens. Then registers the migration.
     *
     * @throws IllegalStateException if the feature is off, which stops Keycloak's start
     */
    @Override
    public void postInit(KeycloakSessionFactory factory) {
        declarativeUi.require();
        factory.register(event -> LegacyPolicyMigration.onEvent(event, factory));
    }

    @Override
    public void close() {
    }
}
