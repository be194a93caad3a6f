package io.github.kcawspack.it.fakests;

import static io.github.kcawspack.it.fakests.SigV4TestVector.ACCESS_KEY_ID;
import static io.github.kcawspack.it.fakests.SigV4TestVector.SECRET_KEY;
import static io.github.kcawspack.it.fakests.SigV4TestVector.SESSION_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link SigV4Verifier} against AWS's published SigV4 test suite (files under
 * {@code src/test/resources/sigv4/}, see the README there), then against one-byte changes of
 * those requests, each of which AWS would refuse.
 */
class SigV4VerifierTest {

    private static final Instant SIGNED_AT = Instant.parse("2015-08-30T12:36:00Z");

    private static final SigV4Verifier PERMANENT_KEY = new SigV4Verifier(
            key -> key.equals(ACCESS_KEY_ID) ? Optional.of(SigningCredentials.permanent(SECRET_KEY)) : Optional.empty(),
            null);

    private static final SigV4Verifier TEMPORARY_KEY = new SigV4Verifier(
            key -> key.equals(ACCESS_KEY_ID)
                    ? Optional.of(SigningCredentials.temporary(SECRET_KEY, SESSION_TOKEN))
                    : Optional.empty(),
            null);

    @Nested
    class PublishedVectors {

        @ParameterizedTest
        @ValueSource(strings = {"get-vanilla", "get-vanilla-query", "get-vanilla-empty-query-key",
                "get-vanilla-query-order-key", "get-vanilla-query-order-key-case", "get-vanilla-query-order-value",
                "get-vanilla-query-unreserved", "get-vanilla-utf8-query", "get-unreserved", "get-utf8",
                "get-header-key-duplicate", "get-header-value-order", "get-header-value-trim",
                "post-vanilla", "post-vanilla-query", "post-vanilla-empty-query-value", "post-header-key-case",
                "post-header-key-sort", "post-header-value-case",
                "get-relative", "get-relative-relative", "get-slash", "get-slash-dot-slash",
                "get-slash-pointless-dot", "get-slashes"})
        void signatureIsThePublishedOne(String name) throws Exception {
            SigV4TestVector vector = SigV4TestVector.load(name);

            assertThat(resigned(vector)).isEqualTo(vector.publishedSignature());
            assertThat(PERMANENT_KEY.verify(vector.signedRequest(), SIGNED_AT).code()).isEqualTo("OK");
        }

        /**
         * get-space's request line holds a raw space, which cannot arrive over HTTP/1.1 (RFC 9112
         * section 3.2: the target has no spaces) and which the SDK refuses to build a URI from: the
         * fake answers SignatureDoesNotMatch instead of failing.
         */
        @Test
        void rawSpaceInThePathIsRefused() {
            SigV4TestVector vector = SigV4TestVector.load("get-space");
            assertThat(PERMANENT_KEY.verify(vector.signedRequest(), SIGNED_AT).code()).isEqualTo("SignatureDoesNotMatch");
        }

        @Test
        void sessionTokenSignedBeforeTheSignatureVerifies() throws Exception {
            SigV4TestVector vector = SigV4TestVector.load("post-sts-header-before");

            assertThat(resigned(vector)).isEqualTo(vector.publishedSignature());
            assertThat(TEMPORARY_KEY.verify(vector.signedRequest(), SIGNED_AT).code()).isEqualTo("OK");
        }

        @Test
        void sessionTokenAddedAfterSigningIsRefusedAlthoughTheSignatureItselfIsRight() throws Exception {
            SigV4TestVector vector = SigV4TestVector.load("post-sts-header-after");
            // Our deliberate strictness: an unsigned token could be swapped by anyone on the way.
            VerificationResult result = TEMPORARY_KEY.verify(vector.signedRequest(), SIGNED_AT);
            assertThat(result.code()).isEqualTo("IncompleteSignature");
            assertThat(result.error().orElseThrow().httpStatus()).isEqualTo(400);
        }

        /**
         * The published post-x-www-form-urlencoded .creq still lists content-length, which its .sts,
         * .authz and .sreq (consistent with each other) do not sign: the signature must still match.
         */
        @Test
        void formUrlEncodedVectorVerifies() throws Exception {
            SigV4TestVector vector = SigV4TestVector.load("post-x-www-form-urlencoded");

            assertThat(resigned(vector)).isEqualTo(vector.publishedSignature());
            assertThat(PERMANENT_KEY.verify(vector.signedRequest(), SIGNED_AT).code()).isEqualTo("OK");
        }

