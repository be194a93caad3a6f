package io.github.kcawspack.it.harness;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import java.net.URI;
import java.util.Set;

/**
 * Verifies access tokens the way a resource server would: signature against the realm's JWKS,
 * issuer, expiry. Anything else (a token signed elsewhere, a stale one) throws.
 */
public final class TokenVerifier {

    private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();

    /** Made by {@link KeycloakServer#tokens(String)}; tests get it from there or from {@link KeycloakExtension}. */
    TokenVerifier(KeycloakServer server, String realm) {
        this(server.realmUrl(realm));
    }

    /** For a realm of a Keycloak the harness did not start: {@code issuer} is the realm's URL. */
    public TokenVerifier(String issuer) {
        try {
            JWKSet keys = JWKSet.load(URI.create(issuer + "/protocol/openid-connect/certs").toURL());
            processor.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.RS256, new ImmutableJWKSet<>(keys)));
        } catch (Exception e) {
            throw new IllegalStateException("Cannot load the JWKS of " + issuer, e);
        }
        processor.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(
                new JWTClaimsSet.Builder().issuer(issuer).build(),
                Set.of("sub", "iat", "exp", "jti")));
    }

    /** The claims of a token that verified; throws if it does not. */
    public JWTClaimsSet verify(String token) {
        try {
            return processor.process(token, null);
        } catch (Exception e) {
            throw new AssertionError("Token did not verify against the realm's JWKS: " + e.getMessage(), e);
        }
    }
}
