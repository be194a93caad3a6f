package io.github.kcawspack.scopepolicy.config;

import io.github.kcawspack.scopepolicy.model.ClassicScopes;
import io.github.kcawspack.scopepolicy.model.ScopeSemantics;
import java.util.List;
import java.util.Set;
import org.keycloak.component.ComponentModel;
import org.keycloak.models.ClientModel;
import org.keycloak.models.RealmModel;

/**
 * The one place a client's scope semantics are read: the items of the console page
 * {@value ClassicScopesPageFactory#PROVIDER_ID}, one per client. A client without an item keeps
 * Keycloak's semantics. An item that can no longer be read (its client lost one of the listed
 * optional scopes since it was saved, two items for one client) fails closed: the enforcement
 * points refuse the client's tokens with server_error rather than issue other scopes than the
 * operator configured.
 */
public final class RealmClassicScopes {

    private RealmClassicScopes() {
    }

    /**
     * @param realm  the client's realm
     * @param client the client a token is for
     * @return its semantics and default scopes; {@link ClassicScopes#KEYCLOAK} without an item
     * @throws RealmScopePolicy.Unavailable when its item cannot be read (logged, the reason in the message)
     */
    public static ClassicScopes of(RealmModel realm, ClientModel client) {
        List<ComponentModel> items = RealmScopePolicy.items(realm, ClassicScopesPageFactory.PROVIDER_ID).stream()
                .filter(item -> client.getClientId().equals(ClassicScopesPageFactory.clientIdOf(item)))
                .toList();
        if (items.isEmpty()) {
            return ClassicScopes.KEYCLOAK;
        }
        if (items.size() > 1) {
            throw RealmScopePolicy.refuse(realm, ClassicScopesPageFactory.PROVIDER_ID + ": client " + client.getClientId()
                    + " has " + items.size() + " items; keep one");
        }
        try {
            return read(items.get(0), optionalScopes(client));
        } catch (IllegalArgumentException e) {
            throw RealmScopePolicy.refuse(realm, ClassicScopesPageFactory.PROVIDER_ID + " item of client " + client.getClientId()
                    + ": " + e.getMessage());
        }
    }

    /** Names of the client's optional client scopes (Keycloak's own, by its API). */
    public static Set<String> optionalScopes(ClientModel client) {
        return client.getClientScopes(false).keySet();
    }

    /**
     * Reads an item and checks it against its client: the page's validation on save and the
     * reading above are this one method.
     *
     * @param item           an item of the page
     * @param optionalScopes names of the optional client scopes of the client it names
     * @throws IllegalArgumentException naming the field (its console label) and the problem
     */
    static ClassicScopes read(ComponentModel item, Set<String> optionalScopes) {
        ScopeSemantics semantics;
        try {
            semantics = ScopeSemantics.parse(item.get(ClassicScopesPageFactory.SEMANTICS));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(ClassicScopesPageFactory.SEMANTICS_LABEL + ": " + e.getMessage());
        }
        List<String> defaults;
        try {
            defaults = RuleComponent.values(item.getConfig(), ClassicScopesPageFactory.DEFAULT_SCOPES).stream().distinct().toList();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(ClassicScopesPageFactory.DEFAULT_SCOPES_LABEL + ": " + e.getMessage());
        }
        for (String scope : defaults) {
            if (!optionalScopes.contains(scope)) {
                throw new IllegalArgumentException(ClassicScopesPageFactory.DEFAULT_SCOPES_LABEL + ": scope '" + scope
                        + "' is not an optional client scope of the client (add it under the client's Client scopes tab as Optional)");
            }
        }
        if (semantics != ScopeSemantics.KEYCLOAK && defaults.isEmpty()) {
            throw new IllegalArgumentException(ClassicScopesPageFactory.DEFAULT_SCOPES_LABEL + ": name at least one scope for "
                    + semantics.word());
        }
        return new ClassicScopes(semantics, defaults);
    }
}
