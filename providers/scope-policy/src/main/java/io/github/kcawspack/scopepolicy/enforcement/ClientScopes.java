package io.github.kcawspack.scopepolicy.enforcement;

import io.github.kcawspack.scopepolicy.model.Requester;
import io.github.kcawspack.scopepolicy.model.ScopePolicy;
import org.keycloak.models.ClientModel;

/** Runs the {@link ScopeGate} with a Keycloak client's own default and optional scopes. */
public final class ClientScopes {

    private ClientScopes() {
    }

    public static GateResult evaluate(ScopePolicy policy, ClientModel client, String scopeParameter, Requester requester) {
        return ScopeGate.evaluate(policy, client.getClientId(), client.getClientScopes(true).keySet(),
                client.getClientScopes(false).keySet(), scopeParameter, requester);
    }
}
