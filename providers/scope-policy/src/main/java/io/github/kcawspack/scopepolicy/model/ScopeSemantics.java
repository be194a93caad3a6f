package io.github.kcawspack.scopepolicy.model;

import java.util.Arrays;

/**
 * How a client's requested {@code scope} parameter turns into the client scopes of its tokens.
 *
 * <p>Keycloak adds a client's <em>default</em> client scopes to every request and its
 * <em>optional</em> ones when asked for. The OAuth2 servers this pack replaces follow RFC 6749
 * section 3.3 instead: a request without {@code scope} gets the client's default scopes, a
 * request naming scopes gets those and no others (django-oauth-toolkit, django-oauth2-server's
 * {@code is_default}), or always the defaults whatever is asked (django-oauth2-server's
 * {@code IGNORE_CLIENT_REQUESTED_SCOPE}).
 */
public enum ScopeSemantics {
    /** Keycloak's own: nothing changes. */
    KEYCLOAK("keycloak"),
    /** RFC 6749 section 3.3: a request naming none of the client's optional scopes gets the listed defaults. */
    RFC6749("rfc6749"),
    /** Every request gets exactly the listed defaults, whichever optional scopes it names. */
    ALWAYS_DEFAULTS("always-defaults");

    private final String word;

    ScopeSemantics(String word) {
        this.word = word;
    }

    /** The semantics as the console and realm JSON write them. */
    public String word() {
        return word;
    }

    /**
     * @param value {@code keycloak}, {@code rfc6749} or {@code always-defaults}
     * @return the semantics
     * @throws IllegalArgumentException for anything else, without echoing the value
     */
    public static ScopeSemantics parse(String value) {
        String trimmed = value == null ? "" : value.trim();
        return Arrays.stream(values()).filter(s -> s.word.equals(trimmed)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("semantics must be keycloak, rfc6749 or always-defaults"));
    }
}
