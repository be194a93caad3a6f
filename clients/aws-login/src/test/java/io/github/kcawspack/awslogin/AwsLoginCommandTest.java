package io.github.kcawspack.awslogin;

import static io.github.kcawspack.awslogin.AwsIdentitySignerTest.ACCESS_KEY_ID;
import static io.github.kcawspack.awslogin.AwsIdentitySignerTest.CLOCK;
import static io.github.kcawspack.awslogin.AwsIdentitySignerTest.SECRET_KEY;
import static io.github.kcawspack.awslogin.AwsIdentitySignerTest.SESSION_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.AwsRegionProvider;

class AwsLoginCommandTest {

    static final String TOKEN_RESPONSE =
            "{\"access_token\":\"eyJ.access.token\",\"expires_in\":300,\"token_type\":\"Bearer\",\"scope\":\"read\"}";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AwsCredentialsProvider SESSION_CREDENTIALS = StaticCredentialsProvider.create(
            AwsSessionCredentials.create(ACCESS_KEY_ID, SECRET_KEY, SESSION_TOKEN));
    private static final AwsRegionProvider NO_REGION = () -> {
        throw SdkClientException.create("Unable to load region from any of the providers in the chain");
    };

    private FakeTokenEndpoint endpoint;

    record Result(int exitCode, String out, String err) {
    }

    @BeforeEach
    void startEndpoint() throws Exception {
        endpoint = new FakeTokenEndpoint();
    }

    @AfterEach
    void stopEndpoint() {
        endpoint.close();
    }

    private Result run(AwsCredentialsProvider credentials, AwsRegionProvider regions, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exitCode = new AwsLoginCommand(credentials, regions, CLOCK, HttpClient.newHttpClient(),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8))
                .run(args);
        return new Result(exitCode, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private Result run(String... args) {
        return run(SESSION_CREDENTIALS, NO_REGION, args);
    }

    private String[] demo(String... extra) {
        List<String> args = new ArrayList<>(List.of(
                "--keycloak", endpoint.baseUrl(), "--realm", "demo", "--client-id", "aws-workload"));
        args.addAll(List.of(extra));
        return args.toArray(String[]::new);
    }

    private static Map<String, String> headers(String headersJson) throws Exception {
        return JSON.readValue(headersJson, JSON.getTypeFactory().constructMapType(Map.class, String.class, String.class));
    }

    @Test
    void postsTheSignedRequestAndPrintsTheTokenResponse() throws Exception {
        endpoint.answerJson(200, TOKEN_RESPONSE);

        Result result = run(demo("--region", "us-east-1", "--scope", "read write"));

        assertThat(result.exitCode()).isZero();
        assertThat(result.err()).isEmpty();
        assertThat(JSON.readTree(result.out())).isEqualTo(JSON.readTree(TOKEN_RESPONSE));

        FakeTokenEndpoint.RecordedRequest request = endpoint.onlyRequest();
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo(FakeTokenEndpoint.PATH);
        assertThat(request.contentType()).startsWith("application/x-www-form-urlencoded");
        assertThat(request.authorization()).isNull();
        assertThat(request.form()).containsOnlyKeys(
                "grant_type", "region", "post_body", "headers_json", "client_id", "scope");
        assertThat(request.form())
                .containsEntry("grant_type", "aws_identity")
                .containsEntry("region", "us-east-1")
                .containsEntry("post_body", "Action=GetCallerIdentity&Version=2011-06-15")
                .containsEntry("client_id", "aws-workload")
                .containsEntry("scope", "read write");
        Map<String, String> headers = headers(request.form().get("headers_json"));
        assertThat(headers)
                .containsEntry("Host", "sts.us-east-1.amazonaws.com")
                .containsEntry("X-Keycloak-Audience", endpoint.baseUrl() + "/realms/demo")
                .containsEntry("X-Amz-Security-Token", SESSION_TOKEN)
                .containsEntry("X-Amz-Date", "20261123T123456Z");
        assertThat(headers.get("Authorization")).contains("SignedHeaders=").contains("x-keycloak-audience");
    }

    @Test
    void sendsTheSameHeadersTheLibrarySigns() throws Exception {
        endpoint.answerJson(200, TOKEN_RESPONSE);

        run(demo("--region", "eu-west-1"));

        SignedIdentityRequest expected = new AwsIdentitySigner(SESSION_CREDENTIALS, CLOCK)
                .sign("eu-west-1", endpoint.baseUrl() + "/realms/demo");
        Map<String, String> sent = headers(endpoint.onlyRequest().form().get("headers_json"));
        Map<String, String> signed = headers(expected.headersJson());
        // Each signing carries its own random invocation id, and so its own signature.
        assertThat(sent.keySet()).isEqualTo(signed.keySet());
        for (String name : signed.keySet()) {
            if (!name.equals("amz-sdk-invocation-id") && !name.equals("Authorization")) {
                assertThat(sent.get(name)).as(name).isEqualTo(signed.get(name));
            }
        }
        assertThat(sent.get("Authorization").replaceAll("Signature=.*", ""))
                .isEqualTo(signed.get("Authorization").replaceAll("Signature=.*", ""));
    }

    @Test
    void printsOnlyTheAccessTokenWhenAsked() {
        endpoint.answerJson(200, TOKEN_RESPONSE);

        Result result = run(demo("--region", "us-east-1", "--print", "access-token"));

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).isEqualTo("eyJ.access.token" + System.lineSeparator());
        assertThat(endpoint.onlyRequest().form()).doesNotContainKey("scope");
    }

