package io.github.kcawspack.awslogin;

import static io.github.kcawspack.awslogin.AwsIdentitySignerTest.ACCESS_KEY_ID;
import static io.github.kcawspack.awslogin.AwsIdentitySignerTest.CLOCK;
import static io.github.kcawspack.awslogin.AwsIdentitySignerTest.SECRET_KEY;
import static io.github.kcawspack.awslogin.AwsIdentitySignerTest.SESSION_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
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
import software.amazon.awssdk.services.sts.StsClient;

/**
 * {@code --method web-identity-token} in-process: the SDK's STS client against a local endpoint
 * that answers GetWebIdentityToken in the Query protocol's XML, then the jwt-bearer grant at a
 * fake token endpoint. The signature itself is verified by the integration tests' STS simulator.
 */
class WebIdentityTokenCommandTest {

    /** Shaped like a JWT; what matters is that it is sent as the assertion and never printed. */
    static final String JWT = "eyJhbGciOiJSUzI1NiIsImtpZCI6ImsxIn0.eyJzdWIiOiJhcm46YXdzOmlhbTo6MTExMTIyMjIzMzMzOnJvbGUvZGVwbG95ZXIifQ.c2lnbmF0dXJlLW9mLXRoZS1hd3MtdG9rZW4";

    private static final AwsCredentialsProvider SESSION_CREDENTIALS = StaticCredentialsProvider.create(
            AwsSessionCredentials.create(ACCESS_KEY_ID, SECRET_KEY, SESSION_TOKEN));
    private static final AwsRegionProvider NO_REGION = () -> {
        throw SdkClientException.create("Unable to load region from any of the providers in the chain");
    };

    private FakeTokenEndpoint endpoint;
    private HttpServer sts;
    private final List<String> stsBodies = new ArrayList<>();
    private volatile int stsStatus = 200;
    private volatile String stsAnswer = tokenResponse(JWT);

    record Result(int exitCode, String out, String err) {
    }

