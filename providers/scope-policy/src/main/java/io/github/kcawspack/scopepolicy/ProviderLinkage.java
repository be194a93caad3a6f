package io.github.kcawspack.scopepolicy;

import io.github.kcawspack.linkage.KeycloakLinkage;

/**
 * This JAR's start-time compatibility gate (see {@link KeycloakLinkage}): the policy extends
 * Keycloak classes that change between minors, so a Keycloak minor it was not tested on must not
 * start with scopes silently unrestricted.
 */
public final class ProviderLinkage {

    public static final String JAR = "aws-pack-scope-policy";

    private ProviderLinkage() {
    }

    public static void require() {
        KeycloakLinkage.require(JAR);
    }
}
