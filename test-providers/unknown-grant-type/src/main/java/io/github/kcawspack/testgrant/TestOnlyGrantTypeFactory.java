package io.github.kcawspack.testgrant;

import org.keycloak.Config;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.protocol.oidc.grants.ClientCredentialsGrantType;
import org.keycloak.protocol.oidc.grants.OAuth2GrantType;
import org.keycloak.protocol.oidc.grants.OAuth2GrantTypeFactory;

/**
 * A grant type no part of the pack knows, installed only into the integration tests' Keycloak:
 * Keycloak's own client_credentials grant under another id (nothing overridden, so the same class
 * runs on Keycloak 26.5, 26.6 and 26.7). It issues a token for the client's service account
 * through Keycloak's TokenManager, with whatever scope the request names, and records its own id
 * as the grant type of the client session. A restricted-scope policy must refuse it unless the
 * policy's allowGrantTypes lists it.
 */
public final class TestOnlyGrantTypeFactory implements OAuth2GrantTypeFactory {

    public static final String ID = "urn:example:params:oauth:grant-type:test-only";

    @Override
    public String getId() {
        return ID;
    }

    /** Two characters no Keycloak grant uses (taken: ac rt ro cc te pg ci dg pc ag na). */
    @Override
    public String getShortcut() {
        return "xt";
    }

    @Override
    public OAuth2GrantType create(KeycloakSession session) {
        return new ClientCredentialsGrantType();
    }

    @Override
    public void init(Config.Scope config) {
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
    }

    @Override
    public void close() {
    }
}
