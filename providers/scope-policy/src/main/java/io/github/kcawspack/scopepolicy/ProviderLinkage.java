package io.github.kcawspack.scopepolicy;

import io.github.kcawspack.linkage.KeycloakLinkage;
import io.github.kcawspack.scopepolicy.grant.PolicyClientCredentialsGrantTypeFactory;
import io.github.kcawspack.scopepolicy.grant.PolicyRefreshTokenGrantTypeFactory;
import io.github.kcawspack.scopepolicy.grant.PolicyTokenExchangeGrantTypeFactory;
import io.github.kcawspack.scopepolicy.login.RestrictedScopesRequiredActionFactory;
import io.github.kcawspack.scopepolicy.token.PolicyTokenContextEncoderProviderFactory;

/**
 * This JAR's start-time compatibility gate (see {@link KeycloakLinkage}): the policy extends
 * Keycloak classes that change between minors, so a server it cannot link against must not start
 * with scopes silently unrestricted.
 */
public final class ProviderLinkage {

    public static final String JAR = "aws-pack-scope-policy";

    private ProviderLinkage() {
    }

    public static void require() {
        KeycloakLinkage.require(JAR, ProviderLinkage.class.getPackageName(),
                RestrictedScopesRequiredActionFactory.class, PolicyClientCredentialsGrantTypeFactory.class,
                PolicyRefreshTokenGrantTypeFactory.class, PolicyTokenExchangeGrantTypeFactory.class,
                PolicyTokenContextEncoderProviderFactory.class);
    }
}
