package io.github.kcawspack.it.fakests;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Verifies an AWS Signature Version 4 ({@code Authorization} header form) the way an AWS service
 * does. The signature itself is checked as getmoto/moto does with botocore
 * ({@code moto/iam/access_control.py}, {@code _calculate_signature}): the received request is signed
 * again with the AWS SDK for Java v2's own SigV4 code ({@link SdkResigning}), with the secret issued
 * for the access key and the request's own X-Amz-Date, and the two signatures are compared in
 * constant time. What this class adds is what the SDK does not do on the receiving side: the AWS
 * error codes, in AWS's order.
 *
 * <p>Order of checks, each one answering with the AWS error code STS uses:
 * <ol>
 * <li>an {@code Authorization} header is there ({@code MissingAuthenticationToken}) and parses
 *     ({@code IncompleteSignature}, see {@link AuthorizationHeader});</li>
 * <li>{@code host} and {@code x-amz-date} are signed, {@code X-Amz-Date} is one well-formed
 *     timestamp ({@code IncompleteSignature});</li>
 * <li>the credential scope ends in {@code aws4_request}, names the expected service, and its date is
 *     X-Amz-Date's date; X-Amz-Date is within 15 minutes of now ({@code SignatureDoesNotMatch},
 *     which is how STS reports "Signature expired");</li>
 * <li>the access key id is known, the session token is exactly the one issued with it (and signed),
 *     not expired ({@code InvalidClientTokenId}, {@code ExpiredToken});</li>
 * <li>every signed header is present and the signature over the canonical request equals the one
 *     sent, compared in constant time ({@code SignatureDoesNotMatch}).</li>
 * </ol>
 *
 * <p>Deliberately stricter than AWS in three places, all of which only reject: the session token
 * must be signed (AWS lets some services take it unsigned), SignedHeaders must be sorted and unique,
 * and presigned URLs (query-string authentication) are not supported.
 */
public final class SigV4Verifier {

    /** Finds the credentials issued with an access key id; empty when the key is unknown. */
    @FunctionalInterface
    public interface CredentialsLookup {
        Optional<SigningCredentials> find(String accessKeyId);
    }

    /** AWS's allowed clock skew between X-Amz-Date and the server's clock, both directions. */
    public static final Duration MAX_CLOCK_SKEW = Duration.ofMinutes(15);

    static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");
    private static final Pattern AMZ_DATE_SHAPE = Pattern.compile("[0-9]{8}T[0-9]{6}Z");

    private final CredentialsLookup credentials;
    private final String expectedService;

    /**
     * @param expectedService the signing name the scope must carry ("sts"), or null to accept any
     *                        (only the published test vectors, signed for "service", need that)
     */
    public SigV4Verifier(CredentialsLookup credentials, String expectedService) {
        this.credentials = Objects.requireNonNull(credentials);
        this.expectedService = expectedService;
    }

    public VerificationResult verify(ReceivedRequest request, Instant now) {
        List<String> authorizations = request.values("Authorization");
        if (authorizations.isEmpty()) {
            return fail(AwsError.missingAuthenticationToken(), null);
        }
        if (authorizations.size() > 1) {
            return fail(AwsError.incompleteSignature("More than one Authorization header"), null);
        }
        AuthorizationHeader authorization;
        try {
            authorization = AuthorizationHeader.parse(authorizations.get(0));
        } catch (AuthorizationHeader.Malformed e) {
            return fail(e.error(), null);
        }

        Optional<AwsError> problem = checkRequiredSignedHeaders(authorization);
        if (problem.isPresent()) {
            return fail(problem.get(), authorization);
        }
        Instant signedAt;
        try {
            signedAt = signedAt(request, authorization, now);
        } catch (DateOrScopeProblem e) {
            return fail(e.error, authorization);
        }

        Optional<SigningCredentials> issued = credentials.find(authorization.accessKeyId());
        if (issued.isEmpty()) {
            return fail(AwsError.invalidClientTokenId(), authorization);
        }
        problem = checkSessionToken(request, authorization, issued.get(), now)
                .or(() -> checkSignedHeadersPresent(request, authorization));
        if (problem.isPresent()) {
            return fail(problem.get(), authorization);
        }

        String expected;
        try {
            expected = SdkResigning.signature(request, authorization, signedAt, issued.get().secretKey());
        } catch (IllegalArgumentException notAUri) {
            // a path no HTTP/1.1 request line can carry: no signature can match it
            return fail(AwsError.signatureDoesNotMatch(AwsError.WRONG_SIGNATURE_MESSAGE), authorization);
        }
        if (!constantTimeEquals(expected, authorization.signature())) {
            return fail(AwsError.signatureDoesNotMatch(AwsError.WRONG_SIGNATURE_MESSAGE), authorization);
        }
        return VerificationResult.ok(authorization);
    }

