package io.github.kcawspack.awsidentity;

/**
 * A declared refusal of an aws_identity request: the OAuth error the client sees (RFC 6749
 * section 5.2), a description safe to show it, and a reason code for events and logs.
 *
 * <p>Neither the description nor the reason ever carries a signature, a security token or a
 * byte of STS's answer: both are written by our code, never copied from input.
 */
public final class AwsIdentityRejection extends RuntimeException {

    public enum OAuthError {
        INVALID_REQUEST("invalid_request", 400),
        INVALID_GRANT("invalid_grant", 400),
        UNAUTHORIZED_CLIENT("unauthorized_client", 400),
        INVALID_SCOPE("invalid_scope", 400),
        TEMPORARILY_UNAVAILABLE("temporarily_unavailable", 503),
        SERVER_ERROR("server_error", 500);

        private final String code;
        private final int httpStatus;

        OAuthError(String code, int httpStatus) {
            this.code = code;
            this.httpStatus = httpStatus;
        }

        public String code() {
            return code;
        }

        public int httpStatus() {
            return httpStatus;
        }
    }

    private final OAuthError error;
    private final String reason;
    private final String operatorDetail;

    private AwsIdentityRejection(OAuthError error, String reason, String description) {
        this(error, reason, description, null);
    }

    private AwsIdentityRejection(OAuthError error, String reason, String description, String operatorDetail) {
        super(description, null, false, false);
        this.error = error;
        this.reason = reason;
        this.operatorDetail = operatorDetail;
    }

    /** The request itself is malformed: missing, duplicated or unparseable parameters. */
    public static AwsIdentityRejection invalidRequest(String reason, String description) {
        return new AwsIdentityRejection(OAuthError.INVALID_REQUEST, reason, description);
    }

    /** The request is well formed but does not prove an acceptable AWS identity. */
    public static AwsIdentityRejection invalidGrant(String reason, String description) {
        return new AwsIdentityRejection(OAuthError.INVALID_GRANT, reason, description);
    }

    public static AwsIdentityRejection unauthorizedClient(String reason, String description) {
        return new AwsIdentityRejection(OAuthError.UNAUTHORIZED_CLIENT, reason, description);
    }

    /** STS could not give an answer (outage, throttling, timeout): the client may retry. */
    public static AwsIdentityRejection unavailable(String reason, String description) {
        return new AwsIdentityRejection(OAuthError.TEMPORARILY_UNAVAILABLE, reason, description);
    }

    /** The realm's aws_identity settings are wrong; the operator, not the client, must act. */
    public static AwsIdentityRejection misconfigured(String reason) {
        return new AwsIdentityRejection(OAuthError.SERVER_ERROR, reason,
                "aws_identity is not configured correctly in this realm");
    }

    /**
     * The realm's aws_identity settings are wrong; the operator, not the client, must act.
     *
     * @param reason         the event reason code, e.g. {@code config_invalid}
     * @param operatorDetail what is wrong, for the event and the log only (never sent to the client);
     *                       it must carry no configured value
     * @return the rejection, answered as {@code server_error}
     */
    public static AwsIdentityRejection misconfigured(String reason, String operatorDetail) {
        return new AwsIdentityRejection(OAuthError.SERVER_ERROR, reason,
                "aws_identity is not configured correctly in this realm", operatorDetail);
    }

    /** What the operator must fix, for events and logs; null when the rejection is not about settings. */
    public String operatorDetail() {
        return operatorDetail;
    }

    public OAuthError error() {
        return error;
    }

    /** A short machine-readable code for Keycloak events, e.g. {@code region_invalid}. */
    public String reason() {
        return reason;
    }

    /** The error_description the client receives. */
    public String description() {
        return getMessage();
    }
}
