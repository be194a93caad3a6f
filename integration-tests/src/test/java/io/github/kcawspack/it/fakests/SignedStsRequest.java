package io.github.kcawspack.it.fakests;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What an aws_identity client sends to Keycloak: {@code region}, {@code post_body} (the exact body
 * that was signed) and {@code headers_json} (a JSON object, header name to value).
 */
public record SignedStsRequest(String region, String postBody, String headersJson) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The headers of {@code headers_json}, in their order. */
    public Map<String, String> headers() {
        try {
            return JSON.readValue(headersJson, new TypeReference<LinkedHashMap<String, String>>() { });
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The three form parameters of the aws_identity grant. */
    public Map<String, String> grantParameters() {
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("region", region);
        parameters.put("post_body", postBody);
        parameters.put("headers_json", headersJson);
        return parameters;
    }

    /**
     * The request Keycloak should forward to STS, as it would arrive at the fake: POST / with these
     * headers (Host included) plus Content-Length, and the body.
     */
    public RawHttpClient.Request toHttpRequest() {
        byte[] body = postBody.getBytes(StandardCharsets.UTF_8);
        List<Map.Entry<String, String>> headers = new ArrayList<>(headers().entrySet());
        headers.add(Map.entry("Content-Length", String.valueOf(body.length)));
        return new RawHttpClient.Request("POST", "/", headers, body);
    }
}