    /** Compares without leaking, through timing, how many leading characters matched. */
    static boolean constantTimeEquals(String expected, String actual) {
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
                actual.getBytes(StandardCharsets.UTF_8));
    }

    private static Optional<AwsError> checkRequiredSignedHeaders(AuthorizationHeader authorization) {
        // Without host signed, a signature could be replayed against another endpoint; without the
        // date signed, a captured request could be made fresh again.
        for (String required : List.of("host", "x-amz-date")) {
            if (!authorization.signedHeaders().contains(required)) {
                return Optional.of(AwsError.incompleteSignature(
                        "'" + required + "' must be a 'SignedHeader' in the AWS Authorization."));
            }
        }
        return Optional.empty();
    }

    /** A date or credential scope AWS would refuse, with the error it answers. */
    private static final class DateOrScopeProblem extends Exception {
        private final AwsError error;

        DateOrScopeProblem(AwsError error) {
            super(null, null, false, false);
            this.error = error;
        }
    }

    /**
     * X-Amz-Date, checked against the credential scope and the clock; parsed once here, the
     * signature is computed for this instant.
     */
    private Instant signedAt(ReceivedRequest request, AuthorizationHeader authorization, Instant now)
            throws DateOrScopeProblem {
        List<String> dates = request.values("X-Amz-Date");
        if (dates.size() != 1) {
            throw new DateOrScopeProblem(AwsError.incompleteSignature(
                    "Authorization header requires existence of exactly one 'X-Amz-Date' header."));
        }
        String amzDate = dates.get(0);
        Instant signedAt;
        try {
            if (!AMZ_DATE_SHAPE.matcher(amzDate).matches()) {
                throw new DateTimeParseException("not yyyyMMdd'T'HHmmss'Z'", amzDate, 0);
            }
            signedAt = LocalDateTime.parse(amzDate, AMZ_DATE).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw new DateOrScopeProblem(AwsError.incompleteSignature(
                    "X-Amz-Date must be in ISO-8601 basic format yyyyMMdd'T'HHmmss'Z': '" + amzDate + "'"));
        }

        CredentialScope scope = authorization.scope();
        if (!CredentialScope.TERMINATOR.equals(scope.terminator())) {
            throw new DateOrScopeProblem(AwsError.signatureDoesNotMatch("Credential should be scoped with a valid"
                    + " terminator: 'aws4_request', not '" + scope.terminator() + "'."));
        }
        if (expectedService != null && !expectedService.equals(scope.service())) {
            throw new DateOrScopeProblem(AwsError.signatureDoesNotMatch(
                    "Credential should be scoped to correct service: '" + expectedService + "'."));
        }
        if (!amzDate.substring(0, 8).equals(scope.date())) {
            throw new DateOrScopeProblem(AwsError.signatureDoesNotMatch("Date in Credential scope does not match"
                    + " YYYYMMDD from ISO-8601 version of date from HTTP: '" + scope.date() + "' != '"
                    + amzDate.substring(0, 8) + "', from '" + amzDate + "'."));
        }

        if (signedAt.isBefore(now.minus(MAX_CLOCK_SKEW))) {
            throw new DateOrScopeProblem(AwsError.signatureDoesNotMatch("Signature expired: " + amzDate
                    + " is now earlier than " + AMZ_DATE.format(now.minus(MAX_CLOCK_SKEW).atOffset(ZoneOffset.UTC))
                    + " (" + AMZ_DATE.format(now.atOffset(ZoneOffset.UTC)) + " - 15 min.)"));
        }
        if (signedAt.isAfter(now.plus(MAX_CLOCK_SKEW))) {
            throw new DateOrScopeProblem(AwsError.signatureDoesNotMatch("Signature not yet current: " + amzDate
                    + " is still later than " + AMZ_DATE.format(now.plus(MAX_CLOCK_SKEW).atOffset(ZoneOffset.UTC))
                    + " (" + AMZ_DATE.format(now.atOffset(ZoneOffset.UTC)) + " + 15 min.)"));
        }
        return signedAt;
    }

    private static Optional<AwsError> checkSessionToken(ReceivedRequest request, AuthorizationHeader authorization,
            SigningCredentials issued, Instant now) {
        List<String> tokens = request.values("X-Amz-Security-Token");
        if (tokens.size() > 1) {
            return Optional.of(AwsError.incompleteSignature("More than one X-Amz-Security-Token header"));
        }
        Optional<String> sent = tokens.stream().findFirst();
        if (sent.isPresent() && !authorization.signedHeaders().contains("x-amz-security-token")) {
            return Optional.of(AwsError.incompleteSignature(
                    "'x-amz-security-token' must be a 'SignedHeader' in the AWS Authorization."));
        }
        // Temporary keys are only valid with their own token; permanent keys with none.
        boolean tokenMatches = issued.sessionToken().isPresent() == sent.isPresent()
                && (sent.isEmpty() || constantTimeEquals(issued.sessionToken().get(), sent.get()));
        if (!tokenMatches) {
            return Optional.of(AwsError.invalidClientTokenId());
        }
        if (issued.expiresAt().isPresent() && !now.isBefore(issued.expiresAt().get())) {
            return Optional.of(AwsError.expiredToken());
        }
        return Optional.empty();
    }

    private static Optional<AwsError> checkSignedHeadersPresent(ReceivedRequest request,
            AuthorizationHeader authorization) {
        for (String name : authorization.signedHeaders()) {
            if (request.values(name).isEmpty()) {
                return Optional.of(AwsError.signatureDoesNotMatch(
                        "Header '" + name + "' is listed in SignedHeaders but is not in the request."));
            }
        }
        return Optional.empty();
    }

    private static VerificationResult fail(AwsError error, AuthorizationHeader authorization) {
        return VerificationResult.failed(error, authorization);
    }
}
