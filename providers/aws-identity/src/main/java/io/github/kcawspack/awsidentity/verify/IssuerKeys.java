package io.github.kcawspack.awsidentity.verify;

import io.github.kcawspack.awsidentity.settings.WebIdentityIssuer;
import com.fasterxml.jackson.databind.JsonNode;
import org.keycloak.connections.httpclient.HttpClientProvider;
import org.keycloak.crypto.KeyWrapper;
import org.keycloak.jose.jwk.JSONWebKeySet;
import org.keycloak.jose.jwk.JWK;
import org.keycloak.keys.PublicKeyLoader;
import org.keycloak.keys.PublicKeyStorageProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.util.JWKSUtils;
import org.keycloak.util.JsonSerialization;

/**
 * The signing keys of a configured AWS issuer, through Keycloak's {@link PublicKeyStorageProvider}:
 * it caches each issuer's key set (bounded in time), reloads it when a token names an unknown
 * {@code kid} at most once per its minimum interval (so unknown kids cause no fetch storm), and
 * keeps the cached keys when a reload fails. The loader reads the issuer's OpenID Connect
 * discovery document ({@code <issuer>/.well-known/openid-configuration}, OpenID Connect Discovery
 * 1.0 section 4), which must name the configured issuer (section 4.3), and the {@code jwks_uri}
 * it names, over Keycloak's HTTP client (its proxy, timeouts and trust store apply).
 *
 * <p>A key found in the cache is used without any fetch, so tokens signed with a cached key keep
 * working while the issuer is unreachable. Keycloak's storage records a fetch only when it
 * succeeds: while the issuer is down, each token whose key is not cached tries once more.
 */
final class IssuerKeys {

    private static final String MODEL_KEY_PREFIX = "aws-web-identity::";

    private IssuerKeys() {
    }

    /**
     * @param session   the request's session
     * @param issuer    the configured issuer (never one read from a token)
     * @param kid       the token header's key id
     * @param algorithm the token header's algorithm, already allow-listed
     * @return the key, or null when the issuer's key set (fetched now or cached) has none with that
     *         kid and algorithm
     * @throws KeysUnavailableException when no cached key fits and the key set could not be fetched
     */
    static KeyWrapper key(KeycloakSession session, WebIdentityIssuer issuer, String kid, String algorithm) {
        PublicKeyStorageProvider storage = session.getProvider(PublicKeyStorageProvider.class);
        try {
            return storage.getPublicKey(MODEL_KEY_PREFIX + issuer.issuer(), kid, algorithm, loader(session, issuer.issuer()));
        } catch (RuntimeException e) {
            // Keycloak's storage wraps whatever the loader threw; only the innermost class is
            // passed on: an HTTP error's message may quote the issuer's answer.
            Throwable cause = e;
            while (cause.getCause() != null && cause.getCause() != cause) {
                cause = cause.getCause();
            }
            throw new KeysUnavailableException(cause.getClass().getSimpleName());
        }
    }

    /** The key set could not be fetched (issuer unreachable, an error status, not a key set) and no cached key fits. */
    static final class KeysUnavailableException extends RuntimeException {
        KeysUnavailableException(String what) {
            super(what, null, false, false);
        }
    }

    private static PublicKeyLoader loader(KeycloakSession session, String issuer) {
        return () -> {
            HttpClientProvider http = session.getProvider(HttpClientProvider.class);
            String discoveryUrl = issuer.replaceAll("/+$", "") + "/.well-known/openid-configuration";
            JsonNode discovery = JsonSerialization.mapper.readTree(http.getString(discoveryUrl));
            if (!issuer.equals(discovery.path("issuer").asText(null))) {
                throw new IllegalStateException("the discovery document of " + issuer + " names another issuer");
            }
            String jwksUri = WebIdentityIssuer.requireUrl(discovery.path("jwks_uri").asText(null), "jwks_uri");
            JSONWebKeySet jwks = JsonSerialization.readValue(http.getString(jwksUri), JSONWebKeySet.class);
            return JWKSUtils.getKeyWrappersForUse(jwks, JWK.Use.SIG);
        };
    }
}
