package io.github.kcawspack.awsidentity.verify;

import io.github.kcawspack.awsidentity.AwsIdentityRejection;
import java.util.Optional;

/**
 * Step "audience": a request signed for another realm or server must not work here. Without
 * this, any service that receives a signed GetCallerIdentity from a workload (to log it in
 * there) could replay it to this realm and obtain tokens as that workload.
 */
public final class AudienceCheck {

    private AudienceCheck() {
    }

    /** Returns the audience the request was signed for, if any. */
    public static Optional<String> check(SignedHeaders headers, SigV4Authorization authorization, VerificationSettings settings) {
        Optional<String> audience = headers.get(HeaderPolicy.AUDIENCE);
        if (audience.isEmpty()) {
            if (settings.requireAudience()) {
                throw AwsIdentityRejection.invalidGrant("audience_missing",
                        "the request must be signed with an X-Keycloak-Audience header naming this realm");
            }
            return audience;
        }
        // A present audience is checked even where not required: it states the client's intent.
        if (!authorization.signs(HeaderPolicy.AUDIENCE)) {
            throw AwsIdentityRejection.invalidGrant("audience_not_signed", "X-Keycloak-Audience must be a signed header");
        }
        if (!settings.audiences().contains(audience.get())) {
            throw AwsIdentityRejection.invalidGrant("audience_mismatch",
                    "the request was signed for another audience than this realm");
        }
        return audience;
    }
}
