package io.github.kcawspack.awsidentity.settings;

import java.util.List;
import java.util.Map;
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
 * The admin console's "aws-principal-bindings" page (Keycloak's admin-UI extension SPI, shown under
 * Configure when the server runs with {@code --features=declarative-ui}): one item per principal
 * binding, each a realm component whose fields are {@link BindingProperties}. Admin REST and the
 * console both save through {@link #validateConfiguration}, which refuses an invalid binding with
 * a message naming the field, and a priority another binding of the realm already has (ties are
 * refused, never broken by storage order).
 */
public class PrincipalBindingsPage implements UiPageProviderFactory<ComponentModel> {

    /** The page's id: its name in the console's navigation and its components' provider id. */
    public static final String ID = "aws-principal-bindings";

    @Override
    public String getId() {
        return ID;
    }

    @Override
    public String getHelpText() {
        return "Which AWS principals may log in with grant_type=aws_identity or an AWS-issued JWT, and what their "
                + "Keycloak user gets. Bindings are tried lowest priority first; the first that matches partition, "
                + "account, principal type and name (and, for AWS-issued JWTs, any organization, OU path and tag "
                + "condition) decides. A principal no binding matches is refused.";
    }

    @Override
    public List<ProviderConfigProperty> getConfigProperties() {
        return BindingProperties.properties();
    }

    /** Columns of the page's item list, in order (the first links to the item). */
    @Override
    public Map<String, Object> getTypeMetadata() {
        return Map.of("displayFields", List.of(BindingSettings.PRIORITY, BindingSettings.ACCOUNT, BindingSettings.TYPE,
                BindingSettings.NAME_PATTERN));
    }

    /**
     * Refuses an invalid binding or a priority already used by another binding of {@code realm}.
     *
     * @throws ComponentValidationException with a message naming the field and what it expects
     */
    @Override
    public void validateConfiguration(KeycloakSession session, RealmModel realm, ComponentModel model) {
        BindingSettings binding;
        try {
            binding = BindingSettings.from(model.getConfig());
        } catch (IllegalArgumentException e) {
            throw new ComponentValidationException(e.getMessage());
        }
        boolean taken = realm.getComponentsStream(realm.getId(), AwsIdentitySettings.COMPONENT_TYPE)
                .filter(other -> ID.equals(other.getProviderId()) && !Objects.equals(other.getId(), model.getId()))
                .anyMatch(other -> priorityOf(other) == binding.priority());
        if (taken) {
            throw new ComponentValidationException(priorityTaken(binding.priority()));
        }
    }

    /** The refusal of a priority another binding of the realm has. */
    static String priorityTaken(int priority) {
        return "Priority " + priority + " is already used by another binding of this realm: give each binding its "
                + "own priority (lowest is tried first)";
    }

    /** Another binding's priority, or -1 when it has none that parses (it cannot tie then). */
    private static int priorityOf(ComponentModel other) {
        String value = other.get(BindingSettings.PRIORITY);
        try {
            return value == null ? -1 : Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            return -1;
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
