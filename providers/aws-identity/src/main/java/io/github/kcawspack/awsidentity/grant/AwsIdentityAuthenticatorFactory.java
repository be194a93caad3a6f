package io.github.kcawspack.awsidentity.grant;

import io.github.kcawspack.awsidentity.ProviderLinkage;
import io.github.kcawspack.awsidentity.settings.LegacySettingsMigration;
import io.github.kcawspack.linkage.KeycloakOverride;
import io.github.kcawspack.linkage.RequiredFeature;
import java.util.List;
import org.keycloak.Config;
import org.keycloak.authentication.Authenticator;
import org.keycloak.authentication.AuthenticatorFactory;
import org.keycloak.common.Profile;
import org.keycloak.models.AuthenticationExecutionModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.provider.ProviderConfigProperty;

/**
 * The "AWS identity (retired flow step)" authenticator: kept so that flows from earlier versions
 * still resolve and refuse ({@link AwsIdentityAuthenticator}), and because the server options keep
 * their documented names under this provider's scope ({@code --spi-authenticator--aws-identity--*},
 * declared here from {@link ServerOptions#metadata}, read by the grant's factory). It also moves
 * the realm settings that older flows held to the admin console pages, at start and on import,
 * and it is the JAR's gate for Keycloak's feature {@code declarative-ui}, which those pages need.
 */
public class AwsIdentityAuthenticatorFactory implements AuthenticatorFactory {

    public static final String PROVIDER_ID = ServerOptions.PROVIDER;

    private final LegacySettingsMigration migration = new LegacySettingsMigration(PROVIDER_ID);
    private RequiredFeature declarativeUi;

    @Override
    public String getId() {
        return PROVIDER_ID;
    }

    @Override
    public String getDisplayType() {
        return "AWS identity (retired: refuses every request)";
    }

    @Override
    public String getHelpText() {
        return "Retired. grant_type=aws_identity runs without an authentication flow; switch clients on in the admin "
                + "console page " + AwsIdentityClientsPage.ID + ". This step refuses every request that reaches it.";
    }

    @Override
    public String getReferenceCategory() {
        return "aws-identity";
    }

    @Override
    public boolean isConfigurable() {
        return false;
    }

    @Override
    public AuthenticationExecutionModel.Requirement[] getRequirementChoices() {
        return new AuthenticationExecutionModel.Requirement[] {
                AuthenticationExecutionModel.Requirement.REQUIRED, AuthenticationExecutionModel.Requirement.DISABLED};
    }

    @Override
    public boolean isUserSetupAllowed() {
        return false;
    }

    @Override
    public List<ProviderConfigProperty> getConfigProperties() {
        return List.of();
    }

    @Override
    @KeycloakOverride // declares the server options (sts-endpoint, timeouts, limits) to Keycloak
    public List<ProviderConfigProperty> getConfigMetadata() {
        return ServerOptions.metadata();
    }

    @Override
    public void init(Config.Scope config) {
        ProviderLinkage.require();
        declarativeUi = RequiredFeature.check(ProviderLinkage.JAR, Profile.Feature.DECLARATIVE_UI,
                "the realms' aws_identity settings on admin console pages");
    }

    /**
     * Refuses to start a server without Keycloak's feature {@code declarative-ui} (logged in
     * {@link #init}): the realms' settings are console pages that need it, and realms no one can
     * configure or migrate would only refuse logins. Then registers the migration.
     *
     * @throws IllegalStateException if the feature is off, which stops Keycloak's start
     */
    @Override
    public void postInit(KeycloakSessionFactory factory) {
        declarativeUi.require();
        // Realms configured by earlier versions: moved at start, and whenever a realm is imported.
        factory.register(event -> migration.onEvent(factory, event));
    }

    @Override
    public Authenticator create(KeycloakSession session) {
        return new AwsIdentityAuthenticator();
    }

    @Override
    public void close() {
    }
}