    @Test
    void mapsAnErrorResponseToExitCodeOne() {
        endpoint.answerJson(400,
                "{\"error\":\"invalid_grant\",\"error_description\":\"AWS principal is not bound to a user\"}");

        Result result = run(demo("--region", "us-east-1"));

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.out()).isEmpty();
        assertThat(result.err()).isEqualTo("invalid_grant: AWS principal is not bound to a user" + System.lineSeparator());
    }

    @Test
    void anErrorWithoutDescriptionPrintsTheErrorCode() {
        endpoint.answerJson(401, "{\"error\":\"invalid_client\"}");

        Result result = run(demo("--region", "us-east-1"));

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).isEqualTo("invalid_client" + System.lineSeparator());
    }

    @Test
    void anAnswerThatIsNotJsonFailsWithoutEchoingIt() {
        endpoint.answer(502, "text/html", "<html>Bad Gateway secret-ish page</html>");

        Result result = run(demo("--region", "us-east-1"));

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains("HTTP 502").doesNotContain("Bad Gateway");
    }

    @Test
    void doesNotFollowRedirects() {
        endpoint.answer(302, "text/html", "");

        Result result = run(demo("--region", "us-east-1"));

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains("redirected (HTTP 302)");
        assertThat(endpoint.requests()).hasSize(1);
    }

    @Test
    void sendsAConfidentialClientsSecretWithHttpBasic() {
        endpoint.answerJson(200, TOKEN_RESPONSE);

        Result result = run(demo("--region", "us-east-1", "--client-secret", "s3cret:with&specials"));

        assertThat(result.exitCode()).isZero();
        FakeTokenEndpoint.RecordedRequest request = endpoint.onlyRequest();
        assertThat(request.form()).doesNotContainKey("client_secret").containsEntry("client_id", "aws-workload");
        assertThat(request.authorization()).startsWith("Basic ");
        String decoded = new String(Base64.getDecoder().decode(request.authorization().substring(6)),
                StandardCharsets.UTF_8);
        assertThat(decoded).isEqualTo("aws-workload:s3cret%3Awith%26specials");
    }

    @Test
    void takesTheRegionFromTheRegionChainAndTheAudienceFromTheFlag() throws Exception {
        endpoint.answerJson(200, TOKEN_RESPONSE);

        Result result = run(SESSION_CREDENTIALS, () -> Region.CN_NORTH_1,
                demo("--audience", "https://sso.example.com/realms/demo"));

        assertThat(result.exitCode()).isZero();
        Map<String, String> form = endpoint.onlyRequest().form();
        assertThat(form).containsEntry("region", "cn-north-1");
        assertThat(headers(form.get("headers_json")))
                .containsEntry("Host", "sts.cn-north-1.amazonaws.com.cn")
                .containsEntry("X-Keycloak-Audience", "https://sso.example.com/realms/demo");
    }

    @Test
    void dryRunPrintsTheRequestWithSecretsRedactedAndSendsNothing() throws Exception {
        Result result = run(demo("--region", "us-east-1", "--scope", "read", "--client-secret", "s3cret", "--dry-run"));

        assertThat(result.exitCode()).isZero();
        assertThat(endpoint.requests()).isEmpty();
        SignedIdentityRequest real = new AwsIdentitySigner(SESSION_CREDENTIALS, CLOCK)
                .sign("us-east-1", endpoint.baseUrl() + "/realms/demo");
        String signature = headers(real.headersJson()).get("Authorization").replaceAll(".*Signature=", "");
        assertThat(result.out())
                .doesNotContain(signature)
                .doesNotContain(SESSION_TOKEN)
                .doesNotContain(SECRET_KEY)
                .doesNotContain("s3cret");

        List<String> lines = result.out().lines().toList();
        assertThat(lines.get(0)).isEqualTo("POST " + endpoint.tokenEndpoint());
        assertThat(lines.get(1)).isEqualTo("Authorization: Basic <redacted>");
        assertThat(lines.subList(2, lines.size())).extracting(line -> line.substring(0, line.indexOf('=')))
                .containsExactly("grant_type", "region", "post_body", "headers_json", "client_id", "scope");
        assertThat(lines).contains("grant_type=aws_identity", "region=us-east-1",
                "post_body=Action=GetCallerIdentity&Version=2011-06-15", "client_id=aws-workload", "scope=read");

        Map<String, String> shown = headers(lines.get(5).substring("headers_json=".length()));
        assertThat(shown)
                .containsEntry("X-Amz-Security-Token", "<redacted>")
                .containsEntry("Host", "sts.us-east-1.amazonaws.com")
                .containsEntry("X-Keycloak-Audience", endpoint.baseUrl() + "/realms/demo");
        assertThat(shown.get("Authorization"))
                .startsWith("AWS4-HMAC-SHA256 Credential=" + ACCESS_KEY_ID + "/20261123/us-east-1/sts/aws4_request")
                .endsWith("Signature=<redacted>");
    }

    @Test
    void helpPrintsTheUsageAndExitsZero() {
        Result result = run("--help");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).isEqualTo(CliOptions.USAGE);
        assertThat(result.err()).isEmpty();
    }

    @Test
    void usageErrorsExitTwoWithTheUsageText() {
        Result result = run("--keycloak", endpoint.baseUrl(), "--client-id", "aws-workload");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.out()).isEmpty();
        assertThat(result.err()).startsWith("aws-login: --realm is required").contains(CliOptions.USAGE);
        assertThat(endpoint.requests()).isEmpty();
    }

    @Test
    void aBadKeycloakUrlOrRegionIsAUsageError() {
        assertThat(run("--keycloak", "localhost:8080", "--realm", "demo", "--client-id", "c", "--region", "us-east-1")
                .exitCode()).isEqualTo(2);
        assertThat(run(demo("--region", "us-east-1.evil.example")).exitCode()).isEqualTo(2);
        assertThat(endpoint.requests()).isEmpty();
    }

    @Test
    void noRegionAnywhereIsAUsageError() {
        Result result = run(demo());

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).startsWith("aws-login: no AWS region: pass --region or set AWS_REGION");
    }

    @Test
    void missingCredentialsFailWithTheSdksExplanation() {
        AwsCredentialsProvider none = () -> {
            throw SdkClientException.create("Unable to load credentials from any of the providers in the chain");
        };

        Result result = run(none, NO_REGION, demo("--region", "us-east-1"));

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains("cannot sign with AWS credentials: Unable to load credentials");
        assertThat(endpoint.requests()).isEmpty();
    }

    @Test
    void anUnreachableEndpointFailsWithExitCodeOne() {
        String url = endpoint.baseUrl();
        endpoint.close();

        Result result = run("--keycloak", url, "--realm", "demo", "--client-id", "c", "--region", "us-east-1");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).startsWith("aws-login: cannot reach the token endpoint " + url)
                .doesNotContain(SESSION_TOKEN);
    }
}
