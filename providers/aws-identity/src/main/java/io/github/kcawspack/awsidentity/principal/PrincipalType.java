package io.github.kcawspack.awsidentity.principal;

/** The kinds of AWS principal a GetCallerIdentity answer can name and this grant accepts. */
public enum PrincipalType {
    /** A session of an IAM role ({@code assumed-role/...}); identified by the role, never the session. */
    ROLE,
    /** An IAM user, with long-term keys or a GetSessionToken session. */
    USER,
    /** The account's root user. Parsed so it can be reported, but no binding can admit it. */
    ROOT
}
