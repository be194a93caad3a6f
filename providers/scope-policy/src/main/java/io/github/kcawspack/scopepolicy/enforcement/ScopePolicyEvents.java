package io.github.kcawspack.scopepolicy.enforcement;

import java.util.Collection;
import org.keycloak.OAuthErrorException;
import org.keycloak.events.Details;
import org.keycloak.events.EventBuilder;

/** What the policy did, on Keycloak's events: operators audit withheld and refused scopes there. */
public final class ScopePolicyEvents {

    public static final String WITHHELD_SCOPES = "withheld_scopes";
    public static final String REASON = "scope_policy";
    /** Event reason: the realm's policy cannot be read, so nothing was issued. */
    public static final String UNAVAILABLE_REASON = "scope_policy_unavailable";
    /** Event detail: why the policy cannot be read (field and problem; operators read it, clients never see it). */
    public static final String PROBLEM = "scope_policy_problem";

    private ScopePolicyEvents() {
    }

    /** Filter mode: the event of the successful login will carry what was left out. */
    public static void withheld(EventBuilder event, Collection<String> scopes) {
        event.detail(WITHHELD_SCOPES, String.join(" ", scopes));
    }

    /** Reject mode: records the failed request. */
    public static void rejected(EventBuilder event, Collection<String> scopes) {
        if (!scopes.isEmpty()) {
            event.detail(WITHHELD_SCOPES, String.join(" ", scopes));
        }
        event.detail(Details.REASON, REASON).error(OAuthErrorException.INVALID_SCOPE);
    }

    /**
     * The policy could not be read: records the failed request with the reason, for the operator.
     *
     * @param event   the request's event
     * @param problem what is wrong with the policy, as {@code RealmScopePolicy.Unavailable} says it
     */
    public static void unavailable(EventBuilder event, String problem) {
        event.detail(Details.REASON, UNAVAILABLE_REASON).detail(PROBLEM, problem).error(OAuthErrorException.SERVER_ERROR);
    }
}
