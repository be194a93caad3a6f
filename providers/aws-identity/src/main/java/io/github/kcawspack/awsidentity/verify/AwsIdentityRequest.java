package io.github.kcawspack.awsidentity.verify;

import io.github.kcawspack.awsidentity.AwsIdentityRejection;
import java.util.List;
import java.util.Map;

/**
 * Step "parse request": the three form parameters of {@code grant_type=aws_identity}, each
 * present exactly once.
 */
public record AwsIdentityRequest(String region, String postBody, SignedHeaders headers) {

    public static final String REGION = "region";
    public static final String POST_BODY = "post_body";
    public static final String HEADERS_JSON = "headers_json";

    /** Parameters longer than Keycloak's default cap; the grant declares them so they are kept. */
    public static final List<String> PARAMETER_NAMES = List.of(REGION, POST_BODY, HEADERS_JSON);

    public static AwsIdentityRequest fromForm(Map<String, List<String>> form) {
        return new AwsIdentityRequest(
                single(form, REGION),
                single(form, POST_BODY),
                SignedHeaders.parse(single(form, HEADERS_JSON)));
    }

    private static String single(Map<String, List<String>> form, String name) {
        List<String> values = form.get(name);
        if (values == null || values.isEmpty() || values.get(0) == null || values.get(0).isEmpty()) {
            throw AwsIdentityRejection.invalidRequest("parameter_missing", "Missing parameter: " + name);
        }
        if (values.size() > 1) {
            // RFC 6749 section 3.2: request parameters must not be included more than once.
            throw AwsIdentityRejection.invalidRequest("parameter_repeated", "Parameter " + name + " is repeated");
        }
        return values.get(0);
    }
}
