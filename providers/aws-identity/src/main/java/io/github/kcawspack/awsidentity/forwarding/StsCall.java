package io.github.kcawspack.awsidentity.forwarding;

import io.github.kcawspack.awsidentity.forwarding.StsForwarder.StsAnswer;
import io.github.kcawspack.awsidentity.verification.RequestPreflight.Preflighted;

/** Sends a checked request to STS and returns its raw answer, or throws a rejection for an outage. */
@FunctionalInterface
public interface StsCall {
    StsAnswer forward(Preflighted request);
}
