package io.github.kcawspack.awsidentity.sts;

import java.nio.charset.StandardCharsets;

/** STS documents for tests, laid out the way STS lays them out. */
final class StsDocuments {

    static final String NS = "https://sts.amazonaws.com/doc/2011-06-15/";

    /** The cap the tests configure: the server's default {@code max-response-bytes}. */
    static final int MAX_BODY_BYTES = 64 * 1024;

    static final String ROLE_ARN = "arn:aws:sts::123456789012:assumed-role/deployer/session-1";
    static final String ROLE_USER_ID = "AROA3XFRBF535PLBIFPI4:session-1";
    static final String ACCOUNT = "123456789012";

    private StsDocuments() {
    }

    static String response(String resultBody) {
        return "<GetCallerIdentityResponse xmlns=\"" + NS + "\">\n"
                + "  <GetCallerIdentityResult>\n" + resultBody + "  </GetCallerIdentityResult>\n"
                + "  <ResponseMetadata>\n"
                + "    <RequestId>01234567-89ab-cdef-0123-456789abcdef</RequestId>\n"
                + "  </ResponseMetadata>\n"
                + "</GetCallerIdentityResponse>\n";
    }

    static String fields(String arn, String userId, String account) {
        return "    <Arn>" + arn + "</Arn>\n"
                + "    <UserId>" + userId + "</UserId>\n"
                + "    <Account>" + account + "</Account>\n";
    }

    static String identity(String arn, String userId, String account) {
        return response(fields(arn, userId, account));
    }

    static String roleResponse() {
        return identity(ROLE_ARN, ROLE_USER_ID, ACCOUNT);
    }

    static String error(String code) {
        return "<ErrorResponse xmlns=\"" + NS + "\">\n"
                + "  <Error>\n"
                + "    <Type>Sender</Type>\n"
                + "    <Code>" + code + "</Code>\n"
                + "    <Message>The request signature we calculated does not match the signature you provided.</Message>\n"
                + "  </Error>\n"
                + "  <RequestId>01234567-89ab-cdef-0123-456789abcdef</RequestId>\n"
                + "</ErrorResponse>\n";
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
