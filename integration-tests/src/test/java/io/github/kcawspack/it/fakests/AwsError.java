package io.github.kcawspack.it.fakests;

/**
 * An error as AWS STS reports it: the {@code Code} of its {@code ErrorResponse}, the HTTP status it
 * comes with, and a message worded like AWS's.
 *
 * <p>Statuses are the ones STS documents (Common Errors and the GetCallerIdentity reference):
 * malformed signatures are client errors (400), anything about who is calling is 403.
 */
public record AwsError(String code, int httpStatus, String message) {

    public static AwsError incompleteSignature(String message) {
        return new AwsError("IncompleteSignature", 400, message);
    }

    public static AwsError signatureDoesNotMatch(String message) {
        return new AwsError("SignatureDoesNotMatch", 403, message);
    }

    /** What STS says for an unknown access key id and for a session token that does not belong to it. */
    public static AwsError invalidClientTokenId() {
        return new AwsError("InvalidClientTokenId", 403, "The security token included in the request is invalid.");
    }

    public static AwsError expiredToken() {
        return new AwsError("ExpiredToken", 403, "The security token included in the request is expired");
    }

    public static AwsError missingAuthenticationToken() {
        return new AwsError("MissingAuthenticationToken", 403, "Request is missing Authentication Token");
    }

    /** Anything else the fake refuses about the request itself (method, path, content type, body). */
    public static AwsError badRequest(String code, String message) {
        return new AwsError(code, 400, message);
    }

    /** The first sentence AWS puts in every SignatureDoesNotMatch for a wrong signature. */
    static final String WRONG_SIGNATURE_MESSAGE = "The request signature we calculated does not match the"
            + " signature you provided. Check your AWS Secret Access Key and signing method."
            + " Consult the service documentation for details.";
}
