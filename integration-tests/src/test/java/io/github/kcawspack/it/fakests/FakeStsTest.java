package io.github.kcawspack.it.fakests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.SocketException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * {@link FakeSts} over real HTTP, with requests signed by the AWS SDK for Java v2
 * ({@link AwsRequestSigner}) and sent with {@link RawHttpClient} so the signed Host header goes out
 * unchanged.
 */
class FakeStsTest {

    static final String ACCOUNT = "123456789012";
    static final String ROLE_KEY = "ASIAEXAMPLEROLEKEY01";
    static final String ROLE_SECRET = "roleSecretKeyExample/abcdefghijklmnopqrstu";
    static final String ROLE_TOKEN = "IQoJb3JpZ2luX2VjEXAMPLE//////////sessiontoken+/=";
    static final String USER_KEY = "AKIAEXAMPLEUSERKEY01";
    static final String USER_SECRET = "userSecretKeyExample/abcdefghijklmnopqrstu";

    private FakeSts sts;

    @BeforeEach
    void start() {
        sts = FakeSts.start()
                .registerRole(ROLE_KEY, ROLE_SECRET, ROLE_TOKEN, ACCOUNT, "deployer", "session-1", "AROAEXAMPLEID")
                .registerUser(USER_KEY, USER_SECRET, ACCOUNT, "alice", "AIDAEXAMPLEALICE");
    }

    @AfterEach
    void stop() {
        sts.close();
    }

    private static AwsRequestSigner role(String region) {
        return AwsRequestSigner.forRegion(region).credentials(ROLE_KEY, ROLE_SECRET, ROLE_TOKEN).audience("demo");
    }

    private static AwsRequestSigner user(String region) {
        return AwsRequestSigner.forRegion(region).credentials(USER_KEY, USER_SECRET);
    }

    private RawHttpClient.Response send(SignedStsRequest signed) throws IOException {
        return send(signed.toHttpRequest());
    }

    private RawHttpClient.Response send(RawHttpClient.Request request) throws IOException {
        return RawHttpClient.exchange(URI.create(sts.baseUrl()), request, Duration.ofSeconds(10));
    }

    @Nested
    class LikeAws {

        @Test
        void assumedRoleGetsItsIdentity() throws Exception {
            SignedStsRequest signed = role("us-east-1").sign();
            RawHttpClient.Response response = send(signed);

            assertThat(response.status()).as(response.toString()).isEqualTo(200);
            assertThat(response.header("Content-Type")).isEqualTo("text/xml");
            Element result = identityResult(response);
            assertThat(text(result, "Arn")).isEqualTo("arn:aws:sts::123456789012:assumed-role/deployer/session-1");
            assertThat(text(result, "UserId")).isEqualTo("AROAEXAMPLEID:session-1");
            assertThat(text(result, "Account")).isEqualTo(ACCOUNT);
            assertThat(response.bodyText()).matches("(?s).*<RequestId>[0-9a-f-]{36}</RequestId>.*");

            ReceivedRequest received = sts.lastRequest().orElseThrow();
            assertThat(received.method()).isEqualTo("POST");
            assertThat(received.rawPath()).isEqualTo("/");
            assertThat(received.single("Host")).isEqualTo("sts.us-east-1.amazonaws.com");
            assertThat(received.single("X-Keycloak-Audience")).isEqualTo("demo");
            assertThat(received.bodyAsString()).isEqualTo("Action=GetCallerIdentity&Version=2011-06-15");
            assertThat(sts.requestCount()).isEqualTo(1);
            assertThat(sts.verifiedCount()).isEqualTo(1);
            assertThat(sts.connectionCount()).isEqualTo(1);
        }

        @Test
        void iamUserGetsItsIdentityWithThePartitionOfTheRegion() throws Exception {
            assertThat(text(identityResult(send(user("eu-west-1").sign())), "Arn"))
                    .isEqualTo("arn:aws:iam::123456789012:user/alice");
            assertThat(text(identityResult(send(user("cn-north-1").sign())), "Arn"))
                    .isEqualTo("arn:aws-cn:iam::123456789012:user/alice");
            assertThat(sts.lastRequest().orElseThrow().single("Host")).isEqualTo("sts.cn-north-1.amazonaws.com.cn");
            Element govCloud = identityResult(send(user("us-gov-west-1").sign()));
            assertThat(text(govCloud, "Arn")).isEqualTo("arn:aws-us-gov:iam::123456789012:user/alice");
            assertThat(text(govCloud, "UserId")).isEqualTo("AIDAEXAMPLEALICE");
        }

