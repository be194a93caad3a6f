package io.github.kcawspack.awsidentity.principal;

import org.keycloak.sessions.AuthenticationSessionModel;

/**
 * What this login proved about the AWS principal, kept as user session notes so that later
 * decisions in the same session (the restricted-scope policy at login and on refresh) judge the
 * principal AWS vouched for, not user attributes an administrator may edit. The note names are a
 * published contract: the scope-policy JAR reads them without depending on this one. Their one
 * home in this JAR: the grant writes them, the legacy-settings migration points old claim mappers
 * at them.
 */
public final class AwsSessionNotes {

    public static final String ARN = "aws_identity.arn";
    public static final String ACCOUNT = "aws_identity.account";

    private AwsSessionNotes() {
    }

    /**
     * Keeps the principal's canonical ARN and account as notes of the user session the
     * authentication session becomes.
     *
     * @param authSession the login's authentication session, before its user session is attached
     * @param principal   the principal STS confirmed for this login
     */
    public static void record(AuthenticationSessionModel authSession, AwsPrincipal principal) {
        authSession.setUserSessionNote(ARN, principal.canonicalArn());
        authSession.setUserSessionNote(ACCOUNT, principal.account());
    }
}