    @BeforeEach
    void start() throws IOException {
        endpoint = new FakeTokenEndpoint();
        sts = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        sts.createContext("/", exchange -> {
            synchronized (stsBodies) {
                stsBodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            }
            byte[] body = stsAnswer.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/xml");
            exchange.sendResponseHeaders(stsStatus, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        sts.start();
    }

    @AfterEach
    void stop() {
        endpoint.close();
        sts.stop(0);
    }

    static String tokenResponse(String jwt) {
        return "<GetWebIdentityTokenResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">"
                + "<GetWebIdentityTokenResult><WebIdentityToken>" + jwt + "</WebIdentityToken>"
                + "<Expiration>2026-01-01T00:05:00.000Z</Expiration></GetWebIdentityTokenResult>"
                + "<ResponseMetadata><RequestId>c6104cbe-af31-11e0-8154-cbc7ccf896c7</RequestId></ResponseMetadata>"
                + "</GetWebIdentityTokenResponse>";
    }

    private Result run(AwsRegionProvider regions, String... extra) {
        List<String> args = new ArrayList<>(List.of("--keycloak", endpoint.baseUrl(), "--realm", "demo",
                "--client-id", "aws-workload", "--method", "web-identity-token"));
        args.addAll(List.of(extra));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exitCode = new AwsLoginCommand(SESSION_CREDENTIALS, regions,
                region -> StsClient.builder().region(Region.of(region)).credentialsProvider(SESSION_CREDENTIALS)
                        .endpointOverride(URI.create("http://127.0.0.1:" + sts.getAddress().getPort())).build(),
                CLOCK, HttpClient.newHttpClient(),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8))
                .run(args.toArray(String[]::new));
        return new Result(exitCode, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private Result run(String... extra) {
        return run(NO_REGION, extra);
    }

    private List<Map<String, String>> stsRequests() {
        synchronized (stsBodies) {
            return stsBodies.stream().map(FakeTokenEndpoint::decode).toList();
        }
    }

    @Test
    void asksStsForAJwtForTheRealmAndExchangesItWithTheJwtBearerGrant() {
        endpoint.answerJson(200, AwsLoginCommandTest.TOKEN_RESPONSE);

        Result result = run("--region", "eu-west-1", "--scope", "read");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(stsRequests()).containsExactly(Map.of("Action", "GetWebIdentityToken", "Version", "2011-06-15",
                "Audience.member.1", endpoint.baseUrl() + "/realms/demo", "SigningAlgorithm", "RS256",
                "DurationSeconds", "300"));
        assertThat(endpoint.onlyRequest().form()).containsExactly(
                Map.entry("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer"),
                Map.entry("assertion", JWT),
                Map.entry("client_id", "aws-workload"),
                Map.entry("scope", "read"));
        assertThat(result.out()).contains("eyJ.access.token").doesNotContain(JWT);
    }

    @Test
    void sendsTheChosenAlgorithmDurationAndAudience() {
        endpoint.answerJson(200, AwsLoginCommandTest.TOKEN_RESPONSE);

        Result result = run(() -> Region.AP_SOUTHEAST_2, "--signing-algorithm", "ES384", "--duration-seconds", "900",
                "--audience", "https://sso.example.com/realms/demo");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(stsRequests().get(0)).containsEntry("SigningAlgorithm", "ES384")
                .containsEntry("DurationSeconds", "900")
                .containsEntry("Audience.member.1", "https://sso.example.com/realms/demo");
    }

    @Test
    void aRefusalOfTheTokenEndpointIsExitCode1AndNeverPrintsTheJwt() {
        endpoint.answerJson(400, "{\"error\":\"invalid_grant\",\"error_description\":\"Invalid assertion\"}");

        Result result = run("--region", "us-east-1");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).isEqualToIgnoringNewLines("invalid_grant: Invalid assertion");
        assertThat(result.out() + result.err()).doesNotContain(JWT).doesNotContain(SECRET_KEY).doesNotContain(SESSION_TOKEN);
    }

    @Test
    void anAccountWithoutOutboundFederationIsNamedWithTheFixAndKeycloakIsNotAsked() {
        stsStatus = 403;
        stsAnswer = "<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><Error><Type>Sender</Type>"
                + "<Code>OutboundWebIdentityFederationDisabledException</Code>"
                + "<Message>Outbound web identity federation is not enabled for this account.</Message></Error>"
                + "<RequestId>c6104cbe-af31-11e0-8154-cbc7ccf896c7</RequestId></ErrorResponse>";

        Result result = run("--region", "us-east-1");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains("STS refused GetWebIdentityToken (HTTP 403 OutboundWebIdentityFederationDisabledException)")
                .contains("not enabled for this account")
                .contains("IAM EnableOutboundWebIdentityFederation");
        assertThat(endpoint.requests()).isEmpty();
    }

    @Test
    void anAnswerThatIsNotStsXmlIsAFailureWithoutEchoingIt() {
        stsStatus = 502;
        stsAnswer = "<html>gateway page with " + JWT + "</html>";

        Result result = run("--region", "us-east-1");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).startsWith("aws-login: ").doesNotContain(JWT).doesNotContain("gateway page");
        assertThat(endpoint.requests()).isEmpty();
    }

    @Test
    void withoutARegionItRefusesToRun() {
        Result result = run();

        assertThat(result.exitCode()).isEqualTo(AwsLoginCommand.USAGE);
        assertThat(result.err()).contains("no AWS region").contains("regional STS endpoint");
        assertThat(stsRequests()).isEmpty();
    }

    @Test
    void theGlobalStsRegionIsRefused() {
        Result result = run("--region", "aws-global");

        assertThat(result.exitCode()).isEqualTo(AwsLoginCommand.USAGE);
        assertThat(result.err()).contains("not available on the global STS endpoint");
        assertThat(stsRequests()).isEmpty();
    }

    @Test
    void aDryRunCallsNoStsAndShowsAPlaceholderForTheJwt() {
        Result result = run("--region", "us-east-1", "--client-secret", "s3cret-value", "--dry-run");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(stsRequests()).isEmpty();
        assertThat(endpoint.requests()).isEmpty();
        assertThat(result.out().lines().toList()).containsExactly(
                "STS GetWebIdentityToken in us-east-1: Audience.member.1=" + endpoint.baseUrl() + "/realms/demo"
                        + " SigningAlgorithm=RS256 DurationSeconds=300",
                "POST " + endpoint.tokenEndpoint(),
                "Authorization: Basic " + SecretRedaction.REDACTED,
                "grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer",
                "assertion=" + SecretRedaction.REDACTED,
                "client_id=aws-workload");
    }

    @Test
    void theDefaultStsClientUsesTheRegionalEndpointEvenWithLegacySettings() {
        // The library's client: the region's own host, whatever AWS_STS_REGIONAL_ENDPOINTS says.
        try (StsClient client = AwsWebIdentityTokenSource.regionalStsClient("us-east-1", SESSION_CREDENTIALS)) {
            var endpoint = client.serviceClientConfiguration().endpointProvider().orElseThrow();
            var params = software.amazon.awssdk.services.sts.endpoints.StsEndpointParams.builder()
                    .region(Region.US_EAST_1).useGlobalEndpoint(true).useFips(false).useDualStack(false).build();
            URI resolved = ((software.amazon.awssdk.services.sts.endpoints.StsEndpointProvider) endpoint)
                    .resolveEndpoint(params).join().url();
            assertThat(resolved.getHost()).isEqualTo("sts.us-east-1.amazonaws.com");
        }
    }
}
