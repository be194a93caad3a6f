package io.github.kcawspack.scopepolicy.grant;

import io.github.kcawspack.scopepolicy.ProviderLinkage;
import org.keycloak.Config;
import org.keycloak.models.KeycloakSession;
import org.keycloak.protocol.oidc.grants.OAuth2GrantType;
import org.keycloak.protocol.oidc.grants.RefreshTokenGrantTypeFactory;

/**
 * Takes the place of Keycloak's refresh_token grant (same id) so that refreshes are re-judged by
 * the realm's policy. Without a policy it behaves exactly as Keycloak's.
 */
public class PolicyRefreshTokenGrantTypeFactory extends RefreshTokenGrantTypeFactory {

    @Override
    public OAuth2GrantType create(KeycloakSession session) {
        return new PolicyRefreshTokenGrantType();
    }

    @Override
    public void init(Config.Scope config) {
        ProviderLinkage.require();
        super.init(config);
    }
}
