package io.github.kcawspack.awsidentity.verify;

import io.github.kcawspack.awsidentity.AwsIdentityRejection;
import io.github.kcawspack.awsidentity.principal.AwsPrincipal;
import io.github.kcawspack.awsidentity.principal.InvalidPrincipalException;
import io.github.kcawspack.awsidentity.principal.PrincipalBinding;
import io.github.kcawspack.awsidentity.principal.PrincipalBindings;
import io.github.kcawspack.awsidentity.sts.CallerIdentity;
import io.github.kcawspack.awsidentity.sts.GetCallerIdentityResponseParser;
import io.github.kcawspack.awsidentity.sts.StsErrorClass;
import io.github.kcawspack.awsidentity.sts.StsErrorResponseParser;
import io.github.kcawspack.awsidentity.sts.StsResponseException;
import io.github.kcawspack.awsidentity.verify.RequestPreflight.Preflighted;
import java.util.Optional;

/**
 * The aws_identity verification, step by step: local checks, not used before, STS's verdict,
 * the single-use record (only once STS confirmed the request), the principal STS names, the
 * binding that admits it. Each step either passes its result on
 * or throws an {@link AwsIdentityRejection}; nothing after a refusal runs.
 */
public final class AwsIdentityVerifier {

    /** An AWS principal confirmed by STS and admitted by one of the realm's bindings. */
    public record VerifiedPrincipal(AwsPrincipal principal, PrincipalBinding binding) {
    }

    private final RequestPreflight preflight;
    private final ReplayGuard replayGuard;
    private final StsExchange sts;
    private final PrincipalBindings bindings;
    private final GetCallerIdentityResponseParser identityParser;
    private final StsErrorResponseParser errorParser;

    /**
     * @param preflight      the checks of the request alone
     * @param replayGuard    the single-use record
     * @param sts            the STS call
     * @param bindings       the realm's bindings, tried in order
     * @param maxAnswerBytes the server's cap on STS answers ({@code max-response-bytes}), the same
     *                       one the STS call reads up to, so that a larger configured cap is honoured
     */
    public AwsIdentityVerifier(RequestPreflight preflight, ReplayGuard replayGuard, StsExchange sts, PrincipalBindings bindings,
            int maxAnswerBytes) {
        this.preflight = preflight;
        this.replayGuard = replayGuard;
        this.sts = sts;
        this.bindings = bindings;
        this.identityParser = new GetCallerIdentityResponseParser(maxAnswerBytes);
        this.errorParser = new StsErrorResponseParser(maxAnswerBytes);
    }

    public VerifiedPrincipal verify(AwsIdentityRequest request) {
        Preflighted checked = preflight.check(request);
        AwsPrincipal principal;
        try (ReplayGuard.Claim claim = replayGuard.claim(checked)) {
            principal = canonicalPrincipal(confirmedByAws(sts.forward(checked)));
            // Recorded only now: a request STS refused (forged, expired credentials), could not
            // judge (outage) or answered unusably leaves no record, so it neither fills the store
            // nor blocks a retry.
            claim.recordUsed();
        }
        if (!principal.partition().equals(checked.endpoint().partition())) {
            // STS of one partition only ever names principals of that partition.
            throw AwsIdentityRejection.invalidGrant("partition_mismatch", "AWS STS named an identity that could not be used");
        }
        PrincipalBinding binding = bindings.firstMatch(principal).orElseThrow(() ->
                AwsIdentityRejection.invalidGrant("no_binding", "no binding of this realm admits this AWS principal"));
        return new VerifiedPrincipal(principal, binding);
    }

    /** Step "parse the response strictly": only a well-formed success from STS names an identity. */
    private CallerIdentity confirmedByAws(StsReply answer) {
        if (answer.status() == 200) {
            try {
                return identityParser.parse(answer.body(), answer.contentType());
            } catch (StsResponseException e) {
                throw AwsIdentityRejection.invalidGrant("sts_response_invalid:" + e.reason().name().toLowerCase(java.util.Locale.ROOT),
                        "AWS STS gave an answer that could not be used");
            }
        }
        Optional<String> code = errorParser.errorCode(answer.body(), answer.contentType());
        // The code is a plain token (the parser guarantees it): safe to put in an event, never in the response.
        String reason = "sts_status_" + answer.status() + code.map(c -> ":" + c).orElse("");
        if (StsErrorClass.classify(answer.status(), code) == StsErrorClass.UNAVAILABLE) {
            throw AwsIdentityRejection.unavailable(reason, answer.status() >= 400
                    ? "AWS STS cannot take the request now (throttling or a failure on its side); try again later"
                    : "the AWS STS endpoint did not answer as STS does (a redirect, which is not followed); try again later");
        }
        throw AwsIdentityRejection.invalidGrant(reason, "AWS STS did not accept the signed request");
    }

    /**
     * Step "canonicalise the principal", the only place STS's three fields are checked against one
     * another (the ARN parses and names Account, UserId pairs with the ARN): an answer whose fields
     * disagree is refused like any other unusable answer, its event reason naming the rule broken.
     */
    private static AwsPrincipal canonicalPrincipal(CallerIdentity identity) {
        try {
            return AwsPrincipal.from(identity);
        } catch (InvalidPrincipalException e) {
            throw AwsIdentityRejection.invalidGrant("sts_identity_invalid:" + e.problem().name().toLowerCase(java.util.Locale.ROOT),
                    "AWS STS gave an answer that could not be used");
        }
    }
}
