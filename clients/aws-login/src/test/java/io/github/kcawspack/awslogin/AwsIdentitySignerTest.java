package io.github.kcawspack.awslogin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

class AwsIdentitySignerTest {

    static final String AUDIENCE = "http://localhost:8080/realms/demo";
    static final String ACCESS_KEY_ID = "ASIAEXAMPLEKEYID0001";
    static final String SECRET_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    static final String SESSION_TOKEN = "FwoGZXIvYXdzEXAMPLE-session-token//+==";
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-23T12:34:56Z"), ZoneOffset.UTC);

    static final Pattern AUTHORIZATION = Pattern.compile(
            "AWS4-HMAC-SHA256 Credential=([^,]+), SignedHeaders=([^,]+), Signature=([0-9a-f]{64})");

    private static final ObjectMapper JSON = new ObjectMapper();

    static AwsIdentitySigner sessionSigner() {
        return new AwsIdentitySigner(StaticCredentialsProvider.create(
                AwsSessionCredentials.create(ACCESS_KEY_ID, SECRET_KEY, SESSION_TOKEN)), CLOCK);
    }

    static AwsIdentitySigner permanentKeySigner() {
        return new AwsIdentitySigner(StaticCredentialsProvider.create(
                AwsBasicCredentials.create("AKIAEXAMPLEKEYID0001", SECRET_KEY)), CLOCK);
    }

    static Map<String, String> headers(SignedIdentityRequest signed) throws Exception {
        return JSON.readValue(signed.headersJson(),
                JSON.getTypeFactory().constructMapType(Map.class, String.class, String.class));
    }

    static List<String> signedHeaderNames(String authorization) {
        Matcher matcher = AUTHORIZATION.matcher(authorization);
        assertThat(matcher.matches()).as("SigV4 Authorization header").isTrue();
        return Arrays.asList(matcher.group(2).split(";"));
    }