        private String resigned(SigV4TestVector vector) throws Exception {
            return SdkResigning.signature(vector.signedRequest(), vector.parsedAuthorization(), SIGNED_AT, SECRET_KEY);
        }
    }

    @Nested
    class OneByteChanged {

        private final SigV4TestVector form = SigV4TestVector.load("post-x-www-form-urlencoded");
        private final SigV4TestVector trim = SigV4TestVector.load("get-header-value-trim");

        @Test
        void unchangedRequestsVerify() {
            assertThat(PERMANENT_KEY.verify(form.signedRequest(), SIGNED_AT).code()).isEqualTo("OK");
            assertThat(PERMANENT_KEY.verify(trim.signedRequest(), SIGNED_AT).code()).isEqualTo("OK");
        }

        @Test
        void body() {
            byte[] body = form.signedRequest().body();
            body[body.length - 1] = '2';
            assertSignatureDoesNotMatch(new ReceivedRequest("POST", "/", "", form.signedRequest().headers(), body));
        }

        @Test
        void signedHeaderValue() {
            assertSignatureDoesNotMatch(replaceHeader(trim.signedRequest(), "My-Header1", "value2"));
            assertSignatureDoesNotMatch(replaceHeader(form.signedRequest(), "Content-Type",
                    "application/x-www-form-urlencodec"));
        }

        @Test
        void signedHost() {
            assertSignatureDoesNotMatch(replaceHeader(form.signedRequest(), "Host", "example.amazonaws.con"));
        }

        @Test
        void dateWithinTheSameDay() {
            assertSignatureDoesNotMatch(replaceHeader(form.signedRequest(), "X-Amz-Date", "20150830T123601Z"));
        }

        @Test
        void dateOnAnotherDayThanTheCredentialScope() {
            VerificationResult result = PERMANENT_KEY.verify(
                    replaceHeader(form.signedRequest(), "X-Amz-Date", "20150831T123600Z"), SIGNED_AT.plusSeconds(86400));
            assertThat(result.code()).isEqualTo("SignatureDoesNotMatch");
            assertThat(result.error().orElseThrow().message()).startsWith("Date in Credential scope does not match");
        }

        @Test
        void pathAndQuery() {
            ReceivedRequest request = form.signedRequest();
            assertSignatureDoesNotMatch(new ReceivedRequest("POST", "/x", "", request.headers(), request.body()));
            assertSignatureDoesNotMatch(new ReceivedRequest("POST", "/", "a=b", request.headers(), request.body()));
            assertSignatureDoesNotMatch(new ReceivedRequest("PUT", "/", "", request.headers(), request.body()));
        }

        @Test
        void signatureHex() {
            String authorization = form.signedRequest().single("Authorization");
            char last = authorization.charAt(authorization.length() - 1);
            String changed = authorization.substring(0, authorization.length() - 1) + (last == '0' ? '1' : '0');
            assertSignatureDoesNotMatch(replaceHeader(form.signedRequest(), "Authorization", changed));
        }

        @Test
        void secretKey() {
            SigV4Verifier otherSecret = new SigV4Verifier(
                    key -> Optional.of(SigningCredentials.permanent(SECRET_KEY.replace('w', 'W'))), null);
            assertThat(otherSecret.verify(form.signedRequest(), SIGNED_AT).code()).isEqualTo("SignatureDoesNotMatch");
        }

        @Test
        void secondValueForASignedHeader() {
            assertSignatureDoesNotMatch(withHeader(trim.signedRequest(), "My-Header1", "value1"));
        }

        @Test
        void whitespaceThatCanonicalisationRemovesAndUnsignedHeadersChangeNothing() {
            ReceivedRequest spaced = replaceHeader(trim.signedRequest(), "My-Header2", "\"a b        c\"");
            ReceivedRequest extra = withHeader(form.signedRequest(), "X-Not-Signed", "anything");
            assertThat(PERMANENT_KEY.verify(spaced, SIGNED_AT).code()).isEqualTo("OK");
            assertThat(PERMANENT_KEY.verify(extra, SIGNED_AT).code()).isEqualTo("OK");
        }

