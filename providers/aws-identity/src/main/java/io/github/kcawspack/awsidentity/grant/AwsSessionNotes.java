package io.github.kcawspack.awsidentity.grant;

import io.github.kcawspack.awsidentity.identity.AwsPrincipal;
import org.keycloak.sessions.AuthenticationSessionModel;

/**
 * What this login proved about the AWS principal, kept as user session notes so that later
 * decisions in the same session (the restricted-scope policy at login and on refresh) judge the
 * principal AWS vouched for, not user attributes an administrator may edit. The note names are a
 * published contract: the scope-policy JAR reads them without depending on this one.
 */
public final class AwsSessionNotes {

    public static final String ARN = "aws_identity.arn";
    public static final String ACCOUNT = "aws_identity.account";

    private AwsSessionNotes() {
    }

    static void record(AuthenticationSessionModel authSession, AwsPrincipal principal) {
        authSession.setUserSessionNote(ARN, principal.canonicalArn());
        authSession.setUserSessionNote(ACCOUNT, principal.account());
    }
}
