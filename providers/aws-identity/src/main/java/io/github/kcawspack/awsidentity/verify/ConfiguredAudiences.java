package io.github.kcawspack.awsidentity.verify;

import io.github.kcawspack.awsidentity.AwsIdentityRejection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Step "audiences from configuration": the X-Keycloak-Audience values this realm accepts are the
 * issuer URL of the configured hostname and the realm's extra audiences, never a URL derived from
 * the request's Host or forwarded headers. Where Keycloak's hostname is not fixed ({@code start-dev},
 * {@code --hostname-strict=false}, a proxy forwarding headers), its issuer follows the request: a
 * request signed for {@code http://sso.other.example/realms/demo} and sent with
 * {@code Host: sso.other.example} would name "this" realm, and a proof meant for another server could
 * be replayed here. So with neither a fixed hostname nor an extra audience, the grant is refused
 * with an error that names the settings.
 */
public final class ConfiguredAudiences {

    static final String NOT_CONFIGURED = "aws_identity needs a configured audience: start Keycloak with --hostname "
            + "(or set this realm's Frontend URL), or set Extra audiences in the realm's AWS identity settings";

    private ConfiguredAudiences() {
    }

    /**
     * @param issuerOfConfiguredHostname this realm's issuer URL, present only when the hostname it is
     *                                   built from is fixed by configuration (server {@code --hostname}
     *                                   or the realm's Frontend URL)
     * @param extraAudiences             the realm's configured extra audiences
     */
    public static Set<String> of(Optional<String> issuerOfConfiguredHostname, List<String> extraAudiences) {
        Set<String> audiences = new LinkedHashSet<>();
        issuerOfConfiguredHostname.ifPresent(audiences::add);
        audiences.addAll(extraAudiences);
        if (audiences.isEmpty()) {
            throw AwsIdentityRejection.unauthorizedClient("audience_not_configured", NOT_CONFIGURED);
        }
        return audiences;
    }
}