        private void assertSignatureDoesNotMatch(ReceivedRequest request) {
            VerificationResult result = PERMANENT_KEY.verify(request, SIGNED_AT);
            assertThat(result.code()).as(request.toString()).isEqualTo("SignatureDoesNotMatch");
            assertThat(result.error().orElseThrow().httpStatus()).isEqualTo(403);
            assertThat(result.error().orElseThrow().message()).isEqualTo(AwsError.WRONG_SIGNATURE_MESSAGE);
        }
    }

    @Nested
    class Freshness {

        private final ReceivedRequest request = SigV4TestVector.load("get-vanilla").signedRequest();

        @Test
        void fifteenMinutesEitherWayIsAccepted() {
            assertThat(PERMANENT_KEY.verify(request, SIGNED_AT.plus(Duration.ofMinutes(15))).code()).isEqualTo("OK");
            assertThat(PERMANENT_KEY.verify(request, SIGNED_AT.minus(Duration.ofMinutes(15))).code()).isEqualTo("OK");
        }

        @Test
        void olderIsSignatureExpired() {
            VerificationResult result = PERMANENT_KEY.verify(request, SIGNED_AT.plus(Duration.ofMinutes(15).plusSeconds(1)));
            assertThat(result.code()).isEqualTo("SignatureDoesNotMatch");
            assertThat(result.error().orElseThrow().httpStatus()).isEqualTo(403);
            assertThat(result.error().orElseThrow().message()).isEqualTo(
                    "Signature expired: 20150830T123600Z is now earlier than 20150830T123601Z"
                            + " (20150830T125101Z - 15 min.)");
        }

        @Test
        void newerIsNotYetCurrent() {
            VerificationResult result = PERMANENT_KEY.verify(request, SIGNED_AT.minus(Duration.ofMinutes(16)));
            assertThat(result.code()).isEqualTo("SignatureDoesNotMatch");
            assertThat(result.error().orElseThrow().message()).startsWith("Signature not yet current:");
        }

        @Test
        void malformedDateIsIncomplete() {
            assertThat(PERMANENT_KEY.verify(replaceHeader(request, "X-Amz-Date", "2015-08-30T12:36:00Z"), SIGNED_AT)
                    .code()).isEqualTo("IncompleteSignature");
            assertThat(PERMANENT_KEY.verify(withHeader(request, "X-Amz-Date", "20150830T123600Z"), SIGNED_AT)
                    .code()).isEqualTo("IncompleteSignature");
        }
    }

    @Nested
    class AuthorizationHeaderAndCredentials {

        private final ReceivedRequest request = SigV4TestVector.load("get-vanilla").signedRequest();
        private final String authorization = request.single("Authorization");

        @Test
        void missingAuthorizationIsMissingAuthenticationToken() {
            VerificationResult result = PERMANENT_KEY.verify(removeHeader(request, "Authorization"), SIGNED_AT);
            assertThat(result.code()).isEqualTo("MissingAuthenticationToken");
            assertThat(result.error().orElseThrow().httpStatus()).isEqualTo(403);
        }

        @Test
        void malformedAuthorizationIsIncompleteSignature() {
            List<String> malformed = List.of(
                    authorization.replace("AWS4-HMAC-SHA256", "AWS4-HMAC-SHA512"),
                    authorization.replace("AWS4-HMAC-SHA256 ", "AWS4-ECDSA-P256-SHA256 "),
                    authorization.replace(", Signature=", ", Sig="),
                    authorization.replace("SignedHeaders=host;x-amz-date", "SignedHeaders=x-amz-date;host"),
                    authorization.replace("SignedHeaders=host;x-amz-date", "SignedHeaders=Host;x-amz-date"),
                    authorization.replace("SignedHeaders=host;x-amz-date", "SignedHeaders=host;host;x-amz-date"),
                    authorization.replace("SignedHeaders=host;x-amz-date", "SignedHeaders=x-amz-date"),
                    authorization.replace("SignedHeaders=host;x-amz-date", "SignedHeaders=host"),
                    authorization.replace("/us-east-1/service/", "/us-east-1/"),
                    authorization + ", Signature=" + "0".repeat(64),
                    "AWS4-HMAC-SHA256");
            for (String value : malformed) {
                VerificationResult result = PERMANENT_KEY.verify(replaceHeader(request, "Authorization", value), SIGNED_AT);
                assertThat(result.code()).as(value).isEqualTo("IncompleteSignature");
                assertThat(result.error().orElseThrow().httpStatus()).isEqualTo(400);
            }
            assertThat(PERMANENT_KEY.verify(withHeader(request, "Authorization", authorization), SIGNED_AT).code())
                    .isEqualTo("IncompleteSignature");
        }

