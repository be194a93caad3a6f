package io.github.kcawspack.awsidentity.sts;

import static io.github.kcawspack.awsidentity.sts.StsDocuments.NS;
import static io.github.kcawspack.awsidentity.sts.StsDocuments.error;
import static io.github.kcawspack.awsidentity.sts.StsDocuments.roleResponse;
import static io.github.kcawspack.awsidentity.sts.StsDocuments.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StsErrorResponseParserTest {

    private final StsErrorResponseParser parser = new StsErrorResponseParser(StsDocuments.MAX_BODY_BYTES);

    private Optional<String> codeOf(String document) {
        return parser.errorCode(utf8(document), "text/xml");
    }

    @ParameterizedTest
    @ValueSource(strings = {"SignatureDoesNotMatch", "InvalidClientTokenId", "ExpiredToken", "Throttling",
            "InternalFailure", "AccessDenied", "Some.Code.2"})
    void readsThePlainCode(String code) {
        assertThat(codeOf(error(code))).contains(code);
    }

    @Test
    void acceptsCharsetParameterAndCompactLayout() {
        String compact = "<ErrorResponse xmlns=\"" + NS + "\"><Error><Type>Sender</Type><Code>ExpiredToken</Code>"
                + "<Message>x</Message></Error><RequestId>r</RequestId></ErrorResponse>";
        assertThat(parser.errorCode(utf8(compact), "text/xml; charset=UTF-8")).contains("ExpiredToken");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "Signature Does Not Match", "Code<", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "Bad-Code", "x:y",
            "Throttling\n"})
    void codeThatIsNotAPlainTokenIsDropped(String code) {
        String escaped = code.replace("<", "&lt;");
        assertThat(codeOf(error(escaped))).isEmpty();
    }

    @Test
    void codeOfExactly64CharactersIsKept() {
        assertThat(codeOf(error("a".repeat(64)))).contains("a".repeat(64));
    }

    @Test
    void notXmlContentType() {
        assertThat(parser.errorCode(utf8(error("Throttling")), "application/json")).isEmpty();
        assertThat(parser.errorCode(utf8(error("Throttling")), null)).isEmpty();
    }

    @Test
    void wrongNamespaceOrRoot() {
        assertThat(codeOf(error("Throttling").replace(NS, "urn:other"))).isEmpty();
        assertThat(codeOf(error("Throttling").replace("ErrorResponse", "Response"))).isEmpty();
        assertThat(codeOf(roleResponse())).isEmpty();
    }

    @Test
    void twoErrorsOrTwoCodesAreAmbiguous() {
        assertThat(codeOf(error("Throttling").replace("</Error>", "</Error><Error><Code>AccessDenied</Code></Error>")))
                .isEmpty();
        assertThat(codeOf(error("Throttling").replace("</Code>", "</Code><Code>AccessDenied</Code>"))).isEmpty();
    }

    @Test
    void codeWithChildElementOrCommentIsDropped() {
        assertThat(codeOf(error("<b>Throttling</b>"))).isEmpty();
        assertThat(codeOf(error("Thro<!-- -->ttling"))).isEmpty();
    }

    @Test
    void doctypeXxeAndGarbageYieldNothingAndDoNotThrow() {
        assertThat(codeOf("<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>" + error("&e;"))).isEmpty();
        assertThat(codeOf("<!DOCTYPE x [<!ENTITY e \"Throttling\">]>" + error("&e;"))).isEmpty();
        assertThat(codeOf("not xml")).isEmpty();
        assertThat(parser.errorCode(new byte[0], "text/xml")).isEmpty();
        assertThat(parser.errorCode(null, "text/xml")).isEmpty();
        assertThat(parser.errorCode(new byte[]{(byte) 0xff, (byte) 0xfe}, "text/xml")).isEmpty();
    }

    @Test
    void oversizeErrorYieldsNothing() {
        String document = error("Throttling");
        String padding = " ".repeat(StsDocuments.MAX_BODY_BYTES - utf8(document).length + 1);
        assertThat(codeOf(document + padding)).isEmpty();
        assertThat(codeOf(document + padding.substring(1))).contains("Throttling");
    }
}
