package io.github.kcawspack.awsidentity.verify;

import io.github.kcawspack.awsidentity.AwsIdentityRejection;
import java.util.Set;

/**
 * Step "validate body": the signed body must be exactly a GetCallerIdentity call. Comparing the
 * whole string (in either parameter order) leaves no room for extra, repeated, re-encoded or
 * case-variant parameters that STS might read differently from us.
 */
public final class RequestBodyCheck {

    static final Set<String> ACCEPTED = Set.of(
            "Action=GetCallerIdentity&Version=2011-06-15",
            "Version=2011-06-15&Action=GetCallerIdentity");

    private RequestBodyCheck() {
    }

    public static void check(String postBody) {
        if (postBody == null || !ACCEPTED.contains(postBody)) {
            throw AwsIdentityRejection.invalidRequest("body_not_get_caller_identity",
                    "post_body must be exactly Action=GetCallerIdentity&Version=2011-06-15");
        }
    }
}
