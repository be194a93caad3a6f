package io.github.kcawspack.awsidentity.settings;

import java.util.List;
import java.util.Objects;
import org.keycloak.Config;
import org.keycloak.component.ComponentModel;
import org.keycloak.component.ComponentValidationException;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderConfigurationBuilder;
import org.keycloak.services.ui.extend.UiPageProviderFactory;

/**
 * The admin console's "aws-web-identity-issuers" page: one item per AWS account whose
 * STS-issued JWTs ({@code GetWebIdentityToken}) this realm accepts at its token endpoint with
 * {@code grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer} (RFC 7523). Validated on save
 * ({@link WebIdentityIssuer#from}); an issuer configured twice is refused.
 */
public class WebIdentityIssuersPage implements UiPageProviderFactory<ComponentModel> {

    /** The page's id: its name in the console's navigation and its component's provider id. */
    public static final String ID = "aws-web-identity-issuers";

    private static final List<ProviderConfigProperty> PROPERTIES = ProviderConfigurationBuilder.create()
            .property().name(WebIdentityIssuer.ISSUER).label("Issuer URL").type(ProviderConfigProperty.STRING_TYPE)
            .helpText("The account's token issuer exactly as AWS puts it in the tokens' iss claim (IAM console > "
                    + "Account settings > Outbound identity federation, or aws iam get-outbound-web-identity-federation-info). "
                    + "Its /.well-known/openid-configuration names the JWKS the signatures are checked with.")
            .add()
            .property().name(WebIdentityIssuer.ACCOUNT).label("AWS account").type(ProviderConfigProperty.STRING_TYPE)
            .helpText("The 12-digit account this issuer belongs to: a token's sub must be an IAM role or user of it.")
            .add()
            .property().name(WebIdentityIssuer.AUDIENCES).label("Extra audiences").type(ProviderConfigProperty.MULTIVALUED_STRING_TYPE)
            .helpText("aud values accepted besides this realm's issuer URL (which counts where --hostname or the "
                    + "realm's Frontend URL fixes it).")
            .add()
            .property().name(WebIdentityIssuer.MAX_LIFETIME_SECONDS).label("Maximum token lifetime (seconds)")
            .type(ProviderConfigProperty.STRING_TYPE).defaultValue(String.valueOf(WebIdentityIssuer.DEFAULT_MAX_LIFETIME_SECONDS))
            .helpText("The longest exp - iat accepted, 60 to 3600. AWS issues 300 s unless the caller asks otherwise.")
            .add()
            .build();

    @Override
    public String getId() {
        return ID;
    }

    @Override
    public String getHelpText() {
        return "AWS accounts whose STS-issued JWTs (GetWebIdentityToken) clients switched on for AWS identities may "
                + "exchange for tokens (grant_type urn:ietf:params:oauth:grant-type:jwt-bearer). The principal bindings decide who gets in.";
    }

    @Override
    public List<ProviderConfigProperty> getConfigProperties() {
        return PROPERTIES;
    }

    /**
     * Refuses an invalid item or a second item for the same issuer.
     *
     * @throws ComponentValidationException with a message naming the field and what it expects
     */
    @Override
    public void validateConfiguration(KeycloakSession session, RealmModel realm, ComponentModel model) {
        WebIdentityIssuer issuer;
        try {
            issuer = WebIdentityIssuer.from(model.getConfig());
        } catch (IllegalArgumentException e) {
            throw new ComponentValidationException(e.getMessage());
        }
        boolean another = realm.getComponentsStream(realm.getId(), AwsIdentitySettings.COMPONENT_TYPE)
                .filter(other -> ID.equals(other.getProviderId()) && !Objects.equals(other.getId(), model.getId()))
                .anyMatch(other -> issuer.issuer().equals(other.get(WebIdentityIssuer.ISSUER)));
        if (another) {
            throw new ComponentValidationException("issuer: this realm already has an item for " + issuer.issuer() + ": edit that one");
        }
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
