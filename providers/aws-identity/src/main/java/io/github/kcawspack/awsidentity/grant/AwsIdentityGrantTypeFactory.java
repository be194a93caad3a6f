package io.github.kcawspack.awsidentity.grant;

import io.github.kcawspack.awsidentity.ProviderLinkage;
import org.keycloak.Config;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.protocol.oidc.grants.OAuth2GrantType;
import org.keycloak.protocol.oidc.grants.OAuth2GrantTypeFactory;

/** Registers {@code aws_identity} with the token endpoint and the discovery document. */
public class AwsIdentityGrantTypeFactory implements OAuth2GrantTypeFactory {

    public static final String GRANT_TYPE = "aws_identity";

    @Override
    public String getId() {
        return GRANT_TYPE;
    }

    @Override
    public String getShortcut() {
        // Two characters, unique among grant types (Keycloak's own: ac rt ro cc te pg ci dg pc ag na).
        return "ai";
    }

    @Override
    public OAuth2GrantType create(KeycloakSession session) {
        return new AwsIdentityGrantType();
    }

    @Override
    public void init(Config.Scope config) {
        // The grant-type SPI is internal and changes between minors: refuse to start on a
        // Keycloak this JAR does not link against, rather than fail token requests.
        ProviderLinkage.require();
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
    }

    @Override
    public void close() {
    }
}
