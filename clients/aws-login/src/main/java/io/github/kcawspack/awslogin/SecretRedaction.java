package io.github.kcawspack.awslogin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Makes signed headers printable. The signature and the session token are each enough to act as
 * the AWS principal until the request expires; the access key id and the signed header names stay,
 * because they are what one needs to see when the server rejects a request.
 */
public final class SecretRedaction {

    public static final String REDACTED = "<redacted>";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern SIGNATURE = Pattern.compile("(Signature=)[^,\\s]*");

    private SecretRedaction() {
    }

    public static Map<String, String> redactHeaders(Map<String, String> headers) {
        Map<String, String> redacted = new LinkedHashMap<>();
        headers.forEach((name, value) -> redacted.put(name, redactHeader(name, value)));
        return redacted;
    }

    public static String redactHeader(String name, String value) {
        switch (name.toLowerCase(Locale.ROOT)) {
            case "authorization":
                return redactAuthorization(value);
            case "x-amz-security-token":
                return REDACTED;
            default:
                return value;
        }
    }

    /** Keeps algorithm, credential scope and signed headers; anything that is not plain SigV4 goes whole. */
    public static String redactAuthorization(String value) {
        if (value == null || !value.startsWith("AWS4-HMAC-SHA256 ")) {
            return REDACTED;
        }
        Matcher signature = SIGNATURE.matcher(value);
        return signature.find() ? signature.replaceAll("$1" + REDACTED) : REDACTED;
    }

    /** headers_json with secrets redacted; text that is not a JSON object of strings is redacted whole. */
    public static String redactHeadersJson(String headersJson) {
        try {
            Map<String, String> headers = JSON.readValue(headersJson,
                    JSON.getTypeFactory().constructMapType(LinkedHashMap.class, String.class, String.class));
            return JSON.writeValueAsString(redactHeaders(headers));
        } catch (JsonProcessingException | RuntimeException e) {
            return REDACTED;
        }
    }
}
