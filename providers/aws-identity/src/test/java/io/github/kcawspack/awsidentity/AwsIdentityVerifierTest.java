package io.github.kcawspack.awsidentity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.kcawspack.awsidentity.forwarding.StsCall;
import io.github.kcawspack.awsidentity.forwarding.StsForwarder.StsAnswer;
import io.github.kcawspack.awsidentity.identity.PrincipalBindings;
import io.github.kcawspack.awsidentity.request.AwsIdentityRequest;
import io.github.kcawspack.awsidentity.request.SignedHeaders;
import io.github.kcawspack.awsidentity.verification.AwsIdentityRejection;
import io.github.kcawspack.awsidentity.verification.ReplayGuard;
import io.github.kcawspack.awsidentity.verification.RequestPreflight;
import io.github.kcawspack.awsidentity.verification.VerificationSettings;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The order of the steps and what each one's refusal stops. */
class AwsIdentityVerifierTest {

    private static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");
    private static final String AUDIENCE = "http://localhost:8080/realms/demo";
    private static final PrincipalBindings BINDINGS = PrincipalBindings.parse(
            "[{\"account\":\"123456789012\",\"type\":\"role\",\"namePattern\":\"deploy*\"}]");

    private final AtomicInteger stsCalls = new AtomicInteger();
    private final Set<String> used = new HashSet<>();

    @Test
    void admitsTheRolePrincipalStsNamesWhenABindingMatches() {
        AwsIdentityVerifier.VerifiedPrincipal verified = verifier(answer("aws", "deployer")).verify(request("us-east-1"));

        assertThat(verified.principal().canonicalArn()).isEqualTo("arn:aws:iam::123456789012:role/deployer");
        assertThat(verified.principal().sessionName()).contains("s1");
        assertThat(verified.binding().namePattern()).isEqualTo("deploy*");
    }

    @Test
    void aLocallyRefusedRequestNeverReachesSts() {
        assertThatThrownBy(() -> verifier(answer("aws", "deployer")).verify(request("mars-north-1")))
                .isInstanceOf(AwsIdentityRejection.class);
        assertThat(stsCalls).hasValue(0);
        assertThat(used).as("nor is it remembered as used").isEmpty();
    }

    @Test
    void aReplayNeverReachesStsAgain() {
        AwsIdentityVerifier verifier = verifier(answer("aws", "deployer"));
        verifier.verify(request("us-east-1"));

        assertThatThrownBy(() -> verifier.verify(request("us-east-1")))
                .isInstanceOfSatisfying(AwsIdentityRejection.class, r -> assertThat(r.reason()).isEqualTo("replayed"));
        assertThat(stsCalls).hasValue(1);
    }

    @Test
    void aRequestStsRefusesIsNotRecordedAndReachesStsAgain() {
        AwsIdentityVerifier verifier = verifier(new StsAnswer(403, "text/xml", ("<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">"
                + "<Error><Type>Sender</Type><Code>SignatureDoesNotMatch</Code><Message>no</Message></Error></ErrorResponse>")
                .getBytes(StandardCharsets.UTF_8)));

        for (int attempt = 0; attempt < 2; attempt++) {
            assertThatThrownBy(() -> verifier.verify(request("us-east-1")))
                    .isInstanceOfSatisfying(AwsIdentityRejection.class, r -> assertThat(r.reason()).startsWith("sts_status_403"));
        }
        assertThat(stsCalls).hasValue(2);
        assertThat(used).as("a forged request leaves no single-use record").isEmpty();
    }

    @Test
    void aRequestStsConfirmedIsRecordedEvenWhenNoBindingAdmitsIt() {
        assertThatThrownBy(() -> verifier(answer("aws", "admin")).verify(request("us-east-1")))
                .isInstanceOf(AwsIdentityRejection.class);
        assertThat(used).hasSize(1);
    }

