package io.github.kcawspack.scopepolicy.login;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.keycloak.forms.login.LoginFormsProvider;
import org.keycloak.models.ClientModel;
import org.keycloak.models.ClientScopeModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.sessions.AuthenticationSessionModel;

/**
 * Tells the consent page which asked-for scopes the policy withholds, so the user sees them as not
 * granted. Kept in the authentication session because the page may be shown in a later request
 * (after other required actions), when the scope parameter is already narrowed and the policy
 * has nothing left to withhold.
 */
final class WithheldScopesOnConsent {

    /** Model attribute the pack's login-oauth-grant.ftl renders. */
    static final String ATTRIBUTE = "withheldScopes";
    /** Model attribute: the login's token will be refused, not narrowed (a device login). */
    static final String REFUSED_ATTRIBUTE = "withheldScopesRefused";
    private static final String REFUSED_NOTE = "scope_policy.withheld_refused";

    /** One note, "scope|reason-kind" entries separated by spaces (neither contains a space). */
    private static final String NOTE = "scope_policy.withheld";

    private WithheldScopesOnConsent() {
    }

    /**
     * @param refused the token cannot be narrowed and will be refused (the page says so before the
     *                user approves)
     */
    static void remember(AuthenticationSessionModel authSession, Map<String, String> withheld, boolean refused) {
        if (refused) {
            authSession.setAuthNote(REFUSED_NOTE, "true");
        }
        Map<String, String> all = remembered(authSession);
        withheld.forEach((scope, reason) -> all.put(scope, reasonKind(reason)));
        authSession.setAuthNote(NOTE, all.entrySet().stream()
                .map(e -> e.getKey() + "|" + e.getValue())
                .collect(java.util.stream.Collectors.joining(" ")));
    }

    /** Hands the remembered scopes to this request's login forms, in the client's words. */
    static void show(KeycloakSession session, AuthenticationSessionModel authSession) {
        ClientModel client = authSession.getClient();
        Map<String, ClientScopeModel> scopes = new LinkedHashMap<>(client.getClientScopes(false));
        scopes.putAll(client.getClientScopes(true));
        List<Map<String, String>> shown = new ArrayList<>();
        remembered(authSession).forEach((name, kind) -> {
            ClientScopeModel scope = scopes.get(name);
            if (scope != null && scope.isDisplayOnConsentScreen()) {
                String text = scope.getConsentScreenText();
                shown.add(Map.of("consentScreenText", text == null || text.isBlank() ? scope.getName() : text,
                        "reason", "${consent.withheld.reason." + kind + "}"));
            }
        });
        if (!shown.isEmpty()) {
            LoginFormsProvider forms = session.getProvider(LoginFormsProvider.class);
            forms.setAttribute(ATTRIBUTE, shown);
            forms.setAttribute(REFUSED_ATTRIBUTE, authSession.getAuthNote(REFUSED_NOTE) != null);
        }
    }

    private static Map<String, String> remembered(AuthenticationSessionModel authSession) {
        Map<String, String> entries = new LinkedHashMap<>();
        String note = authSession.getAuthNote(NOTE);
        if (note != null) {
            for (String entry : note.split(" ")) {
                int bar = entry.lastIndexOf('|');
                if (bar > 0) {
                    entries.put(entry.substring(0, bar), entry.substring(bar + 1));
                }
            }
        }
        return entries;
    }

    /**
     * The user learns the kind of reason in their language, not the rule: role and group names
     * are the operator's business.
     */
    private static String reasonKind(String reason) {
        if (reason.startsWith("not available through")) {
            return "grant";
        }
        if (reason.startsWith("not covered")) {
            return "notCovered";
        }
        return "requirement";
    }
}
