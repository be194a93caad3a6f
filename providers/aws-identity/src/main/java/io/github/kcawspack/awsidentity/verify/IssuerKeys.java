package io.github.kcawspack.awsidentity.verify;

import io.github.kcawspack.awsidentity.settings.WebIdentityIssuer;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
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
 * The signing keys of the configured AWS issuers, through Keycloak's {@link PublicKeyStorageProvider}:
 * it caches each issuer's key set (bounded in time), reloads it when a token names an unknown
 * {@code kid} at most once per its minimum interval (so unknown kids cause no fetch storm), and
 * keeps the cached keys when a reload fails. The loader reads the issuer's OpenID Connect
 * discovery document ({@code <issuer>/.well-known/openid-configuration}, OpenID Connect Discovery
 * 1.0 section 4), which must name the configured issuer (section 4.3), and the {@code jwks_uri}
 * it names, over Keycloak's HTTP client (its proxy, timeouts and trust store apply).
 *
 * <p>A key found in the cache is used without any fetch, so tokens signed with a cached key keep
 * working while the issuer is unreachable. Keycloak's storage records only fetches that succeed,
 * so while an issuer is unreachable it would let every token whose key is not cached try again.
 * This class adds what it lacks: after a failed fetch, no new attempt for that issuer until the
 * retry interval has passed (one request then tries, the rest keep being answered from the cache
 * or refused with {@link KeysUnavailableException} without a fetch); a successful fetch ends it.
 * The failure times live in this object, which one provider factory owns for the server's life:
 * they are per cluster node (each node may try once per interval), kept for configured issuers
 * only (never an issuer read from a token), and held only while an issuer is failing.
 *
 * <p>Thread-safe.
 */
final class IssuerKeys {

    private static final String MODEL_KEY_PREFIX = "aws-web-identity::";

    private final Clock clock;
    private final Duration retryInterval;
    /** Configured issuer URL to the start of its last failed fetch; absent while its last fetch succeeded. */
    private final Map<String, Instant> lastFailure = new ConcurrentHashMap<>();

    /**
     * @param clock         the time failures are recorded and compared at
     * @param retryInterval how long after a failed fetch of an issuer's key set no new attempt is
     *                      made (the same interval Keycloak's storage keeps between successful ones)
     */
    IssuerKeys(Clock clock, Duration retryInterval) {
        this.clock = clock;
        this.retryInterval = retryInterval;
    }

    /**
     * @param session   the request's session
     * @param issuer    the configured issuer (never one read from a token)
     * @param kid       the token header's key id
     * @param algorithm the token header's algorithm, already allow-listed
     * @return the key, or null when the issuer's key set (fetched now or cached) has none with that
     *         kid and algorithm
     * @throws KeysUnavailableException when no cached key fits and the key set could not be fetched
     *         now or, within the retry interval after a failed fetch, was not fetched again
     */
    KeyWrapper key(KeycloakSession session, WebIdentityIssuer issuer, String kid, String algorithm) {
        String url = issuer.issuer();
        PublicKeyLoader loader = mayFetch(url) ? fetching(session, url) : () -> {
            throw new NotFetched("not retried within " + retryInterval.toSeconds() + " s of a failed fetch");
        };
        PublicKeyStorageProvider storage = session.getProvider(PublicKeyStorageProvider.class);
        try {
            return storage.getPublicKey(MODEL_KEY_PREFIX + url, kid, algorithm, loader);
        } catch (RuntimeException e) {
            // Keycloak's storage wraps what the loader threw. Only this class's own "could not
            // fetch" becomes KeysUnavailableException (a 503); anything else is a bug and stays one.
            for (Throwable cause = e; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
                if (cause instanceof NotFetched notFetched) {
                    throw new KeysUnavailableException(notFetched.getMessage());
                }
            }
            throw e;
        }
    }

    /**
     * Whether this request may fetch: the issuer's last fetch did not fail, or failed at least
     * {@link #retryInterval} ago and no other request has claimed the retry since (the claim moves
     * the failure time to now, so that one request per interval tries).
     */
    private boolean mayFetch(String url) {
        Instant failed = lastFailure.get(url);
        if (failed == null) {
            return true;
        }
        Instant now = clock.instant();
        return !now.isBefore(failed.plus(retryInterval)) && lastFailure.replace(url, failed, now);
    }

    private PublicKeyLoader fetching(KeycloakSession session, String issuer) {
        return () -> {
            try {
                JSONWebKeySet keys = fetch(session.getProvider(HttpClientProvider.class), issuer);
                lastFailure.remove(issuer);
                return JWKSUtils.getKeyWrappersForUse(keys, JWK.Use.SIG);
            } catch (NotFetched e) {
                lastFailure.put(issuer, clock.instant());
                throw e;
            }
        };
    }

    /**
     * @return the issuer's key set
     * @throws NotFetched when the issuer cannot be reached, answers an error status, or its
     *         documents are not what OpenID Connect Discovery names (the cause's class is the only
     *         detail kept: an HTTP error's message may quote the issuer's answer)
     */
    private static JSONWebKeySet fetch(HttpClientProvider http, String issuer) throws NotFetched {
        try {
            String discoveryUrl = issuer.replaceAll("/+$", "") + "/.well-known/openid-configuration";
            JsonNode discovery = JsonSerialization.mapper.readTree(http.getString(discoveryUrl));
            if (discovery == null || !issuer.equals(discovery.path("issuer").asText(null))) {
                throw new NotFetched("the discovery document names another issuer");
            }
            String jwksUri;
            try {
                jwksUri = WebIdentityIssuer.requireUrl(discovery.path("jwks_uri").asText(null), "jwks_uri");
            } catch (IllegalArgumentException e) {
                throw new NotFetched("the discovery document's jwks_uri is not an accepted URL");
            }
            JSONWebKeySet keys = JsonSerialization.readValue(http.getString(jwksUri), JSONWebKeySet.class);
            if (keys == null || keys.getKeys() == null) {
                throw new NotFetched("the jwks_uri answer is not a key set");
            }
            return keys;
        } catch (IOException e) {
            // Keycloak's HTTP client: unreachable, timed out, an error status; Jackson: not JSON
            throw new NotFetched(e.getClass().getSimpleName());
        }
    }

    /** The key set could not be fetched (or, after a failed fetch, was not tried again) and no cached key fits. */
    static final class KeysUnavailableException extends RuntimeException {
        KeysUnavailableException(String what) {
            super(what, null, false, false);
        }
    }

    /** Thrown by this class's loaders; the one failure of a loader that means "could not fetch". */
    private static final class NotFetched extends Exception {
        NotFetched(String what) {
            super(what, null, false, false);
        }
    }
}