        @Test
        void signerProducesTheGrantParameters() {
            SignedStsRequest signed = role("eu-central-1").sign();
            Map<String, String> headers = signed.headers();

            assertThat(signed.region()).isEqualTo("eu-central-1");
            assertThat(signed.postBody()).isEqualTo("Action=GetCallerIdentity&Version=2011-06-15");
            assertThat(headers).containsKeys("Host", "X-Amz-Date", "Authorization", "Content-Type",
                    "X-Amz-Security-Token", "X-Keycloak-Audience");
            assertThat(headers.get("Host")).isEqualTo("sts.eu-central-1.amazonaws.com");
            assertThat(headers.get("X-Amz-Security-Token")).isEqualTo(ROLE_TOKEN);
            assertThat(headers.get("Content-Type")).isEqualTo("application/x-www-form-urlencoded; charset=utf-8");
            assertThat(headers.get("Authorization"))
                    .startsWith("AWS4-HMAC-SHA256 Credential=" + ROLE_KEY + "/")
                    .contains("/eu-central-1/sts/aws4_request")
                    .contains("x-amz-security-token").contains("x-keycloak-audience");
            assertThat(signed.grantParameters()).containsOnlyKeys("region", "post_body", "headers_json");
            assertThat(user("eu-central-1").sign().headers()).doesNotContainKeys("X-Amz-Security-Token",
                    "X-Keycloak-Audience");
        }

        @Test
        void extraSignedHeaderIsCoveredAndExtraUnsignedHeaderIsNot() throws Exception {
            SignedStsRequest signed = role("us-east-1").signedHeader("X-Extra", "one")
                    .unsignedHeader("X-Unsigned", "two").sign();
            assertThat(signed.headers().get("Authorization")).contains("x-extra").doesNotContain("x-unsigned");
            assertThat(send(signed).status()).isEqualTo(200);
        }
    }

    @Nested
    class RefusesWhatAwsRefuses {

        @Test
        void changedBody() throws Exception {
            SignedStsRequest signed = role("us-east-1").sign();
            assertError(send(withBody(signed.toHttpRequest(), "Action=GetCallerIdentity&Version=2011-06-16")),
                    403, "SignatureDoesNotMatch");
        }

        @Test
        void changedSignedHeader() throws Exception {
            assertError(send(role("us-east-1").unsignedHeader("X-Keycloak-Audience", "other-realm").sign()),
                    403, "SignatureDoesNotMatch");
            assertError(send(role("us-east-1").unsignedHeader("Content-Type",
                    "application/x-www-form-urlencoded").sign()), 403, "SignatureDoesNotMatch");
        }

        @Test
        void droppedSignedHeader() throws Exception {
            SignedStsRequest signed = role("us-east-1").sign();
            RawHttpClient.Request request = signed.toHttpRequest();
            List<Map.Entry<String, String>> headers = new ArrayList<>(request.headers());
            headers.removeIf(header -> header.getKey().equals("X-Keycloak-Audience"));
            assertError(send(new RawHttpClient.Request("POST", "/", headers, request.body())),
                    403, "SignatureDoesNotMatch");
        }

        @Test
        void wrongSecret() throws Exception {
            assertError(send(AwsRequestSigner.forRegion("us-east-1").credentials(USER_KEY, USER_SECRET + "x").sign()),
                    403, "SignatureDoesNotMatch");
        }

        @Test
        void unknownAccessKeyAndWrongOrMissingSessionToken() throws Exception {
            assertError(send(AwsRequestSigner.forRegion("us-east-1").credentials("AKIAUNKNOWNKEY000000", "s").sign()),
                    403, "InvalidClientTokenId");
            assertError(send(AwsRequestSigner.forRegion("us-east-1").credentials(ROLE_KEY, ROLE_SECRET).sign()),
                    403, "InvalidClientTokenId");
            assertError(send(AwsRequestSigner.forRegion("us-east-1")
                    .credentials(ROLE_KEY, ROLE_SECRET, ROLE_TOKEN + "x").sign()), 403, "InvalidClientTokenId");
        }

