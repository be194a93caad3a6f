package io.github.kcawspack.awsidentity;

import io.github.kcawspack.awsidentity.authenticator.AwsIdentityAuthenticatorFactory;
import io.github.kcawspack.awsidentity.grant.AwsIdentityGrantTypeFactory;
import io.github.kcawspack.linkage.KeycloakLinkage;

/**
 * This JAR's start-time compatibility gate, called first by each of its factories' {@code init}:
 * everything the grant type and the authenticator use from Keycloak must exist in the running
 * server, or Keycloak's start stops with one log line naming the running version and what is
 * missing (see {@link KeycloakLinkage}). Checked once, whichever factory comes first.
 */
public final class ProviderLinkage {

    public static final String JAR = "aws-pack-aws-identity";

    private ProviderLinkage() {
    }

    public static void require() {
        KeycloakLinkage.require(JAR, ProviderLinkage.class.getPackageName(),
                AwsIdentityGrantTypeFactory.class, AwsIdentityAuthenticatorFactory.class);
    }
}
