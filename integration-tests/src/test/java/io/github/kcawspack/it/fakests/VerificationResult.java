package io.github.kcawspack.it.fakests;

import java.util.Optional;

/**
 * The outcome of {@link SigV4Verifier#verify}: either the access key id that signed the request,
 * or the AWS error to answer.
 */
public record VerificationResult(Optional<String> accessKeyId, Optional<CredentialScope> scope,
        Optional<AwsError> error) {

    static VerificationResult ok(AuthorizationHeader authorization) {
        return new VerificationResult(Optional.of(authorization.accessKeyId()), Optional.of(authorization.scope()),
                Optional.empty());
    }

    static VerificationResult failed(AwsError error, AuthorizationHeader authorization) {
        return new VerificationResult(Optional.empty(),
                Optional.ofNullable(authorization).map(AuthorizationHeader::scope), Optional.of(error));
    }

    public boolean isOk() {
        return error.isEmpty();
    }

    /** The error code, or "OK": convenient in assertions and logs. */
    public String code() {
        return error.map(AwsError::code).orElse("OK");
    }

    @Override
    public String toString() {
        return isOk() ? "OK(" + accessKeyId.orElseThrow() + ")" : error.orElseThrow().toString();
    }
}
