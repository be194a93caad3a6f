package io.github.kcawspack.awsidentity.verify;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.github.kcawspack.awsidentity.AwsIdentityRejection;
import java.io.IOException;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The headers a client's SigV4 signing produced, from the {@code headers_json} parameter: one
 * value per name, names unique in any letter case, no control characters anywhere.
 */
public final class SignedHeaders {

    static final int MAX_HEADERS = 16;
    static final int MAX_VALUE_LENGTH = 8192;
    // RFC 9110 token characters
    private static final Pattern NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]{1,64}");
    // Visible ASCII, space and tab: no CR, LF, NUL or other controls that could split a header.
    private static final Pattern VALUE = Pattern.compile("[\\x20-\\x7E\\t]*");

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    /** Lower-case name → the header as sent, in the client's order. */
    private final Map<String, Header> headers;

    public record Header(String name, String value) {
    }

    private SignedHeaders(Map<String, Header> headers) {
        this.headers = Collections.unmodifiableMap(headers);
    }

    /**
     * Parses {@code headers_json}: a JSON object of name to string, or name to a list holding one
     * string (the shape some signers produce).
     */
    public static SignedHeaders parse(String headersJson) {
        JsonNode root;
        try (JsonParser parser = JSON.createParser(headersJson)) {
            root = JSON.readTree(parser);
            if (parser.nextToken() != null) {
                throw invalid("headers_json_malformed", "headers_json must be a single JSON object");
            }
        } catch (JsonParseException e) {
            // Jackson's message may quote the input (a security token): say only what is wrong.
            boolean duplicate = e.getMessage() != null && e.getMessage().startsWith("Duplicate field");
            throw duplicate
                    ? invalid("header_duplicate", "headers_json names a header twice")
                    : invalid("headers_json_malformed", "headers_json is not valid JSON");
        } catch (IOException e) {
            throw invalid("headers_json_malformed", "headers_json is not valid JSON");
        }
        if (root == null || !root.isObject()) {
            throw invalid("headers_json_malformed", "headers_json must be a JSON object of header names to values");
        }
        if (root.size() > MAX_HEADERS) {
            throw invalid("headers_too_many", "headers_json has more than " + MAX_HEADERS + " headers");
        }
        Map<String, Header> headers = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> fields = root.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            String name = field.getKey();
            if (!NAME.matcher(name).matches()) {
                throw invalid("header_name_invalid", "headers_json has a header name that is not a valid HTTP token");
            }
            String value = singleValue(name, field.getValue());
            if (value.length() > MAX_VALUE_LENGTH || !VALUE.matcher(value).matches()) {
                throw invalid("header_value_invalid", "header " + name + " has a value with control characters or is too long");
            }
            String key = name.toLowerCase(Locale.ROOT);
            if (headers.putIfAbsent(key, new Header(name, value)) != null) {
                throw invalid("header_duplicate", "header " + name + " appears more than once (names are case-insensitive)");
            }
        }
        return new SignedHeaders(headers);
    }

    private static String singleValue(String name, JsonNode node) {
        if (node.isTextual()) {
            return node.textValue();
        }
        if (node.isIntegralNumber() && node.canConvertToLong()) {
            // Signers that keep Content-Length as a number (the aws4 npm module) serialise it as
            // one; an integer has one decimal spelling, so the value signed is the value checked.
            // Fractions and exponents (43.0, 4.3e1) have several and stay refused.
            return Long.toString(node.longValue());
        }
        if (node.isArray() && node.size() == 1 && node.get(0).isTextual()) {
            return node.get(0).textValue();
        }
        throw invalid("header_value_invalid", "header " + name + " must have exactly one string value (or an integer)");
    }

    /** The value of a header, by case-insensitive name. */
    public Optional<String> get(String name) {
        Header header = headers.get(name.toLowerCase(Locale.ROOT));
        return header == null ? Optional.empty() : Optional.of(header.value());
    }

    public boolean contains(String name) {
        return headers.containsKey(name.toLowerCase(Locale.ROOT));
    }

    /** Every header, keyed by lower-case name, in the order the client sent them. */
    public Map<String, Header> all() {
        return headers;
    }

    private static AwsIdentityRejection invalid(String reason, String description) {
        return AwsIdentityRejection.invalidRequest(reason, description);
    }
}
