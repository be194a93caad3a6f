package io.github.kcawspack.awsidentity.principal;

import io.github.kcawspack.awsidentity.ProviderLinkage;
import org.keycloak.Config;
import org.keycloak.broker.provider.AbstractIdentityProviderFactory;
import org.keycloak.models.IdentityProviderModel;
import org.keycloak.models.KeycloakSession;

/**
 * Registers the identity-provider type {@value #PROVIDER_ID} ("AWS principal links" under
 * Identity providers in the admin console). A realm that uses aws_identity has one identity
 * provider of this type with the alias {@link AwsLinks#ALIAS}; its links join Keycloak users to
 * AWS principals (see {@link AwsLinks}).
 */
public class AwsLinkIdentityProviderFactory extends AbstractIdentityProviderFactory<AwsLinkIdentityProvider> {

    public static final String PROVIDER_ID = "aws-principal-links";

    @Override
    public String getId() {
        return PROVIDER_ID;
    }

    @Override
    public String getName() {
        return "AWS principal links";
    }

    @Override
    public String getHelpText() {
        return "Holds the links between Keycloak users and AWS principals used by grant_type=aws_identity. "
                + "It never logs anyone in; only administrators and the aws_identity grant create its links. "
                + "Use the alias " + AwsLinks.ALIAS + " and switch it off (Enabled) so that no login page or account "
                + "console shows it.";
    }

    @Override
    public AwsLinkIdentityProvider create(KeycloakSession session, IdentityProviderModel model) {
        return new AwsLinkIdentityProvider(session, model);
    }

    @Override
    public IdentityProviderModel createConfig() {
        return new IdentityProviderModel();
    }

    @Override
    public void init(Config.Scope config) {
        ProviderLinkage.require();
    }
}
