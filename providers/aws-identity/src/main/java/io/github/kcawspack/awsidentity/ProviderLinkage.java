package io.github.kcawspack.awsidentity;

import io.github.kcawspack.linkage.KeycloakLinkage;

/**
 * This JAR's start-time compatibility gate, called first by each of its factories' {@code init}:
 * the running Keycloak must be a tested minor and the JAR's {@code @KeycloakOverride} methods must
 * still override, or Keycloak's start stops with one log line naming the running and the tested
 * versions (see {@link KeycloakLinkage}). Checked once, whichever factory comes first.
 */
public final class ProviderLinkage {

    public static final String JAR = "aws-pack-aws-identity";

    private ProviderLinkage() {
    }

    public static void require() {
        KeycloakLinkage.require(JAR);
    }
}
