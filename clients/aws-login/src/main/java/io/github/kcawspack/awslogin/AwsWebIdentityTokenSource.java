package io.github.kcawspack.awslogin;

import java.time.Duration;
import java.util.Objects;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.endpoints.StsEndpointProvider;
import software.amazon.awssdk.services.sts.model.GetWebIdentityTokenResponse;
import software.amazon.awssdk.services.sts.model.OutboundWebIdentityFederationDisabledException;

/**
 * Asks AWS STS for a JWT that names the caller ({@code GetWebIdentityToken}, "outbound identity
 * federation", STS API reference), with the AWS SDK for Java v2's STS client. The API is only on
 * the regional STS endpoints ({@code sts.<region>.amazonaws.com}), never on the global one, and
 * only for accounts that enabled outbound identity federation (IAM
 * {@code EnableOutboundWebIdentityFederation}).
 *
 * <pre>
 * try (StsClient sts = AwsWebIdentityTokenSource.regionalStsClient("eu-west-1", DefaultCredentialsProvider.builder().build())) {
 *     AwsWebIdentityToken token = new AwsWebIdentityTokenSource(sts)
 *             .obtain(realm.issuer(), SigningAlgorithm.RS256, AwsWebIdentityTokenSource.DEFAULT_DURATION);
 * }
 * </pre>
 */
public final class AwsWebIdentityTokenSource {

    /** STS's default lifetime; also the lifetime the README's IAM policy allows. */
    public static final Duration DEFAULT_DURATION = Duration.ofSeconds(300);
    /** STS's bounds for {@code DurationSeconds}: 60 s to 1 h (GetWebIdentityToken reference). */
    public static final Duration MIN_DURATION = Duration.ofSeconds(60);
    public static final Duration MAX_DURATION = Duration.ofSeconds(3600);

    // An AWS message is one sentence; anything longer is cut rather than printed whole.
    private static final int MAX_MESSAGE_CHARS = 300;

    /** The algorithms STS signs with ({@code SigningAlgorithm}). */
    public enum SigningAlgorithm {
        RS256, ES384
    }

    private final StsClient sts;

    public AwsWebIdentityTokenSource(StsClient sts) {
        this.sts = Objects.requireNonNull(sts, "sts");
    }

    /**
     * An STS client for {@code region}'s endpoint, never the global one: the global pseudo-regions
     * ({@code aws-global} and its siblings) are refused, and {@code AWS_STS_REGIONAL_ENDPOINTS=legacy}
     * is overridden. An endpoint set the SDK's way ({@code AWS_ENDPOINT_URL_STS}, {@code
     * AWS_ENDPOINT_URL}) still applies, which is how the tests reach a local STS simulator.
     *
     * @throws IllegalArgumentException for a region that is not one label or is a global one
     */
    public static StsClient regionalStsClient(String region, AwsCredentialsProvider credentials) {
        StsHost.forRegion(region); // the region syntax aws_identity accepts, or IllegalArgumentException
        Region sdkRegion = Region.of(region);
        if (sdkRegion.isGlobalRegion()) {
            throw new IllegalArgumentException("GetWebIdentityToken is not available on the global STS endpoint"
                    + " (region " + region + "): pass a regional --region such as us-east-1");
        }
        StsEndpointProvider defaults = StsEndpointProvider.defaultProvider();
        return StsClient.builder()
                .region(sdkRegion)
                .credentialsProvider(credentials)
                .endpointProvider(params -> defaults.resolveEndpoint(params.toBuilder().useGlobalEndpoint(false).build()))
                .build();
    }

    /**
     * Calls {@code GetWebIdentityToken} for one audience.
     *
     * @param audience the token's {@code aud}: the realm's issuer URL (1 to 1000 characters)
     * @param duration 60 s to 1 h, whole seconds
     * @throws AwsLoginException when STS refuses or cannot be reached; the message names the AWS
     *     error code and gives AWS's one-line explanation, never a token or a response body
     */
    public AwsWebIdentityToken obtain(String audience, SigningAlgorithm algorithm, Duration duration)
            throws AwsLoginException {
        if (audience == null || audience.isEmpty() || audience.length() > 1000) {
            throw new IllegalArgumentException("audience must be 1 to 1000 characters: the realm's issuer URL");
        }
        Objects.requireNonNull(algorithm, "algorithm");
        if (duration.compareTo(MIN_DURATION) < 0 || duration.compareTo(MAX_DURATION) > 0
                || duration.toNanosPart() != 0) {
            throw new IllegalArgumentException("duration must be 60 to 3600 seconds, not " + duration);
        }
        GetWebIdentityTokenResponse response;
        try {
            response = sts.getWebIdentityToken(request -> request
                    .audience(audience)
                    .signingAlgorithm(algorithm.name())
                    .durationSeconds((int) duration.toSeconds()));
        } catch (AwsServiceException e) {
            throw new AwsLoginException(refusal(e));
        } catch (SdkException e) {
            // Client-side failures (no credentials, unreachable endpoint): the SDK's messages name
            // the sources it tried and the host, never key material.
            throw new AwsLoginException("cannot get a web identity token from STS: " + oneLine(e.getMessage()));
        }
        if (response.webIdentityToken() == null || response.webIdentityToken().isEmpty()
                || response.expiration() == null) {
            throw new AwsLoginException("STS answered GetWebIdentityToken without a token or its expiration");
        }
        return new AwsWebIdentityToken(response.webIdentityToken(), response.expiration());
    }

    private static String refusal(AwsServiceException e) {
        AwsErrorDetails details = e.awsErrorDetails();
        String code = details != null && details.errorCode() != null ? details.errorCode() : "unknown error";
        String message = details != null && details.errorMessage() != null ? ": " + oneLine(details.errorMessage()) : "";
        // 5xx is STS's own failure (the SDK has already retried), not a refusal of this caller.
        String refusal = "STS " + (e.statusCode() >= 500 ? "failed" : "refused") + " GetWebIdentityToken (HTTP "
                + e.statusCode() + " " + code + ")" + message;
        if (e instanceof OutboundWebIdentityFederationDisabledException) {
            return refusal + "; the AWS account must enable outbound identity federation"
                    + " (IAM EnableOutboundWebIdentityFederation)";
        }
        if ("AccessDenied".equals(code)) {
            return refusal + "; the principal needs sts:GetWebIdentityToken for this audience and duration";
        }
        return refusal;
    }

    private static String oneLine(String text) {
        if (text == null) {
            return "no details";
        }
        String line = text.replaceAll("\\p{Cntrl}+", " ").strip();
        return line.length() <= MAX_MESSAGE_CHARS ? line : line.substring(0, MAX_MESSAGE_CHARS) + "...";
    }
}