        @Test
        void expiredCredentials() throws Exception {
            sts.expireCredentials(ROLE_KEY);
            assertError(send(role("us-east-1").sign()), 403, "ExpiredToken");
        }

        @Test
        void staleOrFutureDate() throws Exception {
            Clock twentyMinutesAgo = Clock.offset(Clock.systemUTC(), Duration.ofMinutes(-20));
            RawHttpClient.Response stale = send(role("us-east-1").clock(twentyMinutesAgo).sign());
            assertError(stale, 403, "SignatureDoesNotMatch");
            assertThat(stale.bodyText()).contains("Signature expired");

            Clock twentyMinutesAhead = Clock.offset(Clock.systemUTC(), Duration.ofMinutes(20));
            RawHttpClient.Response future = send(role("us-east-1").clock(twentyMinutesAhead).sign());
            assertError(future, 403, "SignatureDoesNotMatch");
            assertThat(future.bodyText()).contains("Signature not yet current");

            Clock tenMinutesAgo = Clock.offset(Clock.systemUTC(), Duration.ofMinutes(-10));
            assertThat(send(role("us-east-1").clock(tenMinutesAgo).sign()).status()).isEqualTo(200);
        }

        @Test
        void hostChangedAfterSigning() throws Exception {
            assertError(send(role("us-east-1").unsignedHeader("Host", "sts.eu-west-1.amazonaws.com").sign()),
                    403, "SignatureDoesNotMatch");
        }

        @Test
        void hostOfAnotherRegionOrServiceEvenWhenSigned() throws Exception {
            RawHttpClient.Response otherRegion = send(role("us-east-1").host("sts.eu-west-1.amazonaws.com").sign());
            assertError(otherRegion, 403, "SignatureDoesNotMatch");
            assertThat(otherRegion.bodyText()).contains("sts.us-east-1.amazonaws.com");
            assertThat(sts.verifiedCount()).isEqualTo(1);
            assertError(send(role("us-east-1").host("evil.example.com").sign()), 403, "SignatureDoesNotMatch");

            sts.expectHost("sts.amazonaws.com");
            assertThat(send(role("us-east-1").host("sts.amazonaws.com").sign()).status()).isEqualTo(200);
        }

        @Test
        void otherBodiesEvenWhenSigned() throws Exception {
            assertError(send(role("us-east-1").body("Action=AssumeRole&Version=2011-06-15").sign()),
                    400, "InvalidAction");
            assertError(send(role("us-east-1").body("Version=2011-06-15").sign()), 400, "MissingAction");
            assertError(send(role("us-east-1").body("Action=GetCallerIdentity&Version=2011-06-15&Action=GetCallerIdentity")
                    .sign()), 400, "InvalidAction");
            assertError(send(role("us-east-1").body("Action=GetCallerIdentity&Version=2011-06-15&X=1").sign()),
                    400, "InvalidParameterValue");
            assertThat(send(role("us-east-1").body("Version=2011-06-15&Action=GetCallerIdentity").sign()).status())
                    .isEqualTo(200);
        }

        @Test
        void otherContentTypeEvenWhenSigned() throws Exception {
            assertError(send(role("us-east-1").signedHeader("Content-Type", "application/json").sign()),
                    400, "InvalidParameterValue");
            assertThat(send(role("us-east-1").signedHeader("Content-Type", "application/x-www-form-urlencoded").sign())
                    .status()).isEqualTo(200);
        }

        @Test
        void missingAuthorization() throws Exception {
            RawHttpClient.Request request = role("us-east-1").sign().toHttpRequest();
            List<Map.Entry<String, String>> headers = new ArrayList<>(request.headers());
            headers.removeIf(header -> header.getKey().equals("Authorization"));
            assertError(send(new RawHttpClient.Request("POST", "/", headers, request.body())),
                    403, "MissingAuthenticationToken");
        }