    @Test
    void aPrincipalOfAnotherPartitionThanTheEndpointIsRefused() {
        assertThatThrownBy(() -> verifier(answer("aws-cn", "deployer")).verify(request("us-east-1")))
                .isInstanceOfSatisfying(AwsIdentityRejection.class, r -> assertThat(r.reason()).isEqualTo("partition_mismatch"));
    }

    @Test
    void aPrincipalNoBindingAdmitsIsInvalidGrant() {
        assertThatThrownBy(() -> verifier(answer("aws", "admin")).verify(request("us-east-1")))
                .isInstanceOfSatisfying(AwsIdentityRejection.class, r -> {
                    assertThat(r.error()).isEqualTo(AwsIdentityRejection.OAuthError.INVALID_GRANT);
                    assertThat(r.reason()).isEqualTo("no_binding");
                });
    }

    @Test
    void theConfiguredAnswerCapIsTheOneThatHolds() {
        // 100 KB of whitespace inside the answer: above the default 64 KiB cap, below a configured 128 KiB one.
        StsAnswer padded = answer("aws", "deployer");
        byte[] body = (new String(padded.body(), StandardCharsets.UTF_8) + " ".repeat(100_000)).getBytes(StandardCharsets.UTF_8);
        StsAnswer large = new StsAnswer(200, "text/xml", body);

        assertThat(verifier(large, 128 * 1024).verify(request("us-east-1")).principal().canonicalArn())
                .isEqualTo("arn:aws:iam::123456789012:role/deployer");
        used.clear(); // the same signed request again, not as a replay
        assertThatThrownBy(() -> verifier(large, 64 * 1024).verify(request("us-east-1")))
                .isInstanceOfSatisfying(AwsIdentityRejection.class,
                        r -> assertThat(r.reason()).isEqualTo("sts_response_invalid:too_large"));
    }

    private AwsIdentityVerifier verifier(StsAnswer answer) {
        return verifier(answer, 64 * 1024);
    }

    private AwsIdentityVerifier verifier(StsAnswer answer, int maxAnswerBytes) {
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        StsCall sts = request -> {
            stsCalls.incrementAndGet();
            return answer;
        };
        return new AwsIdentityVerifier(
                new RequestPreflight(new VerificationSettings(Duration.ofMinutes(15), Duration.ofMinutes(5), true, Set.of(AUDIENCE)), clock),
                new ReplayGuard(new ReplayGuard.SingleUseStore() {
                    @Override
                    public boolean putIfAbsent(String key, long lifespanSeconds) {
                        return used.add(key);
                    }

                    @Override
                    public boolean contains(String key) {
                        return used.contains(key);
                    }
                }, ReplayGuard.newInFlightSet(), clock),
                sts, BINDINGS, maxAnswerBytes);
    }

    private static StsAnswer answer(String partition, String role) {
        String xml = "<GetCallerIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><GetCallerIdentityResult>"
                + "<Arn>arn:" + partition + ":sts::123456789012:assumed-role/" + role + "/s1</Arn>"
                + "<UserId>AROAEXAMPLEROLEID:s1</UserId><Account>123456789012</Account>"
                + "</GetCallerIdentityResult></GetCallerIdentityResponse>";
        return new StsAnswer(200, "text/xml", xml.getBytes(StandardCharsets.UTF_8));
    }

    private static AwsIdentityRequest request(String region) {
        String headers = "{\"Host\":\"sts." + region + ".amazonaws.com\","
                + "\"Content-Type\":\"application/x-www-form-urlencoded; charset=utf-8\","
                + "\"X-Amz-Date\":\"20261123T115900Z\",\"X-Keycloak-Audience\":\"" + AUDIENCE + "\","
                + "\"Authorization\":\"AWS4-HMAC-SHA256 Credential=AKIAEXAMPLEEXAMPLE1/20261123/" + region
                + "/sts/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-keycloak-audience, Signature="
                + "c".repeat(64) + "\"}";
        return new AwsIdentityRequest(region, "Action=GetCallerIdentity&Version=2011-06-15", SignedHeaders.parse(headers));
    }
}