    @Test
    void signsGetCallerIdentityWithSessionCredentials() throws Exception {
        SignedIdentityRequest signed = sessionSigner().sign("us-east-1", AUDIENCE);

        assertThat(signed.region()).isEqualTo("us-east-1");
        assertThat(signed.postBody()).isEqualTo("Action=GetCallerIdentity&Version=2011-06-15");
        Map<String, String> headers = headers(signed);
        assertThat(headers)
                .containsEntry("Host", "sts.us-east-1.amazonaws.com")
                .containsEntry("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
                .containsEntry("X-Amz-Date", "20261123T123456Z")
                .containsEntry("X-Keycloak-Audience", AUDIENCE)
                .containsEntry("X-Amz-Security-Token", SESSION_TOKEN);

        Matcher authorization = AUTHORIZATION.matcher(headers.get("Authorization"));
        assertThat(authorization.matches()).isTrue();
        assertThat(authorization.group(1)).isEqualTo(ACCESS_KEY_ID + "/20261123/us-east-1/sts/aws4_request");
        assertThat(signedHeaderNames(headers.get("Authorization")))
                .contains("host", "content-type", "x-amz-date", "x-amz-security-token", "x-keycloak-audience");
    }

    @Test
    void everyHeaderSentIsSigned() throws Exception {
        Map<String, String> headers = headers(sessionSigner().sign("eu-west-1", AUDIENCE));

        List<String> signedNames = signedHeaderNames(headers.get("Authorization"));
        assertThat(headers.keySet())
                .filteredOn(name -> !name.equalsIgnoreCase("Authorization"))
                .allSatisfy(name -> assertThat(signedNames).contains(name.toLowerCase()));
    }

    @Test
    void permanentKeysSendNoSecurityToken() throws Exception {
        Map<String, String> headers = headers(permanentKeySigner().sign("us-east-1", AUDIENCE));

        assertThat(headers.keySet()).noneMatch(name -> name.equalsIgnoreCase("X-Amz-Security-Token"));
        assertThat(signedHeaderNames(headers.get("Authorization")))
                .contains("x-keycloak-audience")
                .doesNotContain("x-amz-security-token");
        assertThat(headers.get("Authorization")).contains("Credential=AKIAEXAMPLEKEYID0001/20261123/us-east-1/sts/");
    }

    @ParameterizedTest
    @CsvSource({
        "us-east-1, sts.us-east-1.amazonaws.com",
        "eu-central-1, sts.eu-central-1.amazonaws.com",
        "us-gov-west-1, sts.us-gov-west-1.amazonaws.com",
        "cn-north-1, sts.cn-north-1.amazonaws.com.cn",
        "cn-northwest-1, sts.cn-northwest-1.amazonaws.com.cn",
    })
    void hostAndCredentialScopeFollowTheRegion(String region, String host) throws Exception {
        Map<String, String> headers = headers(sessionSigner().sign(region, AUDIENCE));

        assertThat(headers).containsEntry("Host", host);
        assertThat(headers.get("Authorization")).contains("/20261123/" + region + "/sts/aws4_request");
    }

    @Test
    void signingTimeComesFromTheClock() throws Exception {
        Clock later = Clock.fixed(Instant.parse("2027-01-02T03:04:05Z"), ZoneOffset.UTC);
        AwsIdentitySigner signer = new AwsIdentitySigner(StaticCredentialsProvider.create(
                AwsSessionCredentials.create(ACCESS_KEY_ID, SECRET_KEY, SESSION_TOKEN)), later);

        Map<String, String> headers = headers(signer.sign("us-east-1", AUDIENCE));

        assertThat(headers).containsEntry("X-Amz-Date", "20270102T030405Z");
        assertThat(headers.get("Authorization")).contains("/20270102/us-east-1/sts/");
    }

    @Test
    void twoLoginsInTheSameSecondAreDifferentSignedRequests() throws Exception {
        Map<String, String> first = headers(sessionSigner().sign("us-east-1", AUDIENCE));
        Map<String, String> second = headers(sessionSigner().sign("us-east-1", AUDIENCE));

        assertThat(first.get("X-Amz-Date")).isEqualTo(second.get("X-Amz-Date"));
        assertThat(first.get("amz-sdk-invocation-id")).isNotEqualTo(second.get("amz-sdk-invocation-id"));
        assertThat(first.get("Authorization")).contains("amz-sdk-invocation-id").isNotEqualTo(second.get("Authorization"));
    }

    private static AwsIdentitySigner fixedIdSigner() {
        return new AwsIdentitySigner(StaticCredentialsProvider.create(
                AwsSessionCredentials.create(ACCESS_KEY_ID, SECRET_KEY, SESSION_TOKEN)), CLOCK, () -> "fixed-invocation-id");
    }

    @Test
    void theSignatureCoversTheAudience() throws Exception {
        String forDemo = headers(fixedIdSigner().sign("us-east-1", AUDIENCE)).get("Authorization");
        String forDemoAgain = headers(fixedIdSigner().sign("us-east-1", AUDIENCE)).get("Authorization");
        String forOther = headers(fixedIdSigner().sign("us-east-1", "http://localhost:8080/realms/other"))
                .get("Authorization");

        assertThat(forDemoAgain).isEqualTo(forDemo);
        assertThat(forOther).isNotEqualTo(forDemo);
    }

    @Test
    void refusesAMissingAudienceOrAMalformedRegion() {
        assertThatThrownBy(() -> sessionSigner().sign("us-east-1", " "))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> sessionSigner().sign("us-east-1/evil.example", AUDIENCE))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> sessionSigner().sign("US-EAST-1", AUDIENCE))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void toStringRedactsTheSignatureAndTheSessionToken() throws Exception {
        SignedIdentityRequest signed = sessionSigner().sign("us-east-1", AUDIENCE);
        String signature = AUTHORIZATION.matcher(headers(signed).get("Authorization")).replaceAll("$3");

        assertThat(signed.toString())
                .doesNotContain(signature)
                .doesNotContain(SESSION_TOKEN)
                .doesNotContain(SECRET_KEY)
                .contains("Signature=<redacted>")
                .contains(ACCESS_KEY_ID);
    }
}
