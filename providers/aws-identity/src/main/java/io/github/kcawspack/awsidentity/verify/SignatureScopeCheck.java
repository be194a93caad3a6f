package io.github.kcawspack.awsidentity.verify;

import io.github.kcawspack.awsidentity.AwsIdentityRejection;

/**
 * Step "validate signature metadata": the signature was made for STS in the requested region
 * and covers every header whose value matters to us, so STS's verdict covers them too.
 */
public final class SignatureScopeCheck {

    static final String SERVICE = "sts";

    private SignatureScopeCheck() {
    }

    public static void check(SigV4Authorization authorization, SignedHeaders headers, StsEndpoint endpoint) {
        if (!authorization.region().equals(endpoint.region())) {
            throw AwsIdentityRejection.invalidGrant("credential_scope_region_mismatch",
                    "the request was signed for another region than " + endpoint.region());
        }
        if (!authorization.service().equals(SERVICE)) {
            throw AwsIdentityRejection.invalidGrant("credential_scope_service_mismatch",
                    "the request was signed for another service than sts");
        }
        requireSigned(authorization, HeaderPolicy.HOST);
        requireSigned(authorization, HeaderPolicy.X_AMZ_DATE);
        if (headers.contains(HeaderPolicy.X_AMZ_SECURITY_TOKEN)) {
            requireSigned(authorization, HeaderPolicy.X_AMZ_SECURITY_TOKEN);
        }
        for (String signed : authorization.signedHeaders()) {
            if (!headers.contains(signed)) {
                throw AwsIdentityRejection.invalidGrant("signed_header_missing",
                        "SignedHeaders names " + signed + ", which headers_json does not contain");
            }
        }
    }

    static void requireSigned(SigV4Authorization authorization, String header) {
        if (!authorization.signs(header)) {
            throw AwsIdentityRejection.invalidGrant("header_not_signed", "header " + header + " must be signed");
        }
    }
}
