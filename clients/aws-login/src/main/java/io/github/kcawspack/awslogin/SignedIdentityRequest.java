package io.github.kcawspack.awslogin;

import java.util.Objects;

/**
 * The parts of a signed, unsent {@code sts:GetCallerIdentity} request that the {@code aws_identity}
 * grant takes as the form parameters {@code region}, {@code post_body} and {@code headers_json}.
 *
 * <p>{@code headersJson} carries the SigV4 signature and, for temporary credentials, the session
 * token: {@link #toString()} redacts both so that the record can be logged.
 */
public record SignedIdentityRequest(String region, String postBody, String headersJson) {

    public SignedIdentityRequest {
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(postBody, "postBody");
        Objects.requireNonNull(headersJson, "headersJson");
    }

    @Override
    public String toString() {
        return "SignedIdentityRequest[region=" + region + ", postBody=" + postBody
                + ", headersJson=" + SecretRedaction.redactHeadersJson(headersJson) + "]";
    }
}
