package io.github.kcawspack.it.harness;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * A realm's login page reached the way a user reaches it: a {@link Browser} sent to the realm's
 * authorization endpoint with an authorization request (RFC 6749 section 4.1.1 for
 * {@code response_type=code}, 4.2.1 for {@code token}; OpenID Connect Core 1.0 section 3.1.2.1),
 * Keycloak's sign-in form filled in by {@link Browser#signIn}, and the parameters Keycloak sends back
 * to the client's redirect URI read from the address bar. It keeps no browser, cookies or tokens:
 * each call takes the test's browser. {@link KeycloakExtension} resolves the demo realm's; another
 * realm's comes from {@link KeycloakServer#loginPage(String)}.
 */
public final class LoginPage {

    private final KeycloakServer server;
    private final String realm;

    LoginPage(KeycloakServer server, String realm) {
        this.server = server;
        this.realm = realm;
    }

    /**
     * The authorization request URL: the realm's authorization endpoint with {@code parameters}
     * URL-encoded as a query, in their iteration order.
     */
    public String authorizationUrl(Map<String, String> parameters) {
        return server.authorizationEndpoint(realm) + "?" + OAuthClient.formEncode(parameters);
    }

    /**
     * Sends {@code browser} to the authorization endpoint with {@code response_type}, {@code client_id},
     * {@code redirect_uri}, {@code scope}, {@code state} and a fresh random {@code nonce} (which
     * OpenID Connect requires for {@code response_type=token} and allows for {@code code}). A browser
     * without a session then shows Keycloak's login page; one with a session goes on to consent or to
     * the redirect URI.
     */
    public void authorize(Browser browser, String clientId, String redirectUri, String responseType, String scope,
                          String state) {
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("response_type", responseType);
        parameters.put("client_id", clientId);
        parameters.put("redirect_uri", redirectUri);
        parameters.put("scope", scope);
        parameters.put("state", state);
        parameters.put("nonce", UUID.randomUUID().toString());
        browser.open(authorizationUrl(parameters));
    }

    /**
     * As {@link #authorize}, then signs in as {@code username} on the login page and returns once the
     * browser has left it (on the consent page, a required action's page, or the redirect URI).
     */
    public void signIn(Browser browser, String clientId, String redirectUri, String responseType, String scope,
                       String state, String username, String password) {
        authorize(browser, clientId, redirectUri, responseType, scope, state);
        browser.signIn(username, password);
    }

    /**
     * Waits until {@code browser} is at {@code redirectUri} and returns the parameters Keycloak sent
     * there: those of the fragment when it has one (response types with {@code token}, RFC 6749
     * section 4.2.2), otherwise those of the query ({@code code}, section 4.1.2; errors, 4.1.2.1).
     */
    public static Map<String, String> awaitRedirect(Browser browser, String redirectUri) {
        URI url = URI.create(browser.awaitUrl(address -> address.startsWith(redirectUri)));
        return OAuthClient.decodeParameters(url.getRawFragment() != null ? url.getRawFragment() : url.getRawQuery());
    }
}
