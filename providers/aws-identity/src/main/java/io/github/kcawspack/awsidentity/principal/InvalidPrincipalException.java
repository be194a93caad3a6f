package io.github.kcawspack.awsidentity.principal;

/**
 * An STS identity this module will not turn into an {@link AwsPrincipal}. Messages are ours and
 * name the rule broken, never the offending value.
 */
public final class InvalidPrincipalException extends IllegalArgumentException {

    public enum Problem {
        ARN_MALFORMED,
        PARTITION_UNKNOWN,
        ACCOUNT_INVALID,
        RESOURCE_UNEXPECTED,
        PRINCIPAL_UNSUPPORTED,
        NAME_INVALID,
        ACCOUNT_MISMATCH,
        USER_ID_MISMATCH,
        SESSION_MISMATCH
    }

    private final Problem problem;

    InvalidPrincipalException(Problem problem, String message) {
        super(message);
        this.problem = problem;
    }

    public Problem problem() {
        return problem;
    }
}
