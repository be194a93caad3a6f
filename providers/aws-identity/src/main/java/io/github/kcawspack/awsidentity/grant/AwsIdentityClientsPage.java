package io.github.kcawspack.awsidentity.grant;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.keycloak.Config;
import org.keycloak.component.ComponentModel;
import org.keycloak.component.ComponentValidationException;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderConfigurationBuilder;
import org.keycloak.services.ui.extend.UiPageProvider;
import org.keycloak.services.ui.extend.UiPageProviderFactory;

/**
 * The per-client switch of the aws_identity grant: the admin console page "aws-identity-clients"
 * (Keycloak's admin-UI extension SPI, under Configure with {@code --features=declarative-ui}), one
 * item per client allowed to use {@code grant_type=aws_identity}. A client without an item is off,
 * which is the default. Items are realm components: realm JSON carries them under
 * {@code components."org.keycloak.services.ui.extend.UiPageProvider"} with {@code providerId}
 * {@value #ID} and config {@code clientId}.
 *
 * <p>Why a page and not a client attribute: Keycloak's client pages show no custom attributes, so
 * an attribute could be set in realm JSON but neither seen nor changed in the console. The switch
 * is independent of "Direct access grants" (which stays off for AWS clients: it enables the
 * password grant).
 */
public class AwsIdentityClientsPage implements UiPageProviderFactory<ComponentModel> {

    /** The page's id: its name in the console's navigation and its components' provider id. */
    public static final String ID = "aws-identity-clients";

    /** The one field of an item: the client's Client ID (not its internal id). */
    public static final String CLIENT_ID = "clientId";

    /** The component type of every admin-console page item. */
    static final String COMPONENT_TYPE = UiPageProvider.class.getName();

    @Override
    public String getId() {
        return ID;
    }

    @Override
    public String getHelpText() {
        return "Clients that may use grant_type=aws_identity, one item each. A client without an item is refused "
                + "(unauthorized_client). Independent of Direct access grants, which AWS clients do not need.";
    }

    @Override
    public List<ProviderConfigProperty> getConfigProperties() {
        return ProviderConfigurationBuilder.create()
                .property().name(CLIENT_ID).label("Client ID").type(ProviderConfigProperty.STRING_TYPE)
                .helpText("The Client ID of a client of this realm, e.g. aws-workload.")
                .add().build();
    }

    /** Columns of the page's item list. */
    @Override
    public Map<String, Object> getTypeMetadata() {
        return Map.of("displayFields", List.of(CLIENT_ID));
    }

    /**
     * Refuses an item without a Client ID, or a second item for the same client. An item naming no
     * existing client is accepted (the client may be created later, or the realm imported in an
     * order where components come first); it switches nothing on until that client exists.
     *
     * @throws ComponentValidationException with a message naming the field
     */
    @Override
    public void validateConfiguration(KeycloakSession session, RealmModel realm, ComponentModel model) {
        String clientId = clientIdOf(model);
        if (clientId == null) {
            throw new ComponentValidationException("Client ID is required: the Client ID of the client to switch on");
        }
        boolean twice = realm.getComponentsStream(realm.getId(), COMPONENT_TYPE)
                .filter(other -> ID.equals(other.getProviderId()) && !Objects.equals(other.getId(), model.getId()))
                .anyMatch(other -> clientId.equals(clientIdOf(other)));
        if (twice) {
            throw new ComponentValidationException("This client already has an item on this page");
        }
    }

    /**
     * Whether {@code realm} has an item switching on the client with this Client ID.
     *
     * @param realm    the realm
     * @param clientId the client's Client ID
     * @return true when an item names it
     */
    static boolean switchedOn(RealmModel realm, String clientId) {
        return clientId != null && realm.getComponentsStream(realm.getId(), COMPONENT_TYPE)
                .anyMatch(item -> ID.equals(item.getProviderId()) && clientId.equals(clientIdOf(item)));
    }

    /** The item's Client ID, trimmed; null when absent or blank. */
    private static String clientIdOf(ComponentModel item) {
        String value = item.get(CLIENT_ID);
        return value == null || value.isBlank() ? null : value.trim();
    }

    @Override
    public void init(Config.Scope config) {
    }

    /**
     * Registers the clean-up of a deleted client's item. The switch names a client by its Client
     * ID: an item left behind would switch on a client created later under the same Client ID (by
     * anyone allowed to create clients, e.g. dynamic client registration with an initial access
     * token), so the item goes with its client, in the deleting transaction.
     *
     * @param factory Keycloak's session factory, whose provider events carry client removals
     */
    @Override
    public void postInit(KeycloakSessionFactory factory) {
        factory.register(event -> {
            if (event instanceof ClientModel.ClientRemovedEvent removed) {
                ClientModel client = removed.getClient();
                RealmModel realm = client.getRealm();
                realm.getComponentsStream(realm.getId(), COMPONENT_TYPE)
                        .filter(item -> ID.equals(item.getProviderId()) && client.getClientId().equals(clientIdOf(item)))
                        .toList()
                        .forEach(realm::removeComponent);
            }
        });
    }

    @Override
    public void close() {
    }
}
