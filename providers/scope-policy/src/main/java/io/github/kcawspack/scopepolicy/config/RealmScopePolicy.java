package io.github.kcawspack.scopepolicy.config;

import io.github.kcawspack.scopepolicy.model.ScopePolicy;
import io.github.kcawspack.scopepolicy.model.ScopeRule;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;
import org.keycloak.component.ComponentModel;
import org.keycloak.models.ClientScopeModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.services.ui.extend.UiPageProvider;

/**
 * The one place a realm's policy is read: its realm components, one per rule on the console page
 * {@value ScopeRulePageFactory#PROVIDER_ID} and at most one settings item on
 * {@value PolicySettingsPageFactory#PROVIDER_ID}. Every enforcement point (the login's required
 * action, the narrowing grants, the token judge) reads it here, so the console is the policy that
 * holds everywhere. Keycloak's realm cache keeps the components; what is kept here is only the
 * policy read from them for the rest of one request ({@link #of(KeycloakSession, RealmModel)}):
 * a token request passes two or three enforcement points, and each reading the rules anew cost
 * about 4 % of an {@code aws_identity} request's CPU (docs/benchmark.md). No request sees a policy
 * older than its own start, and the next request reads the components again.
 *
 * <p>A realm with neither has no policy, unless it still holds the JSON string of earlier
 * versions that could not be migrated ({@link LegacyPolicyMigration}). Whatever cannot be read
 * (a rule imported with an invalid field, a rule whose client scope was deleted since, two
 * settings items, an unmigrated JSON string) fails closed: the enforcement points refuse to issue
 * tokens rather than issue them unrestricted, and the reason is logged and carried by the error.
 */
public final class RealmScopePolicy {

    /** The id of the required action "Restricted scope policy", which applies the policy at login. */
    public static final String REQUIRED_ACTION_ID = "restricted-scope-policy";

    /** The page providers' component type. */
    static final String PAGE_TYPE = UiPageProvider.class.getName();

    private static final Logger LOG = Logger.getLogger(RealmScopePolicy.class);

    /** The policy could not be read; no token may be issued under it. The message says why, never a secret. */
    public static final class Unavailable extends RuntimeException {
        Unavailable(String realm, String problem) {
            super("restricted scope policy of realm " + realm + " is invalid: " + problem);
        }
    }

    private RealmScopePolicy() {
    }

    /** What one request read: the policy, or why it cannot be read. */
    private record Read(Optional<ScopePolicy> policy, Unavailable unavailable) {
    }

    /**
     * The realm's policy as every enforcement point of one request sees it: read once per request
     * (per {@link KeycloakSession}) and realm, so all points of a request judge by the same policy.
     *
     * @param session the request's session, which keeps what was read until the request ends
     * @param realm   the realm whose policy applies
     * @return the realm's policy; empty when it has none or its settings switch it off
     * @throws Unavailable when it has one that cannot be read (logged once per request)
     */
    public static Optional<ScopePolicy> of(KeycloakSession session, RealmModel realm) {
        String key = RealmScopePolicy.class.getName() + ":" + realm.getId();
        Read read = session.getAttribute(key, Read.class);
        if (read == null) {
            try {
                read = new Read(of(realm), null);
            } catch (Unavailable e) {
                read = new Read(Optional.empty(), e);
            }
            session.setAttribute(key, read);
        }
        if (read.unavailable() != null) {
            throw read.unavailable();
        }
        return read.policy();
    }

    /**
     * Reads the realm's policy from its components, every time it is called.
     *
     * @param realm the realm whose policy applies
     * @return the realm's policy; empty when it has none or its settings switch it off
     * @throws Unavailable when it has one that cannot be read (logged here, once per call)
     */
    static Optional<ScopePolicy> of(RealmModel realm) {
        List<ComponentModel> settings = items(realm, PolicySettingsPageFactory.PROVIDER_ID);
        List<ComponentModel> rules = items(realm, ScopeRulePageFactory.PROVIDER_ID);
        if (settings.isEmpty() && rules.isEmpty()) {
            if (LegacyPolicyMigration.pending(realm)) {
                throw refuse(realm, "the policy is still a JSON string in the required action's config (it could not be migrated "
                        + "to the console pages; the server log says why): fix it or create the rules on the "
                        + ScopeRulePageFactory.PROVIDER_ID + " page");
            }
            return Optional.empty();
        }
        if (LegacyPolicyMigration.pending(realm)) {
            // Which of two policies an operator meant cannot be told: a realm file carrying the
            // settings item without its rules next to an old string would otherwise be unrestricted.
            throw refuse(realm, "it holds its policy both as items of the " + ScopeRulePageFactory.PROVIDER_ID + " / "
                    + PolicySettingsPageFactory.PROVIDER_ID + " pages and as a JSON string in the required action's config: "
                    + "remove the string from the action's config, then the items are the policy");
        }
        if (settings.size() > 1) {
            throw refuse(realm, "it has " + settings.size() + " items on the " + PolicySettingsPageFactory.PROVIDER_ID
                    + " page; keep one");
        }
        PolicySettings parsed;
        try {
            parsed = settings.isEmpty() ? PolicySettings.DEFAULTS : PolicySettings.from(settings.get(0));
        } catch (IllegalArgumentException e) {
            throw refuse(realm, PolicySettingsPageFactory.PROVIDER_ID + ": " + e.getMessage());
        }
        if (!parsed.enabled()) {
            return Optional.empty();
        }
        Set<String> scopes = clientScopeNames(realm);
        List<ScopeRule> read = new ArrayList<>();
        for (ComponentModel item : rules) {
            try {
                read.add(rule(item, scopes));
            } catch (IllegalArgumentException e) {
                throw refuse(realm, "rule " + item.getId() + ": " + e.getMessage());
            }
        }
        return Optional.of(new ScopePolicy(read, parsed.mode(), parsed.strict(), parsed.allowedGrantTypes()));
    }

    /**
     * Reads one rule item as the console saves it and checks it against the realm: the page's
     * validation on save and the reading above are this one method.
     *
     * @param item        a rule component
     * @param realmScopes the names of the realm's client scopes
     * @return the rule
     * @throws IllegalArgumentException naming the field (its console label) and the problem
     */
    static ScopeRule rule(ComponentModel item, Set<String> realmScopes) {
        ScopeRule rule = RuleComponent.toRule(item);
        try {
            rule.requireScopeAmong(realmScopes);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(RuleProperties.SCOPE_LABEL + ": " + e.getMessage());
        }
        return rule;
    }

    /** The items of one page in {@code realm}. */
    static List<ComponentModel> items(RealmModel realm, String providerId) {
        return realm.getComponentsStream(realm.getId(), PAGE_TYPE)
                .filter(component -> providerId.equals(component.getProviderId()))
                .toList();
    }

    static Set<String> clientScopeNames(RealmModel realm) {
        return realm.getClientScopesStream().map(ClientScopeModel::getName).collect(Collectors.toSet());
    }

    static Unavailable refuse(RealmModel realm, String problem) {
        LOG.errorf("Refusing tokens in realm %s: its restricted scope policy cannot be read (%s)", realm.getName(), problem);
        return new Unavailable(realm.getName(), problem);
    }
}
