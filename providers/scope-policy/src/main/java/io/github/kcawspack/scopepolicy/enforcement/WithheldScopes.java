package io.github.kcawspack.scopepolicy.enforcement;

import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;
import org.keycloak.models.AuthenticatedClientSessionModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.sessions.AuthenticationSessionModel;

/**
 * The scopes the pack left out of a request's scope parameter, remembered for the token judge.
 * Under RFC 6749 scope semantics (section 3.3, page classic-scope-semantics) a request that named
 * only scopes the policy withholds ends with no optional scope, and without this record the judge
 * could not tell that token from one whose path skipped the client's defaults: it would refuse a
 * request the policy only narrowed.
 *
 * <p>A login keeps them as an authentication-session client note, which Keycloak copies into the
 * client session, where the code exchange and later refreshes read it; a token-endpoint grant keeps
 * them on the request's {@link KeycloakSession}, which ends with the request. Only the pack writes
 * either, and the judge uses them only to expect fewer scopes, never more. Every OIDC login
 * rewrites the record, so an SSO re-login never inherits an earlier login's.
 */
public final class WithheldScopes {

    /** Client note and session attribute name. */
    public static final String NOTE = "scope_policy.withheld";

    private WithheldScopes() {
    }

    /**
     * Records a login's withheld scopes. Written also when nothing was withheld: Keycloak copies the
     * note into an existing client session on an SSO re-login, and an empty value is what replaces
     * an earlier login's record there (a removed note would leave it).
     */
    public static void rememberForLogin(AuthenticationSessionModel authSession, Collection<String> withheld) {
        authSession.setClientNote(NOTE, String.join(" ", withheld));
    }

    /** Records a token request's withheld scopes for the rest of this request. */
    public static void rememberForRequest(KeycloakSession session, Collection<String> withheld) {
        session.setAttribute(NOTE, Set.copyOf(withheld));
    }

    /**
     * @param clientSession the client session the token is built from (may be null)
     * @return the scope names withheld from the request the token answers: this request's record
     *         when a token-endpoint grant made one, otherwise the client session's note; empty if none
     */
    public static Set<String> of(KeycloakSession session, AuthenticatedClientSessionModel clientSession) {
        Set<?> requested = session.getAttribute(NOTE, Set.class);
        if (requested != null) {
            Set<String> names = new LinkedHashSet<>();
            requested.forEach(name -> names.add(String.valueOf(name)));
            return names;
        }
        String note = clientSession == null ? null : clientSession.getNote(NOTE);
        if (note == null || note.isBlank()) {
            return Set.of();
        }
        return new LinkedHashSet<>(Arrays.asList(note.trim().split(" +")));
    }
}
