package io.github.kcawspack.it.fakests;

import java.util.Optional;

/**
 * One request the fake received, already judged as AWS would judge it: what a {@link StsBehaviour}
 * gets to decide on.
 *
 * @param request      what arrived on the wire
 * @param verification the SigV4 outcome
 * @param identity     who the caller is, when the request passed every check
 * @param awsAnswer    what real STS would answer: the identity document or its ErrorResponse
 * @param requestId    the request id used in that answer
 * @param fakeBaseUrl  where the fake listens (for redirects back to it under another host name)
 */
public record StsCall(ReceivedRequest request, VerificationResult verification, Optional<StsIdentity> identity,
        StsResponse awsAnswer, String requestId, String fakeBaseUrl) {

    /** A plausible identity for broken answers, even when the request itself did not verify. */
    StsIdentity identityOrExample() {
        return identity.orElse(new StsIdentity("arn:aws:sts::123456789012:assumed-role/deployer/session-1",
                "AROAEXAMPLEID:session-1", "123456789012"));
    }
}
