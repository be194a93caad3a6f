package io.github.kcawspack.it;

import static io.github.kcawspack.it.DemoRealm.REALM;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.kcawspack.it.fakests.AwsRequestSigner;
import io.github.kcawspack.it.fakests.FakeSts;
import io.github.kcawspack.it.fakests.ReceivedRequest;
import io.github.kcawspack.it.harness.Injected;
import io.github.kcawspack.it.harness.KeycloakExtension;
import io.github.kcawspack.it.harness.KeycloakServer;
import io.github.kcawspack.it.harness.OAuthClient.Answer;
import io.github.kcawspack.it.harness.TokenVerifier;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Interop with SigV4 signers other than the two documented clients' (botocore and the AWS SDK for
 * Java v2, see {@link AwsLoginClientsIT}), one test each: the signer signs a real GetCallerIdentity
 * for the STS host of its region as a workload using it would, the signed parts go to the real
 * Keycloak's token endpoint as {@code grant_type=aws_identity}, Keycloak forwards them to the fake
 * STS, which verifies the signature as AWS does, and a token comes back for the deployer role.
 * Each test also pins what the signer put into SignedHeaders, so that the signer-specific shape
 * (Content-Length, the SDKs' own headers) is what reached the server and STS.
 *
 * <ul>
 * <li>AWS SDK for JavaScript v3 ({@code @aws-sdk/client-sts}): its own middleware stack and signer;
 * the request is captured by the request handler instead of being sent.</li>
 * <li>{@code aws4} from npm: {@code aws4.sign(request)}.</li>
 * <li>The AWS SDK for Go v2's header set (Go modules cannot be fetched here): reproduced from its
 * source, names and casing included, and signed with botocore, which like Go's signer adds no
 * header of its own but the date and token (the AWS SDK for Java v2 signer would add
 * X-Amz-Content-Sha256); see {@link #GO_SDK_V2_SIGNED_HEADERS}.</li>
 * </ul>
 */
@ExtendWith(KeycloakExtension.class)
class SignerInteropIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BODY = AwsRequestSigner.GET_CALLER_IDENTITY_BODY;
    private static final String BODY_LENGTH = String.valueOf(BODY.getBytes(StandardCharsets.UTF_8).length);
    private static final String DEPLOYER_ARN = "arn:aws:iam::" + AwsWorkload.ACCOUNT + ":role/deployer";

    /**
     * What {@code @aws-sdk/client-sts} 3.1177.0 (package-lock.json) signs for GetCallerIdentity:
     * everything it sets but {@code user-agent} (@smithy/signature-v4's ALWAYS_UNSIGNABLE_HEADERS),
     * including {@code content-length} and {@code x-amz-content-sha256}.
     */
    static final String JS_SDK_V3_SIGNED_HEADERS = "amz-sdk-invocation-id;amz-sdk-request;content-length;content-type;host;"
            + "x-amz-content-sha256;x-amz-date;x-amz-security-token;x-amz-user-agent;x-keycloak-audience";

    /** What {@code aws4} 1.13.2 signs: every header it was given or added, Content-Length included. */
    static final String AWS4_SIGNED_HEADERS = "content-length;content-type;host;x-amz-date;x-amz-security-token;x-keycloak-audience";

    /**
     * What the AWS SDK for Go v2 signs for {@code sts.GetCallerIdentity} (with temporary
     * credentials and a middleware adding X-Keycloak-Audience before signing), read from
     * github.com/aws/aws-sdk-go-v2:
     * <ul>
     * <li>aws/signer/v4/v4.go, {@code buildCanonicalHeaders}: always {@code host}, and
     * {@code content-length} whenever the request's ContentLength is above 0 (it is not an
     * http.Header in Go: the signer adds it from {@code req.ContentLength}, which
     * {@code ComputeContentLength} sets); then every header except those of
     * aws/signer/internal/v4/headers.go {@code IgnoredHeaders}: Authorization, User-Agent,
     * X-Amzn-Trace-Id, Expect;</li>
     * <li>service/sts/serializers.go, {@code awsAwsquery_serializeOpGetCallerIdentity}:
     * {@code Content-Type: application/x-www-form-urlencoded} (no charset), body
     * {@code Action=GetCallerIdentity&Version=2011-06-15};</li>
     * <li>aws/middleware/middleware.go {@code ClientRequestID}: {@code Amz-Sdk-Invocation-Id} (a UUID);
     * aws/retry/middleware.go {@code MetricsHeader}: {@code Amz-Sdk-Request: attempt=1; max=3}
     * (the standard retryer; no ttl on a first attempt);</li>
     * <li>the signer itself: {@code X-Amz-Date}, {@code X-Amz-Security-Token};</li>
     * <li>aws/middleware/user_agent.go: only {@code User-Agent} (the {@code X-Amz-User-Agent}
     * line is commented out, "To be re-enabled"), which is not signed.</li>
     * </ul>
     * No {@code X-Amz-Content-Sha256}: only S3 adds that header. aws-sdk-go v1 signs the same
     * minus the two {@code amz-sdk-*} headers.
     */
    static final String GO_SDK_V2_SIGNED_HEADERS = "amz-sdk-invocation-id;amz-sdk-request;content-length;content-type;host;"
            + "x-amz-date;x-amz-security-token;x-keycloak-audience";

    /**
     * The header names as Go's net/http puts them on the wire: http.Header keys in canonical MIME
     * form as the SDK sets them, Host and Content-Length written by the transport.
     */
    static final Set<String> GO_SDK_V2_WIRE_HEADERS = Set.of("Host", "Content-Length", "Content-Type",
            "Amz-Sdk-Invocation-Id", "Amz-Sdk-Request", "X-Amz-Date", "X-Amz-Security-Token", "X-Keycloak-Audience",
            "Authorization", "User-Agent");

    private static final Pattern SIGNED_HEADERS = Pattern.compile("SignedHeaders=([^,\\s]+)");

    @Injected
    KeycloakServer server;
    @Injected
    FakeSts sts;
    @Injected
    TokenVerifier tokens;
    private AwsWorkload workload;

    @BeforeAll
    static void warmUp(KeycloakServer server, FakeSts sts) {
        warmUp(new AwsWorkload(server, sts));
    }

    @BeforeEach
    void connect() {
        workload = new AwsWorkload(server, sts);
    }

    /**
     * The first aws_identity login of a freshly started Keycloak loads the whole STS path, its own
     * and the fake's; on a loaded machine that took longer than the tests' STS deadline
     * ({@link KeycloakExtension#STS_DEADLINE}, 2 s) and answered 503 sts_timeout when this class ran
     * first. These tests are about signers, so the tests' own signer logs in first (up to three
     * times, each a new request); the assertions below are unaffected by what it got.
     */
    private static void warmUp(AwsWorkload workload) {
        for (int attempt = 0; attempt < 3; attempt++) {
            if (workload.login(workload.deployer().sign()).status() == 200) {
                return;
            }
        }
    }

    @Test
    void theAwsSdkForJavaScriptV3SignsALoginThatReachesStsAsSigned() throws Exception {
        JsonNode signed = ExternalSigners.node("sign-aws-sdk-v3.mjs", AwsWorkload.DEPLOYER_KEY, AwsWorkload.DEPLOYER_SECRET,
                AwsWorkload.DEPLOYER_TOKEN, "us-east-1", server.realmUrl(REALM));

        assertThat(signed.get("hostname").asText()).as("the SDK's own endpoint for the region").isEqualTo("sts.us-east-1.amazonaws.com");
        assertThat(signed.get("post_body").asText()).isEqualTo(BODY);
        Map<String, String> headers = headers(signed);
        assertThat(signedHeaders(headers.get("authorization"))).isEqualTo(JS_SDK_V3_SIGNED_HEADERS);
        assertThat(headers).containsEntry("content-length", BODY_LENGTH).containsKey("user-agent");

        assertLoginReachesStsAsSigned(signed, headers.get("authorization"));
        assertThat(sts.lastRequest().orElseThrow().values("Content-Length")).containsExactly(BODY_LENGTH);
    }

    @Test
    void aws4SignsALoginWithContentLengthThatReachesStsAsSigned() throws Exception {
        // aws4 would sign for the global sts.amazonaws.com; a workload names its regional host.
        JsonNode signed = ExternalSigners.node("sign-aws4.mjs", AwsWorkload.DEPLOYER_KEY, AwsWorkload.DEPLOYER_SECRET,
                AwsWorkload.DEPLOYER_TOKEN, "eu-west-1", "sts.eu-west-1.amazonaws.com", server.realmUrl(REALM));

        assertThat(signed.get("post_body").asText()).isEqualTo(BODY);
        Map<String, String> headers = headers(signed);
        assertThat(signedHeaders(headers.get("Authorization"))).isEqualTo(AWS4_SIGNED_HEADERS);
        assertThat(headers).containsEntry("Content-Length", BODY_LENGTH)
                .containsEntry("Content-Type", AwsRequestSigner.FORM_CONTENT_TYPE);
        assertThat(signed.get("headers").get("Content-Length").isNumber()).as("aws4 leaves it a number").isTrue();

        assertLoginReachesStsAsSigned(signed, headers.get("Authorization"));
        assertThat(sts.lastRequest().orElseThrow().values("Content-Length")).containsExactly(BODY_LENGTH);
    }

    @Test
    void theGoSdkV2HeaderSetSignedByBotocoreLogsInAndReachesStsAsSigned() throws Exception {
        // The request as aws-sdk-go-v2's STS client builds it before signing (see
        // GO_SDK_V2_SIGNED_HEADERS): Go's header names, Host and Content-Length as its transport
        // writes them. botocore signs every header it is given but User-Agent, as Go's signer does.
        Map<String, String> goRequest = new LinkedHashMap<>();
        goRequest.put("Host", "sts.us-east-1.amazonaws.com");
        goRequest.put("Content-Length", BODY_LENGTH);
        goRequest.put("Content-Type", "application/x-www-form-urlencoded");
        goRequest.put("Amz-Sdk-Invocation-Id", UUID.randomUUID().toString());
        goRequest.put("Amz-Sdk-Request", "attempt=1; max=3");
        goRequest.put("X-Keycloak-Audience", server.realmUrl(REALM));
        goRequest.put("User-Agent", "aws-sdk-go-v2/1.41.0 ua/2.1 os/linux lang/go#1.25.4 md/GOOS#linux md/GOARCH#amd64"
                + " api/sts#1.41.1 m/E");

        JsonNode signed = ExternalSigners.botocore("us-east-1", "sts.us-east-1.amazonaws.com", BODY, goRequest,
                AwsWorkload.DEPLOYER_KEY, AwsWorkload.DEPLOYER_SECRET, AwsWorkload.DEPLOYER_TOKEN);

        Map<String, String> headers = headers(signed);
        assertThat(signedHeaders(headers.get("Authorization"))).as("what Go signs").isEqualTo(GO_SDK_V2_SIGNED_HEADERS);
        assertThat(headers.keySet()).as("Go's header names and casing").containsExactlyInAnyOrderElementsOf(GO_SDK_V2_WIRE_HEADERS);

        assertLoginReachesStsAsSigned(signed, headers.get("Authorization"));
        ReceivedRequest received = sts.lastRequest().orElseThrow();
        assertThat(received.values("Content-Length")).containsExactly(BODY_LENGTH);
        assertThat(received.values("Amz-Sdk-Request")).containsExactly("attempt=1; max=3");
        assertThat(received.values("Content-Type")).containsExactly("application/x-www-form-urlencoded");
    }

    /**
     * POSTs region, post_body and headers_json (verbatim, as the client serialized it) as
     * grant_type=aws_identity; expects a token for the deployer role and STS to have verified the
     * request with the signer's own Authorization header.
     */
    private void assertLoginReachesStsAsSigned(JsonNode signed, String authorization) throws Exception {
        long verified = sts.verifiedCount();
        Map<String, String> form = new LinkedHashMap<>();
        form.put("region", signed.get("region").asText());
        form.put("post_body", signed.get("post_body").asText());
        form.put("headers_json", signed.get("headers_json").asText());
        form.put("scope", "read");

        Answer answer = workload.login(form);

        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        assertThat(answer.text("scope")).isEqualTo("read");
        var claims = tokens.verify(answer.text("access_token"));
        assertThat(claims.getStringClaim("aws_arn")).isEqualTo(DEPLOYER_ARN);
        assertThat(sts.verifiedCount()).as("the fake STS verified the signature").isEqualTo(verified + 1);
        ReceivedRequest received = sts.lastRequest().orElseThrow();
        assertThat(received.values("Authorization")).as("forwarded as signed").containsExactly(authorization);
        assertThat(received.bodyAsString()).isEqualTo(BODY);
    }

    /** headers_json as the client posts it, read back as name to value (numbers as their text). */
    private static Map<String, String> headers(JsonNode signed) throws Exception {
        Map<String, JsonNode> raw = JSON.readValue(signed.get("headers_json").asText(), new TypeReference<LinkedHashMap<String, JsonNode>>() { });
        Map<String, String> headers = new LinkedHashMap<>();
        raw.forEach((name, value) -> headers.put(name, value.asText()));
        return headers;
    }

    private static String signedHeaders(String authorization) {
        assertThat(authorization).as("Authorization header").isNotNull();
        Matcher matcher = SIGNED_HEADERS.matcher(authorization);
        assertThat(matcher.find()).as(authorization).isTrue();
        return matcher.group(1);
    }
}
