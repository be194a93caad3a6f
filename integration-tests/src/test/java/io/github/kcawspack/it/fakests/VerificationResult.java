package io.github.kcawspack.it.fakests;

import java.util.Optional;

/**
 * The outcome of {@link SigV4Verifier#verify}: either the access key id that signed the request,
 * or the AWS error to answer.
 *
 * <p>When the verifier got as far as computing them, the canonical request and the string to sign
 * are kept for diagnostics and tests (AWS prints them in some SignatureDoesNotMatch messages too);
 * they never contain a secret.
 */
public record VerificationResult(Optional<String> accessKeyId, Optional<CredentialScope> scope,
        Optional<AwsError> error, Optional<String> canonicalRequest, Optional<String> stringToSign) {

    static VerificationResult ok(AuthorizationHeader authorization, String canonicalRequest, String stringToSign) {
        return new VerificationResult(Optional.of(authorization.accessKeyId()), Optional.of(authorization.scope()),
                Optional.empty(), Optional.of(canonicalRequest), Optional.of(stringToSign));
    }

    static VerificationResult failed(AwsError error, AuthorizationHeader authorization,
            String canonicalRequest, String stringToSign) {
        return new VerificationResult(Optional.empty(),
                Optional.ofNullable(authorization).map(AuthorizationHeader::scope), Optional.of(error),
                Optional.ofNullable(canonicalRequest), Optional.ofNullable(stringToSign));
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
