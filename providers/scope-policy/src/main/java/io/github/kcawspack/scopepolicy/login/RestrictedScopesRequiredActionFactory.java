package io.github.kcawspack.scopepolicy.login;

import io.github.kcawspack.scopepolicy.ProviderLinkage;
import io.github.kcawspack.scopepolicy.config.RealmScopePolicy;
import java.util.List;
import org.keycloak.Config;
import org.keycloak.authentication.RequiredActionFactory;
import org.keycloak.authentication.RequiredActionProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.models.RequiredActionConfigModel;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderConfigurationBuilder;
import org.keycloak.userprofile.ValidationException;
import org.keycloak.validate.ValidationError;

/**
 * "Restricted scope policy" in Authentication > Required actions: enabling it turns the realm's
 * policy on, its settings (the gear icon) hold the policy. See {@link RestrictedScopesRequiredAction}.
 */
public class RestrictedScopesRequiredActionFactory implements RequiredActionFactory {

    private static final List<ProviderConfigProperty> CONFIG = ProviderConfigurationBuilder.create()
            .property()
            .name(RealmScopePolicy.POLICY)
            .label("Policy (JSON)")
            .type(ProviderConfigProperty.TEXT_TYPE)
            .helpText("Who may obtain which scope, judged on every token the realm issues. A grant the pack cannot judge "
                    + "is refused unless listed in allowGrantTypes; device code, CIBA and JWT-bearer tokens asking for a "
                    + "withheld scope are refused (their scope cannot be narrowed). "
                    + "{\"mode\": \"filter\" or \"reject\", \"strict\": false, \"allowGrantTypes\": [], \"rules\": [...]}. "
                    + "A rule: {\"scope\": \"write\" (an existing client scope), "
                    + "\"realmRoles\": [...], \"clientRoles\": {\"client-id\": [...]}, \"groups\": [\"/full/path\"], "
                    + "\"awsPrincipals\": [{\"account\": \"123456789012\", \"type\": \"role\" or \"user\", \"name\": \"glob\"}], "
                    + "\"grantTypes\": [...], \"clients\": [...], \"mode\": ...}. A scope is granted if any of its rules admits the "
                    + "user (any listed role, group (subgroups count) or AWS principal, and an allowed grant type). Rules naming "
                    + "a client replace the realm-wide rules of that scope for that client. filter leaves a withheld scope out; "
                    + "reject fails the request with invalid_scope. strict withholds scopes no rule covers. A restricted scope "
                    + "must be an optional client scope of the clients concerned: a withheld default scope fails the request. "
                    + "Unknown fields are errors.")
            .add()
            .build();

    @Override
    public String getId() {
        return RealmScopePolicy.PROVIDER_ID;
    }

    @Override
    public String getDisplayText() {
        return "Restricted scope policy";
    }

    @Override
    public RequiredActionProvider create(KeycloakSession session) {
        return new RestrictedScopesRequiredAction();
    }

    @Override
    public List<ProviderConfigProperty> getConfigMetadata() {
        return CONFIG;
    }

    @Override
    public void validateConfig(KeycloakSession session, RealmModel realm, RequiredActionConfigModel model) {
        String json = model.getConfigValue(RealmScopePolicy.POLICY);
        if (json == null || json.isBlank()) {
            return;
        }
        try {
            RealmScopePolicy.validated(realm, json);
        } catch (IllegalArgumentException e) {
            // Shown by the console next to the field; the message names the rule and the problem.
            throw new ValidationException(new ValidationError(getId(), RealmScopePolicy.POLICY,
                    "Invalid restricted scope policy: " + e.getMessage()));
        }
    }

    @Override
    public boolean isOneTimeAction() {
        return false;
    }

    @Override
    public void init(Config.Scope config) {
        ProviderLinkage.require();
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
    }

    @Override
    public void close() {
    }
}
