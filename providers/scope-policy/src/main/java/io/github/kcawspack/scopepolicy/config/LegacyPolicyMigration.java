package io.github.kcawspack.scopepolicy.config;

import io.github.kcawspack.scopepolicy.model.ScopePolicy;
import io.github.kcawspack.scopepolicy.model.ScopePolicyJson;
import io.github.kcawspack.scopepolicy.model.ScopeRule;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;
import org.keycloak.component.ComponentModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.models.RequiredActionConfigModel;
import org.keycloak.models.RequiredActionProviderModel;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.models.utils.PostMigrationEvent;
import org.keycloak.provider.ProviderEvent;

/**
 * Moves a realm's policy from the JSON string of earlier versions (the required action's config
 * key {@value #LEGACY_KEY}) to realm components: one rule item per rule, one settings item whose
 * {@code enabled} is whether the action was enabled (a disabled action meant "no policy"). Runs at
 * every start for every realm and on every realm import (console, admin REST, {@code --import-realm}),
 * logs one line per realm it touches, and takes the string out of the action's config only once the
 * components read back to the same policy.
 *
 * <p>A string that cannot be migrated (invalid JSON, a rule for a scope the realm lacks) is left
 * where it is and logged; {@link RealmScopePolicy} then refuses the realm's tokens, as earlier
 * versions did for an invalid policy. A realm that has both the string and components refuses tokens
 * until the string is removed (which of the two was meant cannot be told); it keeps its
 * components: they win, and the string is left unused in the config (logged at every start).
 */
public final class LegacyPolicyMigration {

    /** The required action's config key that held the policy JSON before issue 16. */
    public static final String LEGACY_KEY = "policy";

    private static final Logger LOG = Logger.getLogger(LegacyPolicyMigration.class);

    private LegacyPolicyMigration() {
    }

    /**
     * Migrates at start (after Keycloak's own model migration), each realm in its own transaction
     * so that one realm's problem never stops another's, and on every realm import.
     *
     * @param event   any provider event; others are ignored
     * @param factory the session factory, for the start-time transactions
     */
    public static void onEvent(ProviderEvent event, KeycloakSessionFactory factory) {
        if (event instanceof PostMigrationEvent) {
            List<String> realmIds = new ArrayList<>();
            KeycloakModelUtils.runJobInTransaction(factory, session -> session.realms().getRealmsStream()
                    .forEach(realm -> realmIds.add(realm.getId())));
            for (String id : realmIds) {
                KeycloakModelUtils.runJobInTransaction(factory, session -> {
                    RealmModel realm = session.realms().getRealm(id);
                    session.getContext().setRealm(realm);
                    migrate(session, realm);
                });
            }
        } else if (event instanceof RealmModel.RealmPostCreateEvent created) {
            migrate(created.getKeycloakSession(), created.getCreatedRealm());
        }
    }

    /**
     * @param realm a realm
     * @return whether the realm's action is enabled and still holds a policy string (unmigrated)
     */
    static boolean pending(RealmModel realm) {
        return action(realm).filter(RequiredActionProviderModel::isEnabled).flatMap(a -> legacyJson(realm, a)).isPresent();
    }

    /**
     * Migrates one realm, if it holds a policy string.
     *
     * @param session the session whose transaction the components are written in
     * @param realm   the realm
     * @return whether components were written
     */
    public static boolean migrate(KeycloakSession session, RealmModel realm) {
        Optional<RequiredActionProviderModel> action = action(realm);
        Optional<String> json = action.flatMap(a -> legacyJson(realm, a));
        if (json.isEmpty()) {
            return false;
        }
        if (!RealmScopePolicy.items(realm, ScopeRulePageFactory.PROVIDER_ID).isEmpty()
                || !RealmScopePolicy.items(realm, PolicySettingsPageFactory.PROVIDER_ID).isEmpty()) {
            LOG.warnf("Realm %s holds its restricted scope policy both as components (the %s and %s pages) and as a JSON string in "
                            + "the required action's config: it refuses tokens until the string is removed from the action's config "
                            + "(then the components are the policy)", realm.getName(), ScopeRulePageFactory.PROVIDER_ID,
                    PolicySettingsPageFactory.PROVIDER_ID);
            return false;
        }
        ScopePolicy policy;
        try {
            policy = ScopePolicyJson.parse(json.get());
            policy.requireScopesAmong(RealmScopePolicy.clientScopeNames(realm));
        } catch (IllegalArgumentException e) {
            LOG.errorf("Realm %s: its restricted scope policy (a JSON string in the required action's config) cannot be migrated "
                    + "to components: %s. It is left as it is and the realm refuses tokens while the action is enabled; fix the "
                    + "string, or create the rules on the %s page", realm.getName(), e.getMessage(), ScopeRulePageFactory.PROVIDER_ID);
            return false;
        }
        boolean enabled = action.get().isEnabled();
        PolicySettings settings = new PolicySettings(enabled, policy.defaultMode(), policy.strict(), policy.allowedGrantTypes());
        components(realm.getId(), settings, policy.rules()).forEach(realm::addComponentModel);
        requireSamePolicy(realm, policy, settings);
        removeLegacyJson(realm, action.get());
        LOG.infof("Realm %s: migrated its restricted scope policy from the required action's JSON string to %d item(s) on the %s page "
                        + "and one on the %s page (enabled: %s)", realm.getName(), policy.rules().size(), ScopeRulePageFactory.PROVIDER_ID,
                PolicySettingsPageFactory.PROVIDER_ID, enabled);
        return true;
    }

