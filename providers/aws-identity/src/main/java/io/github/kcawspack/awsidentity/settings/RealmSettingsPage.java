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
import org.keycloak.services.ui.extend.UiPageProviderFactory;

/**
 * The admin console's "aws-identity-settings" page: the realm-level aws_identity settings
 * ({@link RealmSettings}) as one item, a realm component validated on save. A realm without the
 * item uses the defaults; a second item is refused, so there is never a question which one counts.
 */
public class RealmSettingsPage implements UiPageProviderFactory<ComponentModel> {

    /** The page's id: its name in the console's navigation and its component's provider id. */
    public static final String ID = "aws-identity-settings";

    static final String ONLY_ONE = "this realm already has its AWS identity settings item: edit that one";

    @Override
    public String getId() {
        return ID;
    }

    @Override
    public String getHelpText() {
        return "How this realm checks grant_type=aws_identity requests before they reach AWS STS: audience, "
                + "request age, clock skew. One item per realm; without it the defaults apply.";
    }

    @Override
    public List<ProviderConfigProperty> getConfigProperties() {
        return RealmSettingsProperties.properties();
    }

    /**
     * Refuses invalid settings or a second settings item in {@code realm}.
     *
     * @throws ComponentValidationException with a message naming the field and what it expects
     */
    @Override
    public void validateConfiguration(KeycloakSession session, RealmModel realm, ComponentModel model) {
        try {
            RealmSettings.from(model.getConfig());
        } catch (IllegalArgumentException e) {
            throw new ComponentValidationException(e.getMessage());
        }
        boolean another = realm.getComponentsStream(realm.getId(), AwsIdentitySettings.COMPONENT_TYPE)
                .anyMatch(other -> ID.equals(other.getProviderId()) && !Objects.equals(other.getId(), model.getId()));
        if (another) {
            throw new ComponentValidationException("Only one item: " + ONLY_ONE);
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
