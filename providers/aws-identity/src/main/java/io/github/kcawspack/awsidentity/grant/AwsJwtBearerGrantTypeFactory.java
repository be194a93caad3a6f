package io.github.kcawspack.awsidentity.grant;

import io.github.kcawspack.awsidentity.settings.WebIdentityIssuer;
import io.github.kcawspack.awsidentity.verify.WebIdentityTokenVerifier;
import io.github.kcawspack.awsidentity.ProviderLinkage;
import java.time.Clock;
import java.time.Duration;
import org.keycloak.Config;
import org.keycloak.models.KeycloakSession;
import org.keycloak.protocol.oidc.grants.JWTAuthorizationGrantTypeFactory;
import org.keycloak.protocol.oidc.grants.OAuth2GrantType;

/**
 * Takes the place of Keycloak's JWT authorization grant factory (same id,
 * {@code urn:ietf:params:oauth:grant-type:jwt-bearer}: Keycloak lets a deployed provider replace
 * a built-in one; only one provider per grant type exists) and creates {@link AwsJwtBearerGrantType},
 * which keeps Keycloak's behaviour for every issuer that is not a configured AWS one. Supported,
 * as Keycloak's, only where the feature {@code jwt-authorization-grant} is enabled (on by default
 * from Keycloak 26.6; a preview to switch on in 26.5).
 */
public class AwsJwtBearerGrantTypeFactory extends JWTAuthorizationGrantTypeFactory {

    private WebIdentityTokenVerifier verifier;

    @Override
    public OAuth2GrantType create(KeycloakSession session) {
        return new AwsJwtBearerGrantType(verifier);
    }

    /**
     * @param config this factory's scope, unused; Keycloak's {@code hostname} and
     *               {@code publicKeyStorage} scopes are read
     */
    @Override
    public void init(Config.Scope config) {
        ProviderLinkage.require();
        super.init(config);
        // Keycloak's --hostname, read where its hostname provider reads it (as aws_identity does).
        String hostname = Config.scope("hostname", "v2").get("hostname");
        // Keycloak's public-key storage's minimum time between two fetches of one key set, read where
        // that provider reads it (spi-public-key-storage-infinispan-min-time-between-requests): the
        // same pause then follows a failed fetch of an AWS issuer's keys.
        int retrySeconds = Config.scope("publicKeyStorage", "infinispan").getInt("minTimeBetweenRequests",
                (int) WebIdentityTokenVerifier.DEFAULT_KEY_RETRY_INTERVAL.toSeconds());
        verifier = new WebIdentityTokenVerifier(Clock.systemUTC(), hostname != null && !hostname.isBlank(),
                Duration.ofSeconds(retrySeconds));
    }
}
