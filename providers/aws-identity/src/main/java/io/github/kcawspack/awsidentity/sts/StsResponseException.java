package io.github.kcawspack.awsidentity.sts;

/**
 * A declared refusal of what STS answered. The message is always one of ours: never a byte of the
 * body, an element name from it, or a parser message (which may quote the body), because the body
 * must reach neither the client nor a log.
 */
public final class StsResponseException extends RuntimeException {

    public enum Reason {
        CONTENT_TYPE_NOT_XML("sts_response_not_xml"),
        TOO_LARGE("sts_response_too_large"),
        NOT_UTF8("sts_response_not_utf8"),
        DOCTYPE("sts_response_doctype"),
        MALFORMED_XML("sts_response_malformed"),
        UNEXPECTED_ROOT("sts_response_unexpected_root"),
        RESULT_COUNT("sts_response_result_count"),
        UNEXPECTED_CONTENT("sts_response_unexpected_content"),
        FIELD_MISSING("sts_response_field_missing"),
        FIELD_DUPLICATED("sts_response_field_duplicated"),
        FIELD_NOT_TEXT("sts_response_field_not_text"),
        FIELD_INVALID("sts_response_field_invalid");

        private final String code;

        Reason(String code) {
            this.code = code;
        }

        /** A short machine-readable code for Keycloak events and logs. */
        public String code() {
            return code;
        }
    }

    private final Reason reason;

    StsResponseException(Reason reason, String message) {
        // No cause and no stack trace: parser exceptions quote the document, and this is control flow.
        super(message, null, false, false);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
