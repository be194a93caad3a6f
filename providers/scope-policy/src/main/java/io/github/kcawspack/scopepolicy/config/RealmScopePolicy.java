package io.github.kcawspack.scopepolicy.config;

import io.github.kcawspack.scopepolicy.model.ScopePolicy;
import io.github.kcawspack.scopepolicy.model.ScopePolicyJson;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;
import org.keycloak.models.ClientScopeModel;
import org.keycloak.models.RealmModel;
import org.keycloak.models.RequiredActionConfigModel;
import org.keycloak.models.RequiredActionProviderModel;

/**
 * The one place a realm's policy lives: the configuration of the realm's "Restricted scope
 * policy" required action. Every enforcement point (login, client credentials, refresh) reads it
 * here, so the console screen an operator edits is the policy that holds everywhere.
 *
 * <p>A realm without the action, or with it disabled, has no policy. An enabled action without a
 * policy, or a policy that does not pass the console's validation (possible only through an import
 * or a partial admin REST update), fails closed:
 * the enforcement points refuse to issue tokens rather than issue them unrestricted.
 */
public final class RealmScopePolicy {

    public static final String PROVIDER_ID = "restricted-scope-policy";
    public static final String POLICY = "policy";

    private static final Logger LOG = Logger.getLogger(RealmScopePolicy.class);

    /** Parsed policies by realm id, reused while the configured JSON is unchanged. */
    private static final Map<String, Parsed> CACHE = new ConcurrentHashMap<>();

    private record Parsed(String json, ScopePolicy policy) {
    }

    /** The policy could not be read; no token may be issued under it. */
    public static final class Unavailable extends RuntimeException {
        Unavailable(String realm, String problem) {
            super("restricted scope policy of realm " + realm + " is invalid: " + problem);
        }
    }

    private RealmScopePolicy() {
    }

    public static Optional<ScopePolicy> of(RealmModel realm) {
        Optional<RequiredActionProviderModel> action = realm.getRequiredActionProvidersStream()
                .filter(model -> PROVIDER_ID.equals(model.getProviderId()))
                .findFirst();
        if (action.isEmpty() || !action.get().isEnabled()) {
            return Optional.empty();
        }
        RequiredActionConfigModel config = realm.getRequiredActionConfigByAlias(action.get().getAlias());
        String json = config == null ? null : config.getConfigValue(POLICY);
        if (json == null || json.isBlank()) {
            // Enabled means protected: an action whose policy was wiped (a partial admin REST
            // update drops the config) must not silently open every scope.
            LOG.errorf("Refusing tokens in realm %s: the restricted scope policy action is enabled but holds no policy; "
                    + "save a policy or disable the action", realm.getName());
            throw new Unavailable(realm.getName(), "the action is enabled but holds no policy");
        }
        return Optional.of(parse(realm, json));
    }

    /**
     * Reads a policy as the console saves it: the documented JSON, naming only client scopes that
     * exist in {@code realm}.
     *
     * @throws IllegalArgumentException with a message that names the rule and the problem, never
     *                                  the input itself
     */
    public static ScopePolicy validated(RealmModel realm, String json) {
        ScopePolicy policy = ScopePolicyJson.parse(json);
        policy.requireScopesAmong(clientScopeNames(realm));
        return policy;
    }

    private static Set<String> clientScopeNames(RealmModel realm) {
        return realm.getClientScopesStream().map(ClientScopeModel::getName).collect(Collectors.toSet());
    }

    private static ScopePolicy parse(RealmModel realm, String json) {
        Parsed cached = CACHE.get(realm.getId());
        if (cached != null && cached.json().equals(json)) {
            return cached.policy();
        }
        try {
            ScopePolicy policy = ScopePolicyJson.parse(json);
            policy.requireScopesAmong(clientScopeNames(realm));
            CACHE.put(realm.getId(), new Parsed(json, policy));
            return policy;
        } catch (IllegalArgumentException e) {
            LOG.errorf("Refusing tokens in realm %s: its restricted scope policy is invalid (%s)", realm.getName(), e.getMessage());
            throw new Unavailable(realm.getName(), e.getMessage());
        }
    }
}
