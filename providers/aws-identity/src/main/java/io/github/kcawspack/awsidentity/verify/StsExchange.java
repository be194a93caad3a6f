package io.github.kcawspack.awsidentity.verify;

import io.github.kcawspack.awsidentity.verify.RequestPreflight.Preflighted;

/** Sends a checked request to STS and returns its raw answer, or throws a rejection for an outage. */
@FunctionalInterface
public interface StsExchange {
    StsReply forward(Preflighted request);
}
