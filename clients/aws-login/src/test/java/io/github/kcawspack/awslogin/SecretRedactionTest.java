package io.github.kcawspack.awslogin;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SecretRedactionTest {

    @Test
    void keepsCredentialScopeAndSignedHeadersButNotTheSignature() {
        String authorization = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261123/us-east-1/sts/aws4_request, "
                + "SignedHeaders=host;x-amz-date, Signature=" + "ab".repeat(32);

        assertThat(SecretRedaction.redactAuthorization(authorization)).isEqualTo(
                "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261123/us-east-1/sts/aws4_request, "
                        + "SignedHeaders=host;x-amz-date, Signature=<redacted>");
    }

    @Test
    void redactsAnythingThatIsNotPlainSigV4Whole() {
        assertThat(SecretRedaction.redactAuthorization("Bearer abc")).isEqualTo("<redacted>");
        assertThat(SecretRedaction.redactAuthorization("AWS4-HMAC-SHA256 garbage")).isEqualTo("<redacted>");
    }

    @Test
    void redactsHeadersByNameInAnyCase() {
        assertThat(SecretRedaction.redactHeader("x-amz-security-token", "tok")).isEqualTo("<redacted>");
        assertThat(SecretRedaction.redactHeader("AUTHORIZATION", "Basic Zm9vOmJhcg==")).isEqualTo("<redacted>");
        assertThat(SecretRedaction.redactHeader("X-Amz-Date", "20261123T123456Z")).isEqualTo("20261123T123456Z");
    }

    @Test
    void redactsHeadersJsonAndGivesUpOnAnythingElse() {
        assertThat(SecretRedaction.redactHeadersJson("{\"Host\":\"h\",\"X-Amz-Security-Token\":\"tok\"}"))
                .isEqualTo("{\"Host\":\"h\",\"X-Amz-Security-Token\":\"<redacted>\"}");
        assertThat(SecretRedaction.redactHeadersJson("not json, token=tok")).isEqualTo("<redacted>");
        assertThat(SecretRedaction.redactHeadersJson("{\"X-Amz-Security-Token\":{\"nested\":\"tok\"}}"))
                .isEqualTo("<redacted>");
    }
}