        @Test
        void scopeMustEndInAws4RequestAndNameTheExpectedService() {
            assertThat(PERMANENT_KEY.verify(replaceHeader(request, "Authorization",
                    authorization.replace("/aws4_request", "/aws5_request")), SIGNED_AT).code())
                    .isEqualTo("SignatureDoesNotMatch");
            SigV4Verifier sts = new SigV4Verifier(key -> Optional.of(SigningCredentials.permanent(SECRET_KEY)), "sts");
            VerificationResult result = sts.verify(request, SIGNED_AT);
            assertThat(result.code()).isEqualTo("SignatureDoesNotMatch");
            assertThat(result.error().orElseThrow().message()).contains("correct service: 'sts'");
        }

        @Test
        void unknownAccessKeyIsInvalidClientTokenId() {
            VerificationResult result = PERMANENT_KEY.verify(replaceHeader(request, "Authorization",
                    authorization.replace("AKIDEXAMPLE", "AKIDOTHER")), SIGNED_AT);
            assertThat(result.code()).isEqualTo("InvalidClientTokenId");
            assertThat(result.error().orElseThrow().httpStatus()).isEqualTo(403);
        }

        @Test
        void sessionTokenMustBeTheOneIssuedWithTheKey() {
            ReceivedRequest withToken = SigV4TestVector.load("post-sts-header-before").signedRequest();
            // temporary key without its token, a permanent key with a token, a different token
            assertThat(TEMPORARY_KEY.verify(request, SIGNED_AT).code()).isEqualTo("InvalidClientTokenId");
            assertThat(PERMANENT_KEY.verify(withToken, SIGNED_AT).code()).isEqualTo("InvalidClientTokenId");
            assertThat(TEMPORARY_KEY.verify(replaceHeader(withToken, "X-Amz-Security-Token", SESSION_TOKEN + "x"),
                    SIGNED_AT).code()).isEqualTo("InvalidClientTokenId");
        }

        @Test
        void expiredSessionTokenIsExpiredToken() {
            SigV4Verifier expired = new SigV4Verifier(key -> Optional.of(
                    SigningCredentials.temporary(SECRET_KEY, SESSION_TOKEN).expiringAt(SIGNED_AT)), null);
            VerificationResult result = expired.verify(
                    SigV4TestVector.load("post-sts-header-before").signedRequest(), SIGNED_AT);
            assertThat(result.code()).isEqualTo("ExpiredToken");
            assertThat(result.error().orElseThrow().httpStatus()).isEqualTo(403);
        }

        @Test
        void signedHeaderMissingFromTheRequestIsRefused() {
            ReceivedRequest trim = SigV4TestVector.load("get-header-value-trim").signedRequest();
            assertThat(PERMANENT_KEY.verify(removeHeader(trim, "My-Header1"), SIGNED_AT).code())
                    .isEqualTo("SignatureDoesNotMatch");
        }
    }

    static ReceivedRequest replaceHeader(ReceivedRequest request, String name, String value) {
        return editHeaders(request, headers -> {
            headers.put(name.toLowerCase(), new ArrayList<>(List.of(value)));
            return headers;
        });
    }

    static ReceivedRequest withHeader(ReceivedRequest request, String name, String value) {
        return editHeaders(request, headers -> {
            headers.computeIfAbsent(name.toLowerCase(), n -> new ArrayList<>()).add(value);
            return headers;
        });
    }

    static ReceivedRequest removeHeader(ReceivedRequest request, String name) {
        return editHeaders(request, headers -> {
            headers.remove(name.toLowerCase());
            return headers;
        });
    }

    private static ReceivedRequest editHeaders(ReceivedRequest request,
            UnaryOperator<Map<String, List<String>>> edit) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        request.headers().forEach((name, values) -> headers.put(name.toLowerCase(), new ArrayList<>(values)));
        return new ReceivedRequest(request.method(), request.rawPath(), request.rawQuery(), edit.apply(headers),
                request.body());
    }
}
