package io.github.kcawspack.it.fakests;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.kcawspack.awslogin.AwsIdentitySigner;
import io.github.kcawspack.awslogin.SignedIdentityRequest;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;

/**
 * Signs {@code sts:GetCallerIdentity} the way an AWS workload does and returns what the workload
 * sends to Keycloak.
 *
 * <p>A request as users make it (the STS host of the region, GetCallerIdentity's body, an audience,
 * at most an {@code amz-sdk-invocation-id} besides) is signed by the shipped client's own
 * {@link AwsIdentitySigner}, with static credentials and this builder's clock. Only what that signer
 * cannot make, because a user cannot either, is signed here directly with the AWS SDK's
 * {@link AwsV4HttpSigner}: another host or body, other or no audience, extra signed headers. Headers
 * added after signing ({@link #unsignedHeader}) are the tests' hook to tamper with either.
 *
 * <pre>
 * SignedStsRequest signed = AwsRequestSigner.forRegion("eu-west-1")
 *         .credentials("ASIA...", "secret", "token").audience("demo").sign();
 * </pre>
 */
public final class AwsRequestSigner {

    public static final String GET_CALLER_IDENTITY_BODY = "Action=GetCallerIdentity&Version=2011-06-15";
    public static final String FORM_CONTENT_TYPE = "application/x-www-form-urlencoded; charset=utf-8";
    public static final String AUDIENCE_HEADER = "X-Keycloak-Audience";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String region;
    private AwsCredentialsIdentity credentials;
    private String host;
    private String body = GET_CALLER_IDENTITY_BODY;
    private Clock clock = Clock.systemUTC();
    private final Map<String, String> signedHeaders = new LinkedHashMap<>();
    private final Map<String, String> unsignedHeaders = new LinkedHashMap<>();

    private AwsRequestSigner(String region) {
        this.region = region;
        this.host = StsIdentity.stsHostOf(region);
        signedHeaders.put("Content-Type", FORM_CONTENT_TYPE);
    }

    public static AwsRequestSigner forRegion(String region) {
        return new AwsRequestSigner(region);
    }

    /** Permanent access keys (IAM user). */
    public AwsRequestSigner credentials(String accessKeyId, String secretKey) {
        credentials = AwsCredentialsIdentity.create(accessKeyId, secretKey);
        return this;
    }

    /** Temporary credentials: the signer adds and signs X-Amz-Security-Token. */
    public AwsRequestSigner credentials(String accessKeyId, String secretKey, String sessionToken) {
        credentials = AwsSessionCredentialsIdentity.create(accessKeyId, secretKey, sessionToken);
        return this;
    }

    /** Adds the signed {@code X-Keycloak-Audience} header naming the realm the proof is meant for. */
    public AwsRequestSigner audience(String audience) {
        return signedHeader(AUDIENCE_HEADER, audience);
    }

    /** The signing time comes from this clock: a clock 20 minutes back makes a stale request. */
    public AwsRequestSigner clock(Clock clock) {
        this.clock = clock;
        return this;
    }

    /** Signs for another Host than {@code sts.<region>.amazonaws.com} (the URL is only used for signing). */
    public AwsRequestSigner host(String host) {
        this.host = host;
        return this;
    }

    /** Signs another body than GetCallerIdentity's. */
    public AwsRequestSigner body(String body) {
        this.body = body;
        return this;
    }

    /** A header added before signing: it is covered by the signature. Replaces Content-Type too. */
    public AwsRequestSigner signedHeader(String name, String value) {
        signedHeaders.put(name, value);
        return this;
    }

    /** A header put into headers_json after signing; with a signed header's name, it replaces that value. */
    public AwsRequestSigner unsignedHeader(String name, String value) {
        unsignedHeaders.put(name, value);
        return this;
    }

    public SignedStsRequest sign() {
        if (credentials == null) {
            throw new IllegalStateException("credentials(...) first");
        }
        if (signsAsTheShippedClientDoes()) {
            return withUnsignedHeaders(signWithTheShippedClient());
        }
        SdkHttpRequest.Builder request = SdkHttpRequest.builder()
                .method(SdkHttpMethod.POST)
                .uri(URI.create("https://" + host + "/"));
        signedHeaders.forEach(request::putHeader);

        SignedRequest signed = AwsV4HttpSigner.create().sign(sign -> sign
                .identity(credentials)
                .request(request.build())
                .payload(ContentStreamProvider.fromUtf8String(body))
                .putProperty(AwsV4FamilyHttpSigner.SERVICE_SIGNING_NAME, "sts")
                .putProperty(AwsV4HttpSigner.REGION_NAME, region)
                .putProperty(HttpSigner.SIGNING_CLOCK, clock));

        Map<String, String> headers = new LinkedHashMap<>();
        // The SDK signs the host from the URL; its HTTP client would send it as Host.
        headers.put("Host", host);
        signed.request().forEachHeader((name, values) -> headers.put(name, single(name, values)));
        headers.putAll(unsignedHeaders);
        try {
            return new SignedStsRequest(region, body, JSON.writeValueAsString(headers));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private boolean signsAsTheShippedClientDoes() {
        Set<String> names = new HashSet<>();
        signedHeaders.keySet().forEach(name -> names.add(name.toLowerCase(Locale.ROOT)));
        return host.equals(StsIdentity.stsHostOf(region))
                && body.equals(AwsIdentitySigner.GET_CALLER_IDENTITY_BODY)
                && FORM_CONTENT_TYPE.equals(signedHeaders.get("Content-Type"))
                && signedHeaders.get(AUDIENCE_HEADER) != null
                && Set.of("content-type", "x-keycloak-audience", AwsIdentitySigner.INVOCATION_ID_HEADER).containsAll(names);
    }

    private SignedIdentityRequest signWithTheShippedClient() {
        AwsCredentials identity = credentials instanceof AwsSessionCredentialsIdentity session
                ? AwsSessionCredentials.create(session.accessKeyId(), session.secretAccessKey(), session.sessionToken())
                : AwsBasicCredentials.create(credentials.accessKeyId(), credentials.secretAccessKey());
        String invocationId = signedHeaders.entrySet().stream()
                .filter(header -> header.getKey().equalsIgnoreCase(AwsIdentitySigner.INVOCATION_ID_HEADER))
                .map(Map.Entry::getValue).findFirst().orElseGet(() -> UUID.randomUUID().toString());
        return new AwsIdentitySigner(StaticCredentialsProvider.create(identity), clock, () -> invocationId)
                .sign(region, signedHeaders.get(AUDIENCE_HEADER));
    }

    private SignedStsRequest withUnsignedHeaders(SignedIdentityRequest signed) {
        try {
            Map<String, String> headers = JSON.readValue(signed.headersJson(),
                    new TypeReference<LinkedHashMap<String, String>>() { });
            headers.putAll(unsignedHeaders);
            return new SignedStsRequest(signed.region(), signed.postBody(), JSON.writeValueAsString(headers));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String single(String name, List<String> values) {
        if (values.size() != 1) {
            throw new IllegalStateException("header " + name + " has " + values.size() + " values");
        }
        return values.get(0);
    }
}
