package io.github.kcawspack.awsidentity.authenticator;

import io.github.kcawspack.awsidentity.identity.AwsPrincipal;
import org.keycloak.events.EventBuilder;

/**
 * Event details of an aws_identity login: who AWS said the caller is. Never the signature, the
 * access key id or the security token.
 */
final class AwsEvents {

    static final String ARN = "aws_arn";
    static final String ACCOUNT = "aws_account";
    static final String PRINCIPAL_TYPE = "aws_principal_type";
    static final String SESSION_NAME = "aws_session_name";

    private AwsEvents() {
    }

    static void describe(EventBuilder event, AwsPrincipal principal) {
        event.detail(ARN, principal.canonicalArn())
                .detail(ACCOUNT, principal.account())
                .detail(PRINCIPAL_TYPE, principal.type().name().toLowerCase(java.util.Locale.ROOT));
        principal.sessionName().ifPresent(name -> event.detail(SESSION_NAME, name));
    }
}