        @Test
        void otherMethodOrPath() throws Exception {
            RawHttpClient.Request request = role("us-east-1").sign().toHttpRequest();
            assertError(send(new RawHttpClient.Request("PUT", "/", request.headers(), request.body())),
                    405, "MethodNotAllowed");
            assertError(send(new RawHttpClient.Request("POST", "/x", request.headers(), request.body())),
                    404, "NotFound");
        }

        @Test
        void onlyVerifiedRequestsAreCountedAsVerified() throws Exception {
            send(role("us-east-1").sign());
            send(role("us-east-1").unsignedHeader("X-Keycloak-Audience", "x").sign());
            send(user("us-east-1").sign());
            assertThat(sts.requestCount()).isEqualTo(3);
            assertThat(sts.verifiedCount()).isEqualTo(2);
            assertThat(sts.requests()).hasSize(3);
            sts.reset();
            assertThat(sts.requestCount()).isZero();
            assertThat(sts.connectionCount()).isZero();
            assertThat(sts.lastRequest()).isEmpty();
        }
    }

    @Nested
    class Behaviours {

        @Test
        void queuedBehavioursApplyOnceEachInOrder() throws Exception {
            sts.enqueue(StsBehaviour.throttling(), StsBehaviour.internalFailure());
            RawHttpClient.Response throttled = send(role("us-east-1").sign());
            RawHttpClient.Response failed = send(role("us-east-1").sign());
            RawHttpClient.Response normal = send(role("us-east-1").sign());

            assertError(throttled, 400, "Throttling");
            assertThat(throttled.bodyText()).contains("<Type>Sender</Type>");
            assertError(failed, 500, "InternalFailure");
            assertThat(failed.bodyText()).contains("<Type>Receiver</Type>");
            assertThat(normal.status()).isEqualTo(200);
            assertThat(sts.verifiedCount()).isEqualTo(3);
        }

        @Test
        void fixedErrorAndDefaultBehaviour() throws Exception {
            sts.setDefaultBehaviour(StsBehaviour.expiredToken());
            assertError(send(role("us-east-1").sign()), 403, "ExpiredToken");
            assertError(send(role("us-east-1").sign()), 403, "ExpiredToken");
            sts.setDefaultBehaviour(StsBehaviour.error("AccessDenied", 403, "no"));
            assertError(send(role("us-east-1").sign()), 403, "AccessDenied");
        }

        @Test
        void delayBeforeHeadersAndFixedLatency() throws Exception {
            sts.enqueue(StsBehaviour.normal().delayedBy(Duration.ofMillis(400)));
            long start = System.nanoTime();
            assertThat(send(role("us-east-1").sign()).status()).isEqualTo(200);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(400));

            sts.setLatency(Duration.ofMillis(300));
            start = System.nanoTime();
            assertThat(send(role("us-east-1").sign()).status()).isEqualTo(200);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
        }

        @Test
        void delayLongerThanTheClientWaitsTimesOut() throws Exception {
            sts.enqueue(StsBehaviour.normal().delayedBy(Duration.ofSeconds(3)));
            RawHttpClient.Request request = role("us-east-1").sign().toHttpRequest();
            assertThatThrownBy(() -> RawHttpClient.exchange(URI.create(sts.baseUrl()), request, Duration.ofMillis(300)))
                    .isInstanceOf(java.net.SocketTimeoutException.class);
        }

