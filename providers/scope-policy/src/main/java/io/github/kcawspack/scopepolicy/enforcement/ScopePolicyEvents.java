package io.github.kcawspack.scopepolicy.enforcement;

import java.util.Collection;
import org.keycloak.OAuthErrorException;
import org.keycloak.events.Details;
import org.keycloak.events.EventBuilder;

/** What the policy did, on Keycloak's events: operators audit withheld and refused scopes there. */
public final class ScopePolicyEvents {

    public static final String WITHHELD_SCOPES = "withheld_scopes";
    public static final String REASON = "scope_policy";

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
}
