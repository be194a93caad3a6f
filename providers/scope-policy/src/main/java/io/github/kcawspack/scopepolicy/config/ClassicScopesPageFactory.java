package io.github.kcawspack.scopepolicy.config;

import io.github.kcawspack.scopepolicy.model.ScopeSemantics;
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
 * The console page {@value #PROVIDER_ID}: one item per client whose {@code scope} parameter
 * follows RFC 6749 section 3.3 (or "always the defaults") instead of Keycloak's default client
 * scopes. Fields: the client's Client ID, the semantics ({@code keycloak}, {@code rfc6749},
 * {@code always-defaults}) and the default scopes, which must be optional client scopes of that
 * client. Keycloak calls {@link #validateConfiguration} on every create and update through the
 * console or the admin REST API, so an item {@link RealmClassicScopes} could not read is refused
 * there; an item is deleted with its client.
 */
public class ClassicScopesPageFactory implements UiPageProviderFactory<UiPageProvider> {

    /** The page's id: its name in the console's navigation and its components' provider id. */
    public static final String PROVIDER_ID = "classic-scope-semantics";

    public static final String CLIENT_ID = "clientId";
    public static final String SEMANTICS = "semantics";
    public static final String DEFAULT_SCOPES = "defaultScopes";

    static final String CLIENT_ID_LABEL = "Client ID";
    static final String SEMANTICS_LABEL = "Semantics";
    static final String DEFAULT_SCOPES_LABEL = "Default scopes";

    @Override
    public String getId() {
        return PROVIDER_ID;
    }

    @Override
    public String getHelpText() {
        return "Scope semantics of the OAuth2 servers this pack replaces (RFC 6749 section 3.3), one item per client: "
                + "a request without scope gets the default scopes listed here, a request naming scopes gets those "
                + "(rfc6749), or every request gets the defaults (always-defaults). Restricted-scope rules then judge "
                + "the defaults like requested scopes. Keycloak's default client scopes of the client (basic, roles...) "
                + "stay as they are.";
    }

    @Override
    public List<ProviderConfigProperty> getConfigProperties() {
        return ProviderConfigurationBuilder.create()
                .property().name(CLIENT_ID).label(CLIENT_ID_LABEL).type(ProviderConfigProperty.STRING_TYPE).required(true)
                .helpText("The Client ID of a client of this realm, e.g. api-client.")
                .add()
                .property().name(SEMANTICS).label(SEMANTICS_LABEL).type(ProviderConfigProperty.LIST_TYPE)
                .options(ScopeSemantics.RFC6749.word(), ScopeSemantics.ALWAYS_DEFAULTS.word(), ScopeSemantics.KEYCLOAK.word())
                .defaultValue(ScopeSemantics.RFC6749.word())
                .helpText("rfc6749: a request naming none of the client's optional scopes (no scope, or only openid) gets "
                        + "the default scopes; a request naming scopes gets exactly those. always-defaults: every request "
                        + "gets the default scopes, whatever it names (IGNORE_CLIENT_REQUESTED_SCOPE). keycloak: unchanged.")
                .add()
                .property().name(DEFAULT_SCOPES).label(DEFAULT_SCOPES_LABEL).type(ProviderConfigProperty.MULTIVALUED_STRING_TYPE)
                .helpText("Client scopes a request gets by default, e.g. read, write, groups. Each must be an optional "
                        + "client scope of the client (its Client scopes tab).")
                .add()
                .build();
    }

    /** The list's columns. */
    @Override
    public Map<String, Object> getTypeMetadata() {
        return Map.of("displayFields", List.of(CLIENT_ID, SEMANTICS, DEFAULT_SCOPES));
    }

    /**
     * Refuses an item whose client does not exist, that a second item of the same client
     * precedes, whose semantics are unknown, or whose default scopes are not optional client
     * scopes of the client.
     *
     * @throws ComponentValidationException whose message starts with the label of the field at fault
     */
    @Override
    public void validateConfiguration(KeycloakSession session, RealmModel realm, ComponentModel model) {
        String clientId = clientIdOf(model);
        if (clientId == null) {
            throw RuleProperties.validationError(CLIENT_ID_LABEL + ": required, the Client ID of a client of this realm");
        }
        ClientModel client = realm.getClientByClientId(clientId);
        if (client == null) {
            throw RuleProperties.validationError(CLIENT_ID_LABEL + ": client '" + clientId + "' does not exist in this realm");
        }
        boolean twice = RealmScopePolicy.items(realm, PROVIDER_ID).stream()
                .anyMatch(other -> !Objects.equals(other.getId(), model.getId()) && clientId.equals(clientIdOf(other)));
        if (twice) {
            throw RuleProperties.validationError(CLIENT_ID_LABEL + ": client '" + clientId + "' already has an item on this page");
        }
        try {
            RealmClassicScopes.read(model, RealmClassicScopes.optionalScopes(client));
        } catch (IllegalArgumentException e) {
            throw RuleProperties.validationError(e.getMessage());
        }
    }

    /** The item's Client ID, trimmed; null when absent or blank. */
    static String clientIdOf(ComponentModel item) {
        String value = item.get(CLIENT_ID);
        return value == null || value.isBlank() ? null : value.trim();
    }

    @Override
    public void init(Config.Scope config) {
    }

    /**
     * Deletes a client's item with the client: left behind, it would give a client created later
     * under the same Client ID semantics nobody chose for it.
     *
     * @param factory Keycloak's session factory, whose provider events carry client removals
     */
    @Override
    public void postInit(KeycloakSessionFactory factory) {
        factory.register(event -> {
            if (event instanceof ClientModel.ClientRemovedEvent removed) {
                ClientModel client = removed.getClient();
                RealmModel realm = client.getRealm();
                RealmScopePolicy.items(realm, PROVIDER_ID).stream()
                        .filter(item -> client.getClientId().equals(clientIdOf(item)))
                        .toList()
                        .forEach(realm::removeComponent);
            }
        });
    }

    @Override
    public void close() {
    }
}
