package io.github.kcawspack.awsidentity.principal;

import io.github.kcawspack.awsidentity.principal.InvalidPrincipalException.Problem;
import io.github.kcawspack.awsidentity.sts.CallerIdentity;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Who the caller is, in canonical form, built only from an STS answer.
 *
 * <p>The identity is {@link #partition}, {@link #account}, {@link #type} and {@link #name}
 * together, optionally pinned by {@link #uniqueId}. The role session name is chosen by whoever
 * assumed the role, so it is kept in {@link #sessionName} for logs and events only and is never
 * part of the identity or of {@link #canonicalArn}.
 *
 * <p>{@link #canonicalArn} is the ARN of the IAM entity, not of the session:
 * {@code arn:P:sts::A:assumed-role/R/S} becomes {@code arn:P:iam::A:role/R}. STS's assumed-role
 * ARN omits the role's IAM path, so the canonical role ARN has no path either, even for a role
 * created under one ({@code arn:P:iam::A:role/some/path/R} in IAM is {@code arn:P:iam::A:role/R}
 * here). User ARNs keep their path because STS reports it; the path is not needed to tell users
 * apart, since user names are unique within an account whatever their path.
 *
 * @param name the role or user name (last segment); {@code root} for the root user
 * @param path for users, the IAM path ({@code /} when none); empty for roles and root
 * @param uniqueId the role's {@code AROA...} or user's {@code AIDA...} id; for root, the account id.
 *        A deleted and re-created role or user of the same name gets a new one.
 * @param sessionName for roles only: the session name, never to be used as identity
 */
public record AwsPrincipal(String partition, String account, PrincipalType type, String name, Optional<String> path,
        String canonicalArn, String uniqueId, Optional<String> sessionName) {

    private static final Pattern TWELVE_DIGITS = Pattern.compile("[0-9]{12}");
    // IAM unique ids: a 4-letter type prefix, then upper-case letters and digits, 128 at most.
    private static final Pattern ROLE_UNIQUE_ID = Pattern.compile("AROA[A-Z0-9]{1,124}");
    private static final Pattern USER_UNIQUE_ID = Pattern.compile("AIDA[A-Z0-9]{1,124}");

    public AwsPrincipal {
        Objects.requireNonNull(partition);
        Objects.requireNonNull(account);
        Objects.requireNonNull(type);
        Objects.requireNonNull(name);
        Objects.requireNonNull(path);
        Objects.requireNonNull(canonicalArn);
        Objects.requireNonNull(uniqueId);
        Objects.requireNonNull(sessionName);
    }

    /**
     * Checks that the three fields of the answer agree (the ARN parses and names Account; UserId
     * pairs with the ARN the way STS pairs them for that principal type) and canonicalises them.
     *
     * @throws InvalidPrincipalException if they do not
     */
    public static AwsPrincipal from(CallerIdentity identity) {
        Objects.requireNonNull(identity, "identity");
        String account = requireTwelveDigits(identity.account());
        PrincipalArn parsed = PrincipalArn.parse(identity.arn());
        requireSameAccount(parsed, account);
        String uniqueId = uniqueIdPairedWith(parsed, identity.userId());
        return new AwsPrincipal(parsed.partition(), account, parsed.type(), parsed.name(), parsed.path(),
                canonicalArnOf(parsed), uniqueId, parsed.sessionName());
    }

    private static String requireTwelveDigits(String account) {
        if (account == null || !TWELVE_DIGITS.matcher(account).matches()) {
            throw new InvalidPrincipalException(Problem.ACCOUNT_INVALID, "account is not 12 digits");
        }
        return account;
    }

    private static void requireSameAccount(PrincipalArn arn, String account) {
        if (!arn.account().equals(account)) {
            throw new InvalidPrincipalException(Problem.ACCOUNT_MISMATCH, "ARN names another account than Account");
        }
    }

    /**
     * Roles: {@code AROA...:<session>} with the ARN's session. Users: {@code AIDA...}. Root: the
     * account id.
     */
    private static String uniqueIdPairedWith(PrincipalArn arn, String userId) {
        if (userId == null) {
            throw new InvalidPrincipalException(Problem.USER_ID_MISMATCH, "UserId is missing");
        }
        return switch (arn.type()) {
            case ROLE -> roleUniqueId(arn, userId);
            case USER -> requireUniqueId(userId, USER_UNIQUE_ID, "UserId of an IAM user is not an AIDA id");
            case ROOT -> {
                if (!userId.equals(arn.account())) {
                    throw new InvalidPrincipalException(Problem.USER_ID_MISMATCH,
                            "UserId of the root user is not the account id");
                }
                yield userId;
            }
        };
    }

    private static String roleUniqueId(PrincipalArn arn, String userId) {
        int colon = userId.indexOf(':');
        if (colon < 0) {
            throw new InvalidPrincipalException(Problem.USER_ID_MISMATCH,
                    "UserId of an assumed role is not <role id>:<session>");
        }
        String uniqueId = requireUniqueId(userId.substring(0, colon), ROLE_UNIQUE_ID,
                "UserId of an assumed role does not start with an AROA id");
        if (!Optional.of(userId.substring(colon + 1)).equals(arn.sessionName())) {
            throw new InvalidPrincipalException(Problem.SESSION_MISMATCH,
                    "UserId names another session than the ARN");
        }
        return uniqueId;
    }

    private static String requireUniqueId(String value, Pattern pattern, String message) {
        if (!pattern.matcher(value).matches()) {
            throw new InvalidPrincipalException(Problem.USER_ID_MISMATCH, message);
        }
        return value;
    }

    /**
     * Whether {@code value} has the shape of the unique id of a principal of {@code type}
     * ({@code AROA...} for roles, {@code AIDA...} for users, the account id for root).
     */
    public static boolean isUniqueIdOf(PrincipalType type, String value) {
        return switch (type) {
            case ROLE -> ROLE_UNIQUE_ID.matcher(value).matches();
            case USER -> USER_UNIQUE_ID.matcher(value).matches();
            case ROOT -> TWELVE_DIGITS.matcher(value).matches();
        };
    }

    private static String canonicalArnOf(PrincipalArn arn) {
        String prefix = "arn:" + arn.partition() + ":iam::" + arn.account() + ":";
        return switch (arn.type()) {
            case ROLE -> prefix + "role/" + arn.name();
            case USER -> prefix + "user" + arn.path().orElseThrow() + arn.name();
            case ROOT -> prefix + "root";
        };
    }
}
