package io.github.kcawspack.awslogin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.UUID;
import java.util.function.Supplier;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;

/**
 * Signs {@code sts:GetCallerIdentity} with the AWS SDK's SigV4 signer and returns it unsent. The
 * signed {@code X-Keycloak-Audience} header binds the proof to one realm: any other realm or
 * server that receives it expects its own audience and refuses it, so a proof sent to the wrong
 * place cannot be reused there.
 *
 * <pre>
 * SignedIdentityRequest signed = new AwsIdentitySigner(DefaultCredentialsProvider.builder().build(), Clock.systemUTC())
 *         .sign("eu-west-1", "https://keycloak.example.com/realms/demo");
 * </pre>
 */
public final class AwsIdentitySigner {

    public static final String GET_CALLER_IDENTITY_BODY = "Action=GetCallerIdentity&Version=2011-06-15";
    public static final String FORM_CONTENT_TYPE = "application/x-www-form-urlencoded; charset=utf-8";
    public static final String AUDIENCE_HEADER = "X-Keycloak-Audience";
    public static final String INVOCATION_ID_HEADER = "amz-sdk-invocation-id";
    static final String STS_SIGNING_NAME = "sts";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final AwsCredentialsProvider credentialsProvider;
    private final Clock clock;

    private final Supplier<String> invocationIds;

    public AwsIdentitySigner(AwsCredentialsProvider credentialsProvider, Clock clock) {
        this(credentialsProvider, clock, () -> UUID.randomUUID().toString());
    }

    /** @param invocationIds a fresh value per signed request (random in production) */
    public AwsIdentitySigner(AwsCredentialsProvider credentialsProvider, Clock clock, Supplier<String> invocationIds) {
        this.credentialsProvider = Objects.requireNonNull(credentialsProvider, "credentialsProvider");
        this.clock = Objects.requireNonNull(clock, "clock");
            this.invocationIds = invocationIds;
    }

    /**
     * Resolves credentials now (temporary credentials add a signed {@code X-Amz-Security-Token})
     * and signs for the STS endpoint of {@code region}, with the signing time from the clock.
     */
    public SignedIdentityRequest sign(String region, String audience) {
        if (audience == null || audience.isBlank()) {
            throw new IllegalArgumentException("audience is required: the realm's issuer URL");
        }
        String host = StsHost.forRegion(region);
        SdkHttpRequest unsigned = SdkHttpRequest.builder()
                .method(SdkHttpMethod.POST)
                .uri(URI.create("https://" + host + "/"))
                .putHeader("Content-Type", FORM_CONTENT_TYPE)
                .putHeader(AUDIENCE_HEADER, audience)
                // SigV4 is deterministic and Keycloak accepts a signed request once: a random signed
                // value keeps two logins in the same second from being one (refused) request.
                .putHeader(INVOCATION_ID_HEADER, invocationIds.get())
                .build();

        SignedRequest signed = AwsV4HttpSigner.create().sign(request -> request
                .identity(credentialsProvider.resolveCredentials())
                .request(unsigned)
                .payload(ContentStreamProvider.fromUtf8String(GET_CALLER_IDENTITY_BODY))
                .putProperty(AwsV4FamilyHttpSigner.SERVICE_SIGNING_NAME, STS_SIGNING_NAME)
                .putProperty(AwsV4HttpSigner.REGION_NAME, region)
                .putProperty(HttpSigner.SIGNING_CLOCK, clock));

        return new SignedIdentityRequest(region, GET_CALLER_IDENTITY_BODY, toJson(headersOf(signed, host)));
    }

    /**
     * The headers an SDK HTTP client would send, as the signer produced them. The signer always
     * signs the URL's host; the server needs it as an explicit Host header, which this signer
     * version adds itself and others left to the HTTP client.
     */
    private static Map<String, String> headersOf(SignedRequest signed, String host) {
        Map<String, String> headers = new LinkedHashMap<>();
        if (signed.request().firstMatchingHeader("Host").isEmpty()) {
            headers.put("Host", host);
        }
        signed.request().forEachHeader((name, values) -> headers.put(name, single(name, values)));
        return headers;
    }

    private static String single(String name, List<String> values) {
        if (values.size() != 1) {
            throw new IllegalStateException("the signer produced " + values.size() + " values for header " + name);
        }
        return values.get(0);
    }

    private static String toJson(Map<String, String> headers) {
        try {
            return JSON.writeValueAsString(headers);
        } catch (JsonProcessingException e) {
            // Never include the headers: they hold the signature and the session token.
            throw new UncheckedIOException("cannot serialize the signed headers", e);
        }
    }
}
