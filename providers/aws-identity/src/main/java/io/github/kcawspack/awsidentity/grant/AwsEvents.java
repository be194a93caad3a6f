package io.github.kcawspack.awsidentity.grant;

import io.github.kcawspack.awsidentity.principal.AwsPrincipal;
import org.keycloak.events.EventBuilder;

/**
 * Event details of an aws_identity login: who AWS said the caller is. Never the signature, the
 * access key id or the security token.
 */
final class AwsEvents {

    static final String ARN = "aws_arn";
    static final String ACCOUNT = "aws_account";
    static final String PRINCIPAL_TYPE = "aws_principal_type";
    /** Not a secret; an administrator who re-links a re-created principal reads the new one here. */
    static final String UNIQUE_ID = "aws_unique_id";
    static final String SESSION_NAME = "aws_session_name";
    /** What is wrong with the realm's settings (the reason is config_invalid or no_bindings). */
    static final String CONFIG_ERROR = "aws_identity_settings_error";

    private AwsEvents() {
    }

    static void describe(EventBuilder event, AwsPrincipal principal) {
        event.detail(ARN, principal.canonicalArn())
                .detail(ACCOUNT, principal.account())
                .detail(PRINCIPAL_TYPE, principal.type().name().toLowerCase(java.util.Locale.ROOT))
                .detail(UNIQUE_ID, principal.uniqueId());
        principal.sessionName().ifPresent(name -> event.detail(SESSION_NAME, name));
    }
}
