package io.github.kcawspack.awsidentity.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.code_intelligence.jazzer.mutation.annotation.WithUtf8Length;
import io.github.kcawspack.awsidentity.AwsIdentityRejection.OAuthError;
import io.github.kcawspack.awsidentity.AwsIdentityRejection;
import io.github.kcawspack.awsidentity.verify.RequestPreflight.Preflighted;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Everything the server decides from the form alone: {@code region}, {@code post_body} and
 * {@code headers_json}, each missing, once or twice, through {@link AwsIdentityRequest#fromForm}
 * and {@link RequestPreflight}. Whatever a client sends, the outcome is a request fit to forward
 * or an {@link AwsIdentityRejection} the client can read; any other exception would reach Keycloak
 * as a server error.
 */
class RequestValidationFuzzTest {

    private static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");
    private static final String AUDIENCE = "https://keycloak.example.com/realms/demo";
    private static final VerificationSettings SETTINGS =
            new VerificationSettings(Duration.ofMinutes(15), Duration.ofMinutes(5), true, Set.of(AUDIENCE));
    private static final RequestPreflight PREFLIGHT = new RequestPreflight(SETTINGS, Clock.fixed(NOW, ZoneOffset.UTC));

    private static final String BODY = "Action=GetCallerIdentity&Version=2011-06-15";
    private static final String SIGNATURE = "5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7";

    /** Seeds: what real signers send (an assumed role with a session token, an IAM user), and near misses. */
    static Stream<Arguments> anyFormIsForwardableOrRefused() {
        String role = "{\"Host\":\"sts.us-east-1.amazonaws.com\","
                + "\"Content-Type\":\"application/x-www-form-urlencoded; charset=utf-8\","
                + "\"X-Amz-Date\":\"20261123T115900Z\","
                + "\"X-Amz-Security-Token\":\"IQoJb3JpZ2luX2VjEXAMPLE//////////sessiontoken+/=\","
                + "\"X-Keycloak-Audience\":\"" + AUDIENCE + "\","
                + "\"Authorization\":\"AWS4-HMAC-SHA256 Credential=ASIAEXAMPLEEXAMPLE12/20261123/us-east-1/sts/aws4_request, "
                + "SignedHeaders=content-type;host;x-amz-date;x-amz-security-token;x-keycloak-audience, Signature=" + SIGNATURE + "\"}";
        String user = "{\"host\":[\"sts.cn-north-1.amazonaws.com.cn\"],"
                + "\"content-type\":[\"application/x-www-form-urlencoded\"],"
                + "\"x-amz-date\":[\"20261123T120200Z\"],"
                + "\"x-keycloak-audience\":[\"" + AUDIENCE + "\"],"
                + "\"amz-sdk-invocation-id\":[\"6d8f3c0a-1b2c-4d5e-8f90-a1b2c3d4e5f6\"],"
                + "\"authorization\":[\"AWS4-HMAC-SHA256 Credential=AKIAEXAMPLEEXAMPLE12/20261123/cn-north-1/sts/aws4_request,"
                + "SignedHeaders=amz-sdk-invocation-id;content-type;host;x-amz-date;x-keycloak-audience,Signature=" + SIGNATURE + "\"]}";
        return Stream.of(
                arguments("us-east-1", BODY, role, (byte) 0),
                arguments("cn-north-1", "Version=2011-06-15&Action=GetCallerIdentity", user, (byte) 0),
                arguments("us-gov-west-1", BODY, role, (byte) 0),
                arguments("us-east-1", BODY, role.replace("Content-Type", "Content-Length"), (byte) 0),
                arguments("us-east-1", BODY + "&Action=AssumeRole", role, (byte) 2),
                arguments(null, BODY, "{}", (byte) 0));
    }

    @MethodSource
    @FuzzTest(maxDuration = "30s")
    @DictionaryEntries({"\"Host\":", "\"Authorization\":", "\"X-Amz-Date\":", "\"X-Amz-Security-Token\":",
            "\"X-Keycloak-Audience\":", "\"Content-Type\":", "AWS4-HMAC-SHA256 Credential=", "/sts/aws4_request",
            "SignedHeaders=", "Signature=", ";x-keycloak-audience", "\\r\\n", "\\u0000", "[\"", "\"]",
            "Content-Length", "Transfer-Encoding", "us-gov-", "us-iso-", "cn-", "eu-isoe-", "amazonaws.com.cn",
            "Action=GetCallerIdentity", "Version=2011-06-15", "20261123T1159"})
    void anyFormIsForwardableOrRefused(String region, String postBody, @WithUtf8Length(max = 4096) String headersJson,
            byte repeated) {
        Map<String, List<String>> form = new HashMap<>();
        put(form, AwsIdentityRequest.REGION, region, (repeated & 1) != 0);
        put(form, AwsIdentityRequest.POST_BODY, postBody, (repeated & 2) != 0);
        put(form, AwsIdentityRequest.HEADERS_JSON, headersJson, (repeated & 4) != 0);
        try {
            requireForwardable(PREFLIGHT.check(AwsIdentityRequest.fromForm(form)));
        } catch (AwsIdentityRejection rejection) {
            requireReadableByTheClient(rejection);
        }
    }

    private static void put(Map<String, List<String>> form, String name, String value, boolean twice) {
        if (value != null) {
            form.put(name, twice ? List.of(value, value) : List.of(value));
        }
    }

    /** What the forwarder relies on: exactly GetCallerIdentity, to the computed host, fresh, for this realm. */
    private static void requireForwardable(Preflighted request) {
        assertThat(RequestBodyCheck.ACCEPTED).contains(request.postBody());
        assertThat(request.forwardedHeaders()).allSatisfy(header -> {
            assertThat(HeaderPolicy.ALLOWED).contains(header.name().toLowerCase(Locale.ROOT));
            assertThat(header.value()).doesNotContain("\r").doesNotContain("\n");
        });
        assertThat(request.forwardedHeaders()).filteredOn(header -> header.name().equalsIgnoreCase(HeaderPolicy.HOST))
                .extracting(header -> header.value().toLowerCase(Locale.ROOT))
                .containsExactly(request.endpoint().host());
        // A Content-Length gets through only signed and equal to the body's bytes (ContentLengthCheck).
        assertThat(request.forwardedHeaders()).filteredOn(header -> header.name().equalsIgnoreCase(ContentLengthCheck.CONTENT_LENGTH))
                .allSatisfy(header -> {
                    assertThat(header.value()).isEqualTo(String.valueOf(request.postBody().getBytes(java.nio.charset.StandardCharsets.UTF_8).length));
                    assertThat(request.authorization().signs(ContentLengthCheck.CONTENT_LENGTH)).isTrue();
                });
        assertThat(request.signedAt()).isBetween(NOW.minus(SETTINGS.maxAge()), NOW.plus(SETTINGS.clockSkew()));
        assertThat(request.audience()).hasValue(AUDIENCE);
        assertThat(request.authorization().signs(HeaderPolicy.AUDIENCE)).isTrue();
    }

    /** An RFC 6749 error for the request itself, with a short reason for events and a one-line description. */
    private static void requireReadableByTheClient(AwsIdentityRejection rejection) {
        assertThat(rejection.error()).isIn(OAuthError.INVALID_REQUEST, OAuthError.INVALID_GRANT);
        assertThat(rejection.reason()).matches("[a-z0-9_]{1,64}");
        assertThat(rejection.description()).isNotBlank().doesNotContain("\r").doesNotContain("\n");
    }
}