        @Test
        void drippedBodyArrivesWholeButSlowly() throws Exception {
            sts.enqueue(StsBehaviour.normal().dripped(64, Duration.ofMillis(50)));
            long start = System.nanoTime();
            RawHttpClient.Response response = send(role("us-east-1").sign());
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            assertThat(response.status()).isEqualTo(200);
            assertThat(text(identityResult(response), "Account")).isEqualTo(ACCOUNT);
            int chunks = (response.body().length + 63) / 64;
            assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(50L * (chunks - 1)));
        }

        @Test
        void closeWithoutAnswer() throws Exception {
            sts.enqueue(StsBehaviour.closeWithoutAnswer());
            assertThatThrownBy(() -> send(role("us-east-1").sign()))
                    .isInstanceOf(RawHttpClient.NoResponseException.class);
            assertThat(sts.requestCount()).isEqualTo(1);
            assertThat(send(role("us-east-1").sign()).status()).isEqualTo(200);
        }

        @Test
        void hangBeforeHeadersAnswersOnlyAfterTheHang() throws Exception {
            sts.enqueue(StsBehaviour.hangBeforeHeaders(Duration.ofSeconds(1)));
            long start = System.nanoTime();
            RawHttpClient.Response response = send(role("us-east-1").sign());

            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
            assertThat(text(identityResult(response), "Account")).isEqualTo(ACCOUNT);
        }

        @Test
        void dripBodySendsOneByteAtATime() throws Exception {
            sts.enqueue(StsBehaviour.dripBody(Duration.ofMillis(2)));
            long start = System.nanoTime();
            RawHttpClient.Response response = send(role("us-east-1").sign());

            assertThat(text(identityResult(response), "Account")).isEqualTo(ACCOUNT);
            assertThat(Duration.ofNanos(System.nanoTime() - start))
                    .isGreaterThanOrEqualTo(Duration.ofMillis(2L * (response.body().length - 1)));
        }

        @Test
        void resetConnection() throws Exception {
            sts.enqueue(StsBehaviour.resetConnection());
            assertThatThrownBy(() -> send(role("us-east-1").sign()))
                    .isInstanceOf(SocketException.class)
                    .hasMessageContaining("reset");
            assertThat(sts.requestCount()).isEqualTo(1);
            assertThat(sts.lastResponse()).isEmpty();
            assertThat(send(role("us-east-1").sign()).status()).isEqualTo(200);
            assertThat(sts.lastResponse()).hasValueSatisfying(response -> assertThat(response.status()).isEqualTo(200));
        }

        @Test
        void redirectToAnotherHost() throws Exception {
            sts.enqueue(StsBehaviour.redirectToAnotherHost());
            RawHttpClient.Response response = send(role("us-east-1").sign());
            assertThat(response.status()).isEqualTo(302);
            assertThat(response.header("Location")).isEqualTo("http://localhost:" + sts.port() + "/redirected");
            assertThat(sts.requests()).extracting(ReceivedRequest::rawPath).containsExactly("/");
        }

        @Test
        void oversizeBody() throws Exception {
            sts.enqueue(StsBehaviour.oversizeBody(1024 * 1024));
            RawHttpClient.Response response = send(role("us-east-1").sign());
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.body().length).isEqualTo(1024 * 1024);
            assertThat(text(identityResult(response), "Account")).isEqualTo(ACCOUNT);
        }

        @Test
        void bodiesOfTheWrongKind() throws Exception {
            sts.enqueue(StsBehaviour.jsonBody(), StsBehaviour.htmlBody());
            RawHttpClient.Response json = send(role("us-east-1").sign());
            RawHttpClient.Response html = send(role("us-east-1").sign());
            assertThat(json.status()).isEqualTo(200);
            assertThat(json.header("Content-Type")).isEqualTo("application/json");
            assertThat(json.bodyText()).startsWith("{\"GetCallerIdentityResponse\"")
                    .contains("arn:aws:sts::123456789012:assumed-role/deployer/session-1");
            assertThat(html.header("Content-Type")).startsWith("text/html");
            assertThat(html.bodyText()).startsWith("<!DOCTYPE html>");
        }

        @Test
        void xmlThatAStrictParserMustRefuse() throws Exception {
            sts.enqueue(StsBehaviour.xmlWithInternalEntity(), StsBehaviour.xmlWithExternalEntity(),
                    StsBehaviour.wrongNamespace(), StsBehaviour.twoResults(), StsBehaviour.emptyFields(),
                    StsBehaviour.inconsistentFields());
            List<RawHttpClient.Response> responses = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                responses.add(send(role("us-east-1").sign()));
            }
            assertThat(responses).allSatisfy(response -> {
                assertThat(response.status()).isEqualTo(200);
                assertThat(response.header("Content-Type")).isEqualTo("text/xml");
            });
            assertThat(responses.get(0).bodyText()).contains("<!ENTITY arn \"arn:aws:iam::999999999999:root\">")
                    .contains("<Arn>&arn;</Arn>");
            assertThat(responses.get(1).bodyText()).contains("SYSTEM \"file:///etc/hostname\"");
            assertThat(responses.get(2).bodyText()).contains("xmlns=\"https://sts.amazonaws.com/doc/2011-06-16/\"");
            assertThat(responses.get(3).bodyText().split("<GetCallerIdentityResult>", -1)).hasSize(3);
            assertThat(responses.get(4).bodyText()).contains("<Arn></Arn>").contains("<Account></Account>");
            Element inconsistent = identityResult(responses.get(5));
            assertThat(text(inconsistent, "Arn")).contains(":123456789012:");
            assertThat(text(inconsistent, "Account")).isEqualTo("999999999999");
        }
    }

    @Nested
    class Connections {

        @Test
        void keepAliveRequestsShareOneConnection() throws Exception {
            try (RawHttpClient connection = new RawHttpClient(URI.create(sts.baseUrl()), Duration.ofSeconds(10))) {
                for (int i = 0; i < 3; i++) {
                    assertThat(connection.send(role("us-east-1").sign().toHttpRequest()).status()).isEqualTo(200);
                }
            }
            assertThat(sts.requestCount()).isEqualTo(3);
            assertThat(sts.connectionCount()).isEqualTo(1);
        }

        @Test
        void separateConnectionsAreCountedEvenWithoutARequest() throws Exception {
            for (int i = 0; i < 3; i++) {
                send(role("us-east-1").sign());
            }
            new RawHttpClient(URI.create(sts.baseUrl()), Duration.ofSeconds(1)).close();
            Instant deadline = Instant.now().plusSeconds(5);
            while (sts.connectionCount() < 4 && Instant.now().isBefore(deadline)) {
                Thread.sleep(10);
            }
            assertThat(sts.connectionCount()).isEqualTo(4);
            assertThat(sts.requestCount()).isEqualTo(3);
        }
    }

    /** GetWebIdentityToken as the STS API reference documents it, signed as the SDK's STS client signs it. */
    @Nested
    class WebIdentityToken {

        private static final String REQUEST = "Action=GetWebIdentityToken&Version=2011-06-15"
                + "&Audience.member.1=https%3A%2F%2Fsso.example.com%2Frealms%2Fdemo&SigningAlgorithm=ES384&DurationSeconds=120";

        private final List<List<Object>> issued = new ArrayList<>();

        private void enableFederation() {
            sts.issueWebIdentityTokensWith((principalArn, account, audiences, algorithm, issuedAt, lifetime) -> {
                issued.add(List.of(principalArn, account, audiences, algorithm, lifetime));
                return "header.payload.signature";
            });
        }

        @Test
        void aRoleSessionGetsATokenWhoseSubjectIsTheRoleNotTheSession() throws Exception {
            enableFederation();
            RawHttpClient.Response response = send(role("eu-west-1").body(REQUEST).sign());

            assertThat(response.status()).as(response.toString()).isEqualTo(200);
            Element root = parse(response).getDocumentElement();
            assertThat(root.getLocalName()).isEqualTo("GetWebIdentityTokenResponse");
            assertThat(root.getNamespaceURI()).isEqualTo(StsXml.NAMESPACE);
            Element result = (Element) root.getElementsByTagNameNS(StsXml.NAMESPACE, "GetWebIdentityTokenResult").item(0);
            assertThat(text(result, "WebIdentityToken")).isEqualTo("header.payload.signature");
            Instant expiration = Instant.parse(text(result, "Expiration"));
            assertThat(expiration).isBetween(Instant.now().plusSeconds(60), Instant.now().plusSeconds(121));
            assertThat(issued).containsExactly(List.of("arn:aws:iam::123456789012:role/deployer", ACCOUNT,
                    List.of("https://sso.example.com/realms/demo"), "ES384", Duration.ofSeconds(120)));
        }

        @Test
        void withoutDurationTheTokenLivesFiveMinutesAndAUserIsItsOwnSubject() throws Exception {
            enableFederation();
            send(user("us-east-1").body("Action=GetWebIdentityToken&Version=2011-06-15&Audience.member.1=a"
                    + "&Audience.member.2=b&SigningAlgorithm=RS256").sign());

            assertThat(issued).containsExactly(List.of("arn:aws:iam::123456789012:user/alice", ACCOUNT,
                    List.of("a", "b"), "RS256", Duration.ofSeconds(300)));
        }

        @Test
        void anAccountThatDidNotEnableOutboundFederationIsRefused() throws Exception {
            assertError(send(role("us-east-1").body(REQUEST).sign()), 403, "OutboundWebIdentityFederationDisabledException");
        }

        @Test
        void parametersOutsideTheDocumentedConstraintsAreRefused() throws Exception {
            enableFederation();
            String base = "Action=GetWebIdentityToken&Version=2011-06-15";
            assertError(send(role("us-east-1").body(base + "&Audience.member.1=a").sign()), 400, "ValidationError");
            assertError(send(role("us-east-1").body(base + "&SigningAlgorithm=RS256").sign()), 400, "ValidationError");
            assertError(send(role("us-east-1").body(base + "&Audience.member.2=a&SigningAlgorithm=RS256").sign()),
                    400, "ValidationError");
            assertError(send(role("us-east-1").body(base + "&Audience.member.1=a&SigningAlgorithm=HS256").sign()),
                    400, "ValidationError");
            assertError(send(role("us-east-1").body(base + "&Audience.member.1=a&SigningAlgorithm=RS256"
                    + "&DurationSeconds=59").sign()), 400, "ValidationError");
            assertError(send(role("us-east-1").body(base + "&Audience.member.1=a&SigningAlgorithm=RS256"
                    + "&DurationSeconds=3601").sign()), 400, "ValidationError");
            assertError(send(role("us-east-1").body(base + "&Audience.member.1=" + "x".repeat(1001)
                    + "&SigningAlgorithm=RS256").sign()), 400, "ValidationError");
            StringBuilder eleven = new StringBuilder(base + "&SigningAlgorithm=RS256");
            for (int n = 1; n <= 11; n++) {
                eleven.append("&Audience.member.").append(n).append("=a");
            }
            assertError(send(role("us-east-1").body(eleven.toString()).sign()), 400, "ValidationError");
            assertThat(issued).isEmpty();
        }

        @Test
        void theSignatureIsCheckedFirst() throws Exception {
            enableFederation();
            RawHttpClient.Request request = role("us-east-1").body(REQUEST).sign().toHttpRequest();

            assertError(send(withBody(request, REQUEST.replace("ES384", "RS256"))), 403, "SignatureDoesNotMatch");
            assertThat(issued).isEmpty();
        }
    }

    static RawHttpClient.Request withBody(RawHttpClient.Request request, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        List<Map.Entry<String, String>> headers = new ArrayList<>(request.headers());
        headers.replaceAll(header -> header.getKey().equals("Content-Length")
                ? Map.entry("Content-Length", String.valueOf(bytes.length)) : header);
        return new RawHttpClient.Request(request.method(), request.target(), headers, bytes);
    }

    static void assertError(RawHttpClient.Response response, int status, String code) throws Exception {
        assertThat(response.status()).as(response.toString()).isEqualTo(status);
        assertThat(response.header("Content-Type")).isEqualTo("text/xml");
        Element root = parse(response).getDocumentElement();
        assertThat(root.getLocalName()).isEqualTo("ErrorResponse");
        assertThat(root.getNamespaceURI()).isEqualTo(StsXml.NAMESPACE);
        assertThat(text(root, "Code")).isEqualTo(code);
        assertThat(text(root, "RequestId")).isNotBlank();
    }

    /** The single GetCallerIdentityResult of a response in STS's namespace. */
    static Element identityResult(RawHttpClient.Response response) throws Exception {
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        Element root = parse(response).getDocumentElement();
        assertThat(root.getLocalName()).isEqualTo("GetCallerIdentityResponse");
        assertThat(root.getNamespaceURI()).isEqualTo(StsXml.NAMESPACE);
        assertThat(root.getElementsByTagNameNS(StsXml.NAMESPACE, "GetCallerIdentityResult").getLength()).isEqualTo(1);
        return (Element) root.getElementsByTagNameNS(StsXml.NAMESPACE, "GetCallerIdentityResult").item(0);
    }

    static String text(Element parent, String localName) {
        return parent.getElementsByTagNameNS(StsXml.NAMESPACE, localName).item(0).getTextContent();
    }

    private static Document parse(RawHttpClient.Response response) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        return factory.newDocumentBuilder().parse(new ByteArrayInputStream(response.body()));
    }
}
