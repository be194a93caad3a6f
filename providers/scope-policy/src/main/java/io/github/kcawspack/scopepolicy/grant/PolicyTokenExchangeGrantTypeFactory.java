package io.github.kcawspack.scopepolicy.grant;

import io.github.kcawspack.scopepolicy.ProviderLinkage;
import org.keycloak.Config;
import org.keycloak.models.KeycloakSession;
import org.keycloak.protocol.oidc.grants.OAuth2GrantType;
import org.keycloak.protocol.oidc.grants.TokenExchangeGrantTypeFactory;

/**
 * Takes the place of Keycloak's token-exchange grant (same id; available when Keycloak's token
 * exchange feature is) so that exchanged tokens pass the realm's policy.
 */
public class PolicyTokenExchangeGrantTypeFactory extends TokenExchangeGrantTypeFactory {

    @Override
    public OAuth2GrantType create(KeycloakSession session) {
        return new PolicyTokenExchangeGrantType();
    }

    @Override
    public void init(Config.Scope config) {
        ProviderLinkage.require();
        super.init(config);
    }
}
