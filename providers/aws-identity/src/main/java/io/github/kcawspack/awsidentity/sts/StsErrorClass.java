package io.github.kcawspack.awsidentity.sts;

import java.util.Optional;
import java.util.Set;

/**
 * What an STS error means for the client: its signed request did not prove an identity
 * ({@link #INVALID_CREDENTIALS}, OAuth {@code invalid_grant}), or STS could not answer and the
 * same request may succeed later ({@link #UNAVAILABLE}, HTTP 503 {@code temporarily_unavailable}).
 */
public enum StsErrorClass {
    INVALID_CREDENTIALS,
    UNAVAILABLE;

    /**
     * Throttling and AWS-side failures. Checked before the status because STS reports throttling
     * as HTTP 400, the status of a client error.
     */
    private static final Set<String> UNAVAILABLE_CODES = Set.of(
            "Throttling", "ThrottlingException", "ThrottledException", "RequestThrottled",
            "RequestThrottledException", "TooManyRequestsException", "RequestLimitExceeded", "SlowDown",
            "PriorRequestNotComplete", "ServiceUnavailable", "ServiceUnavailableException", "InternalFailure",
            "InternalError", "InternalServiceError", "RequestTimeout", "RequestTimeoutException");

    /**
     * @param httpStatus STS's status for an answer that was not a success
     * @param code the {@code Code} from {@link StsErrorResponseParser#errorCode}, if it had one
     */
    public static StsErrorClass classify(int httpStatus, Optional<String> code) {
        if (code.isPresent() && UNAVAILABLE_CODES.contains(code.get())) {
            return UNAVAILABLE;
        }
        if (httpStatus == 408 || httpStatus == 429 || httpStatus >= 500) {
            return UNAVAILABLE;
        }
        if (httpStatus >= 400) {
            // SignatureDoesNotMatch, IncompleteSignature, InvalidClientTokenId, ExpiredToken,
            // RequestExpired, AccessDenied, MissingAuthenticationToken, ... and any other Sender error.
            return INVALID_CREDENTIALS;
        }
        // 1xx/3xx (redirects are not followed): something between us and STS misbehaves, not the caller.
        return UNAVAILABLE;
    }
}
