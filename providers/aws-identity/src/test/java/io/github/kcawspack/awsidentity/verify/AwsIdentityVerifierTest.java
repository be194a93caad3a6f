package io.github.kcawspack.awsidentity.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.kcawspack.awsidentity.AwsIdentityRejection;
import io.github.kcawspack.awsidentity.principal.PrincipalBindings;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

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
        AwsIdentityVerifier verifier = verifier(new StsReply(403, "text/xml", ("<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">"
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

    /**
     * STS's three fields must agree (Account is 12 digits, the ARN parses and names it, UserId pairs
     * with the ARN as STS pairs them): checked once, when the principal is canonicalised. An answer
     * that fails is unusable, like a malformed one: the client reads the same description, the event
     * names the rule, and the signed request is not recorded as used.
     */
    @ParameterizedTest(name = "{3}: {0} / {1} / {2}")
    @CsvSource(delimiter = '|', value = {
            "arn:aws:sts::123456789012:assumed-role/deployer/s1 | AROAEXAMPLEROLEID:s1 | 12345678901 | account_invalid",
            "arn:aws:sts::123456789012:assumed-role/deployer/s1 | AROAEXAMPLEROLEID:s1 | １２３４５６７８９０１２ | account_invalid",
            "arn:aws:sts::123456789012:assumed-role/deployer/s1 | AROAEXAMPLEROLEID:s1 | 999999999999 | account_mismatch",
            "arn:aws:sts::123456789012:assumed-role/deployer/s1 | AROAEXAMPLEROLEID:other | 123456789012 | session_mismatch",
            "arn:aws:sts::123456789012:assumed-role/deployer/s1 | AROAEXAMPLEROLEID | 123456789012 | user_id_mismatch",
            "arn:aws:sts::123456789012:assumed-role/deployer/s1 | AIDAJQABLZS4A3QDU576Q:s1 | 123456789012 | user_id_mismatch",
            "arn:aws:iam::123456789012:user/alice | AROAEXAMPLEROLEID:s1 | 123456789012 | user_id_mismatch",
            "arn:aws:iam::123456789012:user/alice | AKIAI44QH8DHBEXAMPLE | 123456789012 | user_id_mismatch",
            "arn:aws:iam::123456789012:root | AIDAJQABLZS4A3QDU576Q | 123456789012 | user_id_mismatch",
            "arn:aws:iam::123456789012:role/deployer | AROAEXAMPLEROLEID:s1 | 123456789012 | resource_unexpected",
            "arn:evil:sts::123456789012:assumed-role/deployer/s1 | AROAEXAMPLEROLEID:s1 | 123456789012 | partition_unknown",
            "not an arn | AROAEXAMPLEROLEID:s1 | 123456789012 | arn_malformed",
            "arn:aws:sts::123456789012:assumed-role/deployer/s1&#x0A;x | AROAEXAMPLEROLEID:s1&#x0A;x | 123456789012 | arn_malformed",
            "arn:aws:sts::123456789012:federated-user/bob | 123456789012:bob | 123456789012 | principal_unsupported"})
    void anAnswerWhoseFieldsDisagreeIsUnusableAndNotRecorded(String arn, String userId, String account, String problem) {
        AwsIdentityVerifier verifier = verifier(answer(arn, userId, account));

        assertThatThrownBy(() -> verifier.verify(request("us-east-1")))
                .isInstanceOfSatisfying(AwsIdentityRejection.class, r -> {
                    assertThat(r.error()).isEqualTo(AwsIdentityRejection.OAuthError.INVALID_GRANT);
                    assertThat(r.reason()).isEqualTo("sts_identity_invalid:" + problem);
                    assertThat(r.description()).isEqualTo("AWS STS gave an answer that could not be used");
                });
        assertThat(used).as("an unusable answer leaves no single-use record").isEmpty();
    }

    @Test
    void theConfiguredAnswerCapIsTheOneThatHolds() {
        // 100 KB of whitespace inside the answer: above the default 64 KiB cap, below a configured 128 KiB one.
        StsReply padded = answer("aws", "deployer");
        byte[] body = (new String(padded.body(), StandardCharsets.UTF_8) + " ".repeat(100_000)).getBytes(StandardCharsets.UTF_8);
        StsReply large = new StsReply(200, "text/xml", body);

        assertThat(verifier(large, 128 * 1024).verify(request("us-east-1")).principal().canonicalArn())
                .isEqualTo("arn:aws:iam::123456789012:role/deployer");
        used.clear(); // the same signed request again, not as a replay
        assertThatThrownBy(() -> verifier(large, 64 * 1024).verify(request("us-east-1")))
                .isInstanceOfSatisfying(AwsIdentityRejection.class,
                        r -> assertThat(r.reason()).isEqualTo("sts_response_invalid:too_large"));
    }

    private AwsIdentityVerifier verifier(StsReply answer) {
        return verifier(answer, 64 * 1024);
    }

    private AwsIdentityVerifier verifier(StsReply answer, int maxAnswerBytes) {
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        StsExchange sts = request -> {
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

    private static StsReply answer(String partition, String role) {
        return answer("arn:" + partition + ":sts::123456789012:assumed-role/" + role + "/s1", "AROAEXAMPLEROLEID:s1",
                "123456789012");
    }

    private static StsReply answer(String arn, String userId, String account) {
        String xml = "<GetCallerIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><GetCallerIdentityResult>"
                + "<Arn>" + arn + "</Arn><UserId>" + userId + "</UserId><Account>" + account + "</Account>"
                + "</GetCallerIdentityResult></GetCallerIdentityResponse>";
        return new StsReply(200, "text/xml", xml.getBytes(StandardCharsets.UTF_8));
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
