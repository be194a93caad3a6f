package io.github.kcawspack.scopepolicy.grant;

import io.github.kcawspack.scopepolicy.ProviderLinkage;
import org.keycloak.Config;
import org.keycloak.models.KeycloakSession;
import org.keycloak.protocol.oidc.grants.ClientCredentialsGrantTypeFactory;
import org.keycloak.protocol.oidc.grants.OAuth2GrantType;

/**
 * Takes the place of Keycloak's client_credentials grant (same id: Keycloak lets a deployed
 * provider replace a built-in one) so that its scopes pass the realm's policy. Without a policy
 * it behaves exactly as Keycloak's.
 */
public class PolicyClientCredentialsGrantTypeFactory extends ClientCredentialsGrantTypeFactory {

    @Override
    public OAuth2GrantType create(KeycloakSession session) {
        return new PolicyClientCredentialsGrantType();
    }

    @Override
    public void init(Config.Scope config) {
        ProviderLinkage.require();
        super.init(config);
    }
}
