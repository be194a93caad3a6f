package io.github.kcawspack.scopepolicy.grant;

import io.github.kcawspack.scopepolicy.enforcement.RequesterFacts;
import org.keycloak.OAuth2Constants;
import org.keycloak.models.UserModel;
import org.keycloak.protocol.oidc.grants.ClientCredentialsGrantType;

/**
 * Keycloak's client credentials grant, with the requested scopes judged for the client's service
 * account (its roles and groups) before Keycloak builds the token from them.
 */
public class PolicyClientCredentialsGrantType extends ClientCredentialsGrantType {

    @Override
    protected String getRequestedScopes() {
        String requested = super.getRequestedScopes();
        UserModel serviceAccount = session.users().getServiceAccount(client);
        if (serviceAccount == null) {
            // Keycloak refuses the request itself (the client has no service account).
            return requested;
        }
        return TokenEndpointScopes.narrow(realm, client, requested,
                () -> RequesterFacts.of(serviceAccount, note -> null, OAuth2Constants.CLIENT_CREDENTIALS), event, cors)
                .orElse(null);
    }
}
