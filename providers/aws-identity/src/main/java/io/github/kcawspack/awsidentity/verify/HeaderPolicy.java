package io.github.kcawspack.awsidentity.verify;

import io.github.kcawspack.awsidentity.AwsIdentityRejection;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Step "validate headers": only the headers a GetCallerIdentity call needs reach STS. Framing
 * and hop-by-hop headers are refused by name so that a client cannot change how the forwarded
 * request is delimited or routed; the Host must be the STS host we computed.
 */
public final class HeaderPolicy {

    public static final String HOST = "host";
    public static final String CONTENT_TYPE = "content-type";
    public static final String X_AMZ_DATE = "x-amz-date";
    public static final String AUTHORIZATION = "authorization";
    public static final String X_AMZ_SECURITY_TOKEN = "x-amz-security-token";
    public static final String AUDIENCE = "x-keycloak-audience";

    /** Forwarded to STS when present. */
    static final Set<String> ALLOWED = Set.of(
            HOST, CONTENT_TYPE, X_AMZ_DATE, AUTHORIZATION, X_AMZ_SECURITY_TOKEN, AUDIENCE,
            // only when signed and equal to post_body's length: ContentLengthCheck
            ContentLengthCheck.CONTENT_LENGTH,
            "user-agent", "x-amz-user-agent", "amz-sdk-invocation-id", "amz-sdk-request", "x-amz-content-sha256");

    /** Named in the refusal, because sending them is an attempt to reshape the request. */
    static final Set<String> SMUGGLING = Set.of(
            "transfer-encoding", "connection", "keep-alive", "te", "trailer", "upgrade",
            "expect", "proxy-authorization", "proxy-connection", "forwarded", "x-forwarded-for",
            "x-forwarded-host", "x-forwarded-proto", "x-http-method-override");

    private static final Pattern FORM_CONTENT_TYPE =
            Pattern.compile("application/x-www-form-urlencoded(\\s*;\\s*charset=utf-8)?", Pattern.CASE_INSENSITIVE);

    private HeaderPolicy() {
    }

    /**
     * @param headers  the client's signed headers
     * @param endpoint the STS endpoint computed from the request's region
     * @return the required headers later steps read (read here once, never looked up again)
     * @throws AwsIdentityRejection {@code invalid_request} for a framing or unlisted header, a
     *                              missing required one, a Host other than the endpoint's or
     *                              another Content-Type
     */
    public static Required check(SignedHeaders headers, StsEndpoint endpoint) {
        for (String name : headers.all().keySet()) {
            if (SMUGGLING.contains(name)) {
                throw AwsIdentityRejection.invalidRequest("header_forbidden",
                        "header " + headers.all().get(name).name() + " must not be sent; the server frames the request itself");
            }
            if (!ALLOWED.contains(name)) {
                throw AwsIdentityRejection.invalidRequest("header_not_allowed",
                        "header " + headers.all().get(name).name() + " is not allowed in a GetCallerIdentity request");
            }
        }
        String host = required(headers, HOST).toLowerCase(Locale.ROOT);
        if (!host.equals(endpoint.host())) {
            throw AwsIdentityRejection.invalidRequest("host_mismatch",
                    "Host must be " + endpoint.host() + ", the STS endpoint of region " + endpoint.region());
        }
        if (!FORM_CONTENT_TYPE.matcher(required(headers, CONTENT_TYPE).trim()).matches()) {
            throw AwsIdentityRejection.invalidRequest("content_type_invalid",
                    "Content-Type must be application/x-www-form-urlencoded; charset=utf-8");
        }
        return new Required(required(headers, X_AMZ_DATE), required(headers, AUTHORIZATION));
    }

    /**
     * The values of the headers this policy requires that later steps read, as the client sent them.
     *
     * @param amzDate       the {@code X-Amz-Date} value, for the freshness check
     * @param authorization the {@code Authorization} value, for the SigV4 parse
     */
    public record Required(String amzDate, String authorization) {
    }

    private static String required(SignedHeaders headers, String name) {
        return headers.get(name).orElseThrow(() ->
                AwsIdentityRejection.invalidRequest("header_missing", "headers_json has no " + name + " header"));
    }
}
