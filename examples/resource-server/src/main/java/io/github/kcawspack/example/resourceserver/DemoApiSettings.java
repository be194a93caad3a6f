package io.github.kcawspack.example.resourceserver;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The example's settings, {@code demo-api.*} (defaults in {@code application.properties}).
 *
 * @param issuer       the realm's issuer URL, e.g. {@code http://localhost:8080/realms/demo}: tokens
 *                     must name it in {@code iss}; the JWKS ({@code /protocol/openid-connect/certs})
 *                     and the introspection endpoint ({@code /protocol/openid-connect/token/introspect})
 *                     are found under it
 * @param audience     the client id this API is in Keycloak ({@code demo-api}); a token whose
 *                     {@code aud} does not name it is refused (RFC 9068 section 4, RFC 8707)
 * @param validation   how a token is checked: {@link Validation#JWT} offline against the realm's
 *                     JWKS, or {@link Validation#INTROSPECTION} by asking Keycloak (RFC 7662)
 * @param clientId     the client the API authenticates as at the introspection endpoint
 * @param clientSecret that client's secret (introspection only)
 * @param clockSkew    how far past {@code exp} (and before {@code nbf}) an offline-checked token
 *                     is still accepted, for clocks that differ between Keycloak and the API
 */
@ConfigurationProperties("demo-api")
public record DemoApiSettings(String issuer, String audience, Validation validation,
        String clientId, String clientSecret, Duration clockSkew) {

    /** How tokens are validated; chosen once, at startup. */
    public enum Validation {
        /** Signature against the realm's JWKS, {@code iss}, {@code aud}, {@code typ}, {@code exp}: no call to Keycloak per request. */
        JWT,
        /** RFC 7662 introspection per request: Keycloak answers {@code active} and the claims. */
        INTROSPECTION
    }

    /** @return the realm's JWK Set URL (Keycloak's {@code jwks_uri}) */
    String jwkSetUri() {
        return issuer + "/protocol/openid-connect/certs";
    }

    /** @return the realm's RFC 7662 introspection endpoint (Keycloak's {@code introspection_endpoint}) */
    String introspectionUri() {
        return issuer + "/protocol/openid-connect/token/introspect";
    }
}