    /** Nothing is lost: the components must read back to the policy the string described, or nothing is committed. */
    private static void requireSamePolicy(RealmModel realm, ScopePolicy policy, PolicySettings settings) {
        List<ScopeRule> read = RealmScopePolicy.items(realm, ScopeRulePageFactory.PROVIDER_ID).stream().map(RuleComponent::toRule).toList();
        List<ComponentModel> settingsItems = RealmScopePolicy.items(realm, PolicySettingsPageFactory.PROVIDER_ID);
        if (!count(read).equals(count(policy.rules())) || settingsItems.size() != 1 || !PolicySettings.from(settingsItems.get(0)).equals(settings)) {
            throw new IllegalStateException("restricted scope policy of realm " + realm.getName()
                    + " does not read back equal after migration; nothing was migrated");
        }
    }

    /** Rules as a multiset: the order of rules never changes a decision, and components come back in any order. */
    private static Map<ScopeRule, Integer> count(List<ScopeRule> rules) {
        Map<ScopeRule, Integer> counts = new HashMap<>();
        rules.forEach(rule -> counts.merge(rule, 1, Integer::sum));
        return counts;
    }

    /**
     * A policy as the console stores it: the settings item first, then one item per rule.
     *
     * @param realmId  the id of the realm the items belong to
     * @param settings the policy-level settings
     * @param rules    the rules
     * @return components ready to add to the realm (without ids)
     */
    public static List<ComponentModel> components(String realmId, PolicySettings settings, List<ScopeRule> rules) {
        List<ComponentModel> components = new ArrayList<>();
        components.add(component(realmId, PolicySettingsPageFactory.PROVIDER_ID, "settings", settings.toConfig()));
        for (ScopeRule rule : rules) {
            components.add(component(realmId, ScopeRulePageFactory.PROVIDER_ID, rule.scope(), RuleComponent.toConfig(rule)));
        }
        return components;
    }

    private static ComponentModel component(String realmId, String providerId, String name,
                                            org.keycloak.common.util.MultivaluedHashMap<String, String> config) {
        ComponentModel model = new ComponentModel();
        model.setParentId(realmId);
        model.setProviderType(RealmScopePolicy.PAGE_TYPE);
        model.setProviderId(providerId);
        model.setName(name);
        model.setConfig(config);
        return model;
    }

    private static Optional<RequiredActionProviderModel> action(RealmModel realm) {
        return realm.getRequiredActionProvidersStream()
                .filter(model -> RealmScopePolicy.REQUIRED_ACTION_ID.equals(model.getProviderId()))
                .findFirst();
    }

    private static Optional<String> legacyJson(RealmModel realm, RequiredActionProviderModel action) {
        RequiredActionConfigModel config = realm.getRequiredActionConfigByAlias(action.getAlias());
        String json = config == null ? null : config.getConfigValue(LEGACY_KEY);
        return json == null || json.isBlank() ? Optional.empty() : Optional.of(json);
    }

    private static void removeLegacyJson(RealmModel realm, RequiredActionProviderModel action) {
        RequiredActionConfigModel config = realm.getRequiredActionConfigByAlias(action.getAlias());
        Map<String, String> rest = new HashMap<>(config.getConfig());
        rest.remove(LEGACY_KEY);
        if (rest.isEmpty()) {
            // The action has no other settings: the whole config goes (an update keeps stored keys).
            realm.removeRequiredActionProviderConfig(config);
        } else {
            config.setConfig(rest);
            realm.updateRequiredActionConfig(config);
        }
    }
}
