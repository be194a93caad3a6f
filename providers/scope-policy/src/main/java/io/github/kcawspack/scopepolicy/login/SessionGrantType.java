package io.github.kcawspack.scopepolicy.login;

/**
 * The client session note that remembers the grant a session's tokens were first issued through,
 * so that a refresh is judged as that grant (a rule "only through aws_identity" keeps holding for
 * refreshes of an aws_identity session, and never opens to a password session).
 */
public final class SessionGrantType {

    public static final String NOTE = "scope_policy.grant_type";

    private SessionGrantType() {
    }
}
