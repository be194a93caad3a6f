package io.github.kcawspack.awsidentity.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.kcawspack.awsidentity.AwsIdentityRejection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The local checks in the order the grant runs them. Each test starts from a request a real
 * signer would produce and changes one thing.
 */
class RequestPreflightTest {

    private static final String AUDIENCE = "http://localhost:8080/realms/demo";
    private static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");
    private static final String SIGNATURE = "a".repeat(64);

    private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    private final VerificationSettings settings = new VerificationSettings(
            Duration.ofMinutes(15), Duration.ofMinutes(5), true, Set.of(AUDIENCE));

    @Test
    void acceptsAWellFormedSignedRequest() {
        RequestPreflight.Preflighted preflighted = preflight(validRequest());

        assertThat(preflighted.endpoint().host()).isEqualTo("sts.us-east-1.amazonaws.com");
        assertThat(preflighted.authorization().accessKeyId()).isEqualTo("ASIAEXAMPLEEXAMPLE12");
        assertThat(preflighted.signedAt()).isEqualTo(NOW.minusSeconds(60));
        assertThat(preflighted.expiresAt()).isEqualTo(NOW.minusSeconds(60).plus(Duration.ofMinutes(15)));
        assertThat(preflighted.audience()).contains(AUDIENCE);
        assertThat(preflighted.forwardedHeaders()).extracting(SignedHeaders.Header::name)
                .containsExactly("Host", "Content-Type", "X-Amz-Date", "X-Amz-Security-Token", "X-Keycloak-Audience", "Authorization");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "Action=GetCallerIdentity&Version=2011-06-15&Action=AssumeRole",
            "Action=GetCallerIdentity&Version=2011-06-15&",
            "action=GetCallerIdentity&Version=2011-06-15",
            "Action=getcalleridentity&Version=2011-06-15",
            "Action=GetCallerIdentity&Version=2011-06-15&X=1",
            "Action=GetCallerIdentity&Action=GetCallerIdentity&Version=2011-06-15",
            "Action=GetCallerIdentity&ACTION=AssumeRole&Version=2011-06-15",
            "Action=Get%43allerIdentity&Version=2011-06-15",
            "Action=AssumeRole&Version=2011-06-15",
            "Action=GetCallerIdentity",
            " Action=GetCallerIdentity&Version=2011-06-15"})
    void bodyMustBeExactlyGetCallerIdentity(String body) {
        assertRejected(validRequest().body(body), "body_not_get_caller_identity");
    }

    @Test
    void bodyMayListVersionFirst() {
        preflight(validRequest().body("Version=2011-06-15&Action=GetCallerIdentity"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"Transfer-Encoding", "Connection", "Expect", "X-Forwarded-Host", "Keep-Alive"})
    void framingAndHopByHopHeadersAreRefused(String header) {
        assertRejected(validRequest().header(header, "1"), "header_forbidden");
    }

    private static final String SIGNED_WITH_LENGTH = "content-length;content-type;host;x-amz-date;x-amz-security-token;x-keycloak-audience";

    @Test
    void aSignedContentLengthEqualToTheBodysBytesIsAcceptedAndForwarded() {
        RequestPreflight.Preflighted preflighted = preflight(validRequest().header("Content-Length", "43")
                .signedHeaders(SIGNED_WITH_LENGTH));

        assertThat(preflighted.forwardedHeaders()).extracting(SignedHeaders.Header::name).contains("Content-Length");
    }

    @ParameterizedTest
    @ValueSource(strings = {"44", "42", "0", "043", "+43", " 43", "43 ", "43, 43", "-43", "4.3e1", "", "99999999999999999999"})
    void anyOtherContentLengthIsRefusedBeforeSts(String value) {
        assertRejected(validRequest().header("Content-Length", value).signedHeaders(SIGNED_WITH_LENGTH), "content_length_mismatch");
    }

    @Test
    void theContentLengthIsCountedInBytesNotCharacters() {
        // Not a body STS would accept, but the rule is about length: 3 characters, 4 bytes in UTF-8.
        assertThatThrownBy(() -> ContentLengthCheck.check(SignedHeaders.parse("{\"Content-Length\":\"3\"}"),
                SigV4Authorization.parse("AWS4-HMAC-SHA256 Credential=ASIAEXAMPLEEXAMPLE12/20261123/us-east-1/sts/aws4_request, "
                        + "SignedHeaders=content-length;host, Signature=" + SIGNATURE), "a\u00e9b"))
                .isInstanceOfSatisfying(AwsIdentityRejection.class, r -> assertThat(r.reason()).isEqualTo("content_length_mismatch"));
        ContentLengthCheck.check(SignedHeaders.parse("{\"Content-Length\":\"4\"}"),
                SigV4Authorization.parse("AWS4-HMAC-SHA256 Credential=ASIAEXAMPLEEXAMPLE12/20261123/us-east-1/sts/aws4_request, "
                        + "SignedHeaders=content-length;host, Signature=" + SIGNATURE), "a\u00e9b");
    }

    @Test
    void anUnsignedContentLengthIsRefusedEvenWithTheRightValue() {
        assertRejected(validRequest().header("Content-Length", "43"), "header_not_signed");
    }

    @Test
    void headersOutsideTheAllowlistAreRefused() {
        assertRejected(validRequest().header("X-Amz-Target", "AWSSecurityTokenServiceV20110615.AssumeRole"), "header_not_allowed");
        assertRejected(validRequest().header("Cookie", "a=b"), "header_not_allowed");
    }

    @Test
    void hostMustBeTheComputedStsHost() {
        assertRejected(validRequest().header("Host", "sts.amazonaws.com"), "host_mismatch");
        assertRejected(validRequest().header("Host", "attacker.example"), "host_mismatch");
        assertRejected(validRequest().header("Host", "sts.eu-west-1.amazonaws.com"), "host_mismatch");
    }

    @Test
    void contentTypeMustBeAForm() {
        assertRejected(validRequest().header("Content-Type", "application/json"), "content_type_invalid");
        preflight(validRequest().header("Content-Type", "application/x-www-form-urlencoded"));
    }

    @Test
    void requiredHeadersMustBePresent() {
        assertRejected(validRequest().without("Authorization"), "header_missing");
        assertRejected(validRequest().without("X-Amz-Date"), "header_missing");
        assertRejected(validRequest().without("Host"), "header_missing");
    }

    @Test
    void onlyAws4HmacSha256IsAccepted() {
        assertRejected(validRequest().authorization(a -> a.replace("AWS4-HMAC-SHA256", "AWS4-ECDSA-P256-SHA256")),
                "signature_algorithm_invalid");
        assertRejected(validRequest().authorization(a -> "AWS AKIDEXAMPLE:signature"), "signature_algorithm_invalid");
    }

    @Test
    void malformedAuthorizationIsRefused() {
        assertRejected(validRequest().authorization(a -> a.replace(SIGNATURE, "zz")), "authorization_malformed");
        assertRejected(validRequest().authorization(a -> a.replace("/aws4_request", "/aws4_other")), "authorization_malformed");
        assertRejected(validRequest().authorization(a -> a + ", Extra=1"), "authorization_malformed");
        assertRejected(validRequest().authorization(a -> a.replace("content-type;host", "host;content-type")),
                "authorization_malformed");
    }

    @Test
    void credentialScopeMustNameTheRegionAndSts() {
        assertRejected(validRequest().authorization(a -> a.replace("/us-east-1/", "/eu-west-1/")),
                "credential_scope_region_mismatch");
        assertRejected(validRequest().authorization(a -> a.replace("/sts/", "/iam/")), "credential_scope_service_mismatch");
    }

    @Test
    void securityTokenAndHostMustBeSigned() {
        assertRejected(validRequest().signedHeaders("content-type;host;x-amz-date;x-keycloak-audience"), "header_not_signed");
        assertRejected(validRequest().signedHeaders("content-type;x-amz-date;x-amz-security-token;x-keycloak-audience"),
                "header_not_signed");
    }

    @Test
    void everySignedHeaderMustBeSent() {
        assertRejected(validRequest().signedHeaders("content-type;host;user-agent;x-amz-date;x-amz-security-token;x-keycloak-audience"),
                "signed_header_missing");
    }

    @Test
    void dateMustBeFreshConsistentAndWellFormed() {
        assertRejected(validRequest().signedAt(NOW.minus(Duration.ofMinutes(16))), "request_expired");
        assertRejected(validRequest().signedAt(NOW.plus(Duration.ofMinutes(6))), "request_from_future");
        preflight(validRequest().signedAt(NOW.plus(Duration.ofMinutes(4))));
        preflight(validRequest().signedAt(NOW.minus(Duration.ofMinutes(14))));
        assertRejected(validRequest().header("X-Amz-Date", "2026-11-23T11:59:00Z"), "date_malformed");
        assertRejected(validRequest().header("X-Amz-Date", "20261131T115900Z"), "date_malformed");
        assertRejected(validRequest().authorization(a -> a.replace("/20261123/", "/20261122/")), "date_scope_mismatch");
    }

    @Test
    void audienceIsRequiredSignedAndThisRealm() {
        assertRejected(validRequest().without("X-Keycloak-Audience").signedHeaders("content-type;host;x-amz-date;x-amz-security-token"),
                "audience_missing");
        assertRejected(validRequest().header("X-Keycloak-Audience", "http://localhost:8080/realms/other"), "audience_mismatch");
        assertRejected(validRequest().header("X-Keycloak-Audience", AUDIENCE + "/"), "audience_mismatch");
        assertRejected(validRequest().signedHeaders("content-type;host;x-amz-date;x-amz-security-token"), "audience_not_signed");
    }

    @Test
    void legacyRealmsMayAcceptRequestsWithoutAudienceButStillCheckOneThatIsSent() {
        RequestPreflight legacy = new RequestPreflight(
                new VerificationSettings(Duration.ofMinutes(15), Duration.ofMinutes(5), false, Set.of(AUDIENCE)), clock);
        assertThat(legacy.check(validRequest().without("X-Keycloak-Audience")
                .signedHeaders("content-type;host;x-amz-date;x-amz-security-token").build()).audience()).isEmpty();
        assertThatThrownBy(() -> legacy.check(validRequest().header("X-Keycloak-Audience", "https://elsewhere").build()))
                .isInstanceOfSatisfying(AwsIdentityRejection.class, r -> assertThat(r.reason()).isEqualTo("audience_mismatch"));
    }

    @Test
    void descriptionsNeverEchoTheSignatureOrToken() {
        for (RequestBuilder bad : new RequestBuilder[] {
                validRequest().header("Host", "evil"), validRequest().signedAt(NOW.minus(Duration.ofHours(1))),
                validRequest().header("X-Keycloak-Audience", "x"), validRequest().header("Cookie", "c")}) {
            assertThatThrownBy(() -> preflight(bad))
                    .isInstanceOfSatisfying(AwsIdentityRejection.class, r -> assertThat(r.description())
                            .doesNotContain(SIGNATURE).doesNotContain("IQoJEXAMPLETOKEN"));
        }
    }

    private RequestPreflight.Preflighted preflight(RequestBuilder request) {
        return new RequestPreflight(settings, clock).check(request.build());
    }

    private void assertRejected(RequestBuilder request, String reason) {
        assertThatThrownBy(() -> preflight(request))
                .isInstanceOfSatisfying(AwsIdentityRejection.class, r -> assertThat(r.reason()).isEqualTo(reason));
    }

    private static RequestBuilder validRequest() {
        return new RequestBuilder();
    }

    /** Produces the three form parameters the way a signer would, with one change at a time. */
    private static final class RequestBuilder {
        private String region = "us-east-1";
        private String body = "Action=GetCallerIdentity&Version=2011-06-15";
        private final Map<String, String> headers = new LinkedHashMap<>();
        private String signedHeaders = "content-type;host;x-amz-date;x-amz-security-token;x-keycloak-audience";
        private Consumer<StringBuilder> authorizationChange = a -> { };
        private boolean removedAuthorization;
        private String scopeDate;

        RequestBuilder() {
            headers.put("Host", "sts." + region + ".amazonaws.com");
            headers.put("Content-Type", "application/x-www-form-urlencoded; charset=utf-8");
            signedAt(NOW.minusSeconds(60));
            headers.put("X-Amz-Security-Token", "IQoJEXAMPLETOKEN");
            headers.put("X-Keycloak-Audience", AUDIENCE);
        }

        RequestBuilder body(String body) {
            this.body = body;
            return this;
        }

        RequestBuilder header(String name, String value) {
            headers.put(name, value);
            return this;
        }

        RequestBuilder without(String name) {
            headers.remove(name);
            removedAuthorization |= name.equals("Authorization");
            return this;
        }

        RequestBuilder signedAt(Instant instant) {
            String amzDate = java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
                    .withZone(ZoneOffset.UTC).format(instant);
            headers.put("X-Amz-Date", amzDate);
            scopeDate = amzDate.substring(0, 8);
            return this;
        }

        RequestBuilder signedHeaders(String signed) {
            this.signedHeaders = signed;
            return this;
        }

        RequestBuilder authorization(java.util.function.UnaryOperator<String> change) {
            authorizationChange = a -> {
                String changed = change.apply(a.toString());
                a.setLength(0);
                a.append(changed);
            };
            return this;
        }

        AwsIdentityRequest build() {
            Map<String, String> all = new LinkedHashMap<>(headers);
            if (!all.containsKey("Authorization") && !removedAuthorization) {
                StringBuilder authorization = new StringBuilder("AWS4-HMAC-SHA256 Credential=ASIAEXAMPLEEXAMPLE12/"
                        + scopeDate + "/us-east-1/sts/aws4_request, SignedHeaders="
                        + signedHeaders + ", Signature=" + SIGNATURE);
                authorizationChange.accept(authorization);
                all.put("Authorization", authorization.toString());
            }
            try {
                return new AwsIdentityRequest(region, body, SignedHeaders.parse(new ObjectMapper().writeValueAsString(all)));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
