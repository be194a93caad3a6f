package io.github.kcawspack.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.kcawspack.it.fakests.AwsRequestSigner;
import io.github.kcawspack.it.fakests.FakeSts;
import io.github.kcawspack.it.fakests.ReceivedRequest;
import io.github.kcawspack.it.fakests.SignedStsRequest;
import io.github.kcawspack.it.harness.Injected;
import io.github.kcawspack.it.harness.KeycloakExtension;
import io.github.kcawspack.it.harness.KeycloakServer;
import io.github.kcawspack.it.harness.OAuthClient.Answer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Signers that sign Content-Length (the AWS SDK for Go v1 and v2, the aws4 npm module) log in:
 * a signed Content-Length equal to post_body's bytes is accepted and reaches STS as signed; any
 * other value, or an unsigned one, is refused without asking STS.
 */
@ExtendWith(KeycloakExtension.class)
class AwsIdentityContentLengthIT {

    private static final String BODY_LENGTH =
            String.valueOf(AwsRequestSigner.GET_CALLER_IDENTITY_BODY.getBytes(StandardCharsets.UTF_8).length);

    @Injected
    KeycloakServer server;
    @Injected
    FakeSts sts;
    private AwsWorkload workload;

    @BeforeEach
    void connect() {
        workload = new AwsWorkload(server, sts);
    }

    @Test
    void aSignedContentLengthEqualToTheBodyLogsInAndReachesStsAsSigned() {
        SignedStsRequest signed = workload.deployer().signedHeader("Content-Length", BODY_LENGTH).sign();
        assertThat(signed.headers().get("Authorization")).as("the SDK signed it").contains("content-length;");
        long verified = sts.verifiedCount();

        Answer answer = workload.login(signed);

        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        assertThat(sts.verifiedCount()).as("the fake STS verified the signature over Content-Length").isEqualTo(verified + 1);
        ReceivedRequest received = sts.lastRequest().orElseThrow();
        assertThat(received.values("Content-Length")).containsExactly(BODY_LENGTH);
        assertThat(received.bodyAsString()).isEqualTo(AwsRequestSigner.GET_CALLER_IDENTITY_BODY);
    }

    @Test
    void aSignedContentLengthOfAnotherValueIsInvalidRequestWithoutAskingSts() {
        SignedStsRequest signed = workload.deployer().signedHeader("Content-Length", "44").sign();
        long calls = sts.requestCount();

        Answer answer = workload.login(signed);

        assertThat(answer.status()).as(answer.toString()).isEqualTo(400);
        assertThat(answer.text("error")).isEqualTo("invalid_request");
        assertThat(sts.requestCount()).isEqualTo(calls);
    }

    @Test
    void anUnsignedContentLengthIsInvalidGrantWithoutAskingSts() {
        SignedStsRequest signed = workload.deployer().unsignedHeader("Content-Length", BODY_LENGTH).sign();
        long calls = sts.requestCount();

        Answer answer = workload.login(signed);

        assertThat(answer.status()).as(answer.toString()).isEqualTo(400);
        assertThat(answer.text("error")).isEqualTo("invalid_grant");
        assertThat(sts.requestCount()).isEqualTo(calls);
    }
}
