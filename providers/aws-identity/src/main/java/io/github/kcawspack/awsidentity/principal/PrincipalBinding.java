package io.github.kcawspack.awsidentity.principal;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One rule of a realm: which AWS principals may sign in, and what their Keycloak user gets.
 *
 * <p>A principal is admitted only when partition, account, principal type and name all match;
 * there is no wildcard for the account, and the root user can never be bound. Setting
 * {@link #uniqueId} pins the rule to one IAM entity: if the role or user is deleted and someone
 * re-creates one with the same name, the new one has another unique id and is not admitted.
 *
 * <p>Invalid values throw {@link IllegalArgumentException} with a message of the form
 * {@code field: rule}, which {@link PrincipalBindings} prefixes with the binding's index.
 *
 * @param partition ARN partition, {@code aws} unless the realm trusts another AWS
 * @param account exactly 12 digits
 * @param type {@link PrincipalType#ROLE} or {@link PrincipalType#USER}
 * @param namePattern a {@link NameGlob} on the role or user name (not the user's path, not the
 *        session name)
 * @param provisionUsers whether a Keycloak user is created on first sign-in
 * @param groups group paths the user is added to, e.g. {@code /aws/deployers}
 * @param roles realm role names the user is granted
 */
public record PrincipalBinding(String partition, String account, PrincipalType type, String namePattern,
        Optional<String> uniqueId, boolean provisionUsers, List<String> groups, List<String> roles) {

    private static final Pattern TWELVE_DIGITS = Pattern.compile("[0-9]{12}");
    // IAM name characters plus the two glob wildcards: a pattern that uses anything else (a regex
    // class, a space) could never match a name and is surely a mistake.
    private static final Pattern NAME_PATTERN = Pattern.compile("[A-Za-z0-9_+=,.@*?-]{1,128}");
    private static final int MAX_GROUP_PATH_LENGTH = 1024;
    private static final int MAX_ROLE_NAME_LENGTH = 255;

    public PrincipalBinding {
        requireValidPartition(partition);
        requireExactAccount(account);
        requireRoleOrUser(type);
        requireValidNamePattern(namePattern);
        Objects.requireNonNull(uniqueId, "uniqueId");
        uniqueId.ifPresent(id -> requireUniqueIdOfType(id, type));
        requireGroupPaths(Objects.requireNonNull(groups, "groups"));
        requireRoleNames(Objects.requireNonNull(roles, "roles"));
        groups = List.copyOf(groups);
        roles = List.copyOf(roles);
    }

    /** Whether this rule admits {@code principal}: every configured part must match. */
    public boolean matches(AwsPrincipal principal) {
        return partition.equals(principal.partition())
                && account.equals(principal.account())
                && type == principal.type()
                && new NameGlob(namePattern).matches(principal.name())
                && uniqueId.map(principal.uniqueId()::equals).orElse(true);
    }

    private static void requireValidPartition(String partition) {
        if (!AwsPartitions.isKnown(partition)) {
            throw new IllegalArgumentException("partition: must be one of " + String.join(", ", AwsPartitions.ids()));
        }
    }

    private static void requireExactAccount(String account) {
        if (account == null || !TWELVE_DIGITS.matcher(account).matches()) {
            throw new IllegalArgumentException("account: must be exactly 12 digits (no wildcards)");
        }
    }

    private static void requireRoleOrUser(PrincipalType type) {
        if (type != PrincipalType.ROLE && type != PrincipalType.USER) {
            throw new IllegalArgumentException("type: must be \"role\" or \"user\"");
        }
    }

    private static void requireValidNamePattern(String namePattern) {
        if (namePattern == null || !NAME_PATTERN.matcher(namePattern).matches()) {
            throw new IllegalArgumentException("namePattern: must be 1 to 128 characters of IAM names "
                    + "(letters, digits, _+=,.@-) and the wildcards * and ?");
        }
    }

    private static void requireUniqueIdOfType(String uniqueId, PrincipalType type) {
        if (!AwsPrincipal.isUniqueIdOf(type, uniqueId)) {
            throw new IllegalArgumentException(type == PrincipalType.ROLE
                    ? "uniqueId: must be the unique ID of a role: AROA followed by upper-case letters and digits"
                    : "uniqueId: must be the unique ID of a user: AIDA followed by upper-case letters and digits");
        }
    }

    private static void requireGroupPaths(List<String> groups) {
        for (int i = 0; i < groups.size(); i++) {
            String group = groups.get(i);
            if (group == null || !group.startsWith("/") || group.strip().length() < 2
                    || group.length() > MAX_GROUP_PATH_LENGTH || hasControlCharacter(group)) {
                throw new IllegalArgumentException("groups[" + i + "]: must be a group path such as /aws/deployers");
            }
        }
    }

    private static void requireRoleNames(List<String> roles) {
        for (int i = 0; i < roles.size(); i++) {
            String role = roles.get(i);
            if (role == null || role.isBlank() || role.length() > MAX_ROLE_NAME_LENGTH || hasControlCharacter(role)) {
                throw new IllegalArgumentException("roles[" + i + "]: must be a realm role name");
            }
        }
    }

    private static boolean hasControlCharacter(String value) {
        return value.chars().anyMatch(Character::isISOControl);
    }
}
