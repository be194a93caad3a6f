package io.github.kcawspack.awsidentity.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.kcawspack.awsidentity.AwsIdentityRejection;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SignedHeadersTest {

    @Test
    void acceptsStringsAndSingleElementLists() {
        SignedHeaders headers = SignedHeaders.parse("{\"Host\":\"sts.us-east-1.amazonaws.com\",\"X-Amz-Date\":[\"20260101T000000Z\"]}");
        assertThat(headers.get("host")).contains("sts.us-east-1.amazonaws.com");
        assertThat(headers.get("X-AMZ-DATE")).contains("20260101T000000Z");
        assertThat(headers.all().keySet()).containsExactly("host", "x-amz-date");
    }

    @Test
    void anIntegerValueIsItsDecimalText() {
        // aws4 (npm) keeps Content-Length as a number; JSON.stringify of its headers writes 43.
        SignedHeaders headers = SignedHeaders.parse("{\"Content-Length\":43}");
        assertThat(headers.get("content-length")).contains("43");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "case-variant duplicate | {\"Host\":\"a\",\"host\":\"b\"} | header_duplicate",
            "exact duplicate key | {\"Host\":\"a\",\"Host\":\"b\"} | header_duplicate",
            "CR LF in value | {\"Host\":\"a\\r\\nX-Evil: 1\"} | header_value_invalid",
            "NUL in value | {\"Host\":\"a\\u0000\"} | header_value_invalid",
            "non-ASCII value | {\"Host\":\"caf\\u00e9\"} | header_value_invalid",
            "space in name | {\"Bad Name\":\"a\"} | header_name_invalid",
            "colon in name | {\"Host:\":\"a\"} | header_name_invalid",
            "empty name | {\"\":\"a\"} | header_name_invalid",
            "fraction value | {\"Content-Length\":43.0} | header_value_invalid",
            "exponent value | {\"Content-Length\":4.3e1} | header_value_invalid",
            "integer beyond a long | {\"Content-Length\":99999999999999999999} | header_value_invalid",
            "null value | {\"Host\":null} | header_value_invalid",
            "two values | {\"Host\":[\"a\",\"b\"]} | header_value_invalid",
            "empty list | {\"Host\":[]} | header_value_invalid",
            "nested object | {\"Host\":{\"a\":\"b\"}} | header_value_invalid",
            "array root | [\"Host\"] | headers_json_malformed",
            "string root | \"Host\" | headers_json_malformed",
            "trailing data | {\"Host\":\"a\"} {} | headers_json_malformed",
            "not JSON | Host: a | headers_json_malformed",
    })
    void refusesMalformedHeaders(String description, String json, String reason) {
        assertThatThrownBy(() -> SignedHeaders.parse(json))
                .isInstanceOfSatisfying(AwsIdentityRejection.class, r -> {
                    assertThat(r.reason()).isEqualTo(reason);
                    assertThat(r.error()).isEqualTo(AwsIdentityRejection.OAuthError.INVALID_REQUEST);
                });
    }

    @Test
    void refusesTooManyHeaders() {
        StringBuilder json = new StringBuilder("{");
        for (int i = 0; i <= SignedHeaders.MAX_HEADERS; i++) {
            json.append(i == 0 ? "" : ",").append("\"X-H").append(i).append("\":\"v\"");
        }
        assertThatThrownBy(() -> SignedHeaders.parse(json.append("}").toString()))
                .isInstanceOfSatisfying(AwsIdentityRejection.class, r -> assertThat(r.reason()).isEqualTo("headers_too_many"));
    }

    @Test
    void errorsNeverQuoteTheInput() {
        String secretish = "IQoJb3JpZ2luX2VjEXAMPLESESSIONTOKEN";
        assertThatThrownBy(() -> SignedHeaders.parse("{\"X-Amz-Security-Token\":\"" + secretish + "\", oops}"))
                .isInstanceOfSatisfying(AwsIdentityRejection.class,
                        r -> assertThat(r.description()).doesNotContain(secretish));
    }

    @Test
    void formParametersMustBePresentOnce() {
        Map<String, List<String>> repeated = Map.of(
                "region", List.of("us-east-1", "eu-west-1"),
                "post_body", List.of("Action=GetCallerIdentity&Version=2011-06-15"),
                "headers_json", List.of("{}"));
        assertThatThrownBy(() -> AwsIdentityRequest.fromForm(repeated))
                .isInstanceOfSatisfying(AwsIdentityRejection.class, r -> assertThat(r.reason()).isEqualTo("parameter_repeated"));

        Map<String, List<String>> missing = Map.of("region", List.of("us-east-1"), "headers_json", List.of("{}"));
        assertThatThrownBy(() -> AwsIdentityRequest.fromForm(missing))
                .isInstanceOfSatisfying(AwsIdentityRejection.class, r -> {
                    assertThat(r.reason()).isEqualTo("parameter_missing");
                    assertThat(r.description()).contains("post_body");
                });
    }
}
