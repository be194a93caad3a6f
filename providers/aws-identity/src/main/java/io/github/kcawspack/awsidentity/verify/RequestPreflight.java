package io.github.kcawspack.awsidentity.verify;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Everything that can be decided from the request alone, in order, before anything is sent to
 * STS: a request refused here costs no STS call and reveals nothing about AWS's answer.
 */
public final class RequestPreflight {

    private final VerificationSettings settings;
    private final Clock clock;

    public RequestPreflight(VerificationSettings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
    }

    /** A request that passed every local check, ready to be forwarded. */
    public record Preflighted(StsEndpoint endpoint, String postBody, List<SignedHeaders.Header> forwardedHeaders,
                              SigV4Authorization authorization, Instant signedAt, Instant expiresAt,
                              Optional<String> audience) {
    }

    public Preflighted check(AwsIdentityRequest request) {
        StsEndpoint endpoint = StsEndpoint.forRegion(request.region());
        RequestBodyCheck.check(request.postBody());
        SignedHeaders headers = request.headers();
        HeaderPolicy.Required required = HeaderPolicy.check(headers, endpoint);
        SigV4Authorization authorization = SigV4Authorization.parse(required.authorization());
        SignatureScopeCheck.check(authorization, headers, endpoint);
        ContentLengthCheck.check(headers, authorization, request.postBody());
        Instant signedAt = FreshnessCheck.check(required.amzDate(), authorization, settings, clock);
        Optional<String> audience = AudienceCheck.check(headers, authorization, settings);
        return new Preflighted(endpoint, request.postBody(), List.copyOf(headers.all().values()), authorization,
                signedAt, signedAt.plus(settings.maxAge()), audience);
    }
}
