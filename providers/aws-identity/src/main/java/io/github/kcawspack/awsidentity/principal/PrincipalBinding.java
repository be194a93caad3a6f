package io.github.kcawspack.awsidentity.principal;

import java.util.List;
import java.util.Map;
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
 * <p>{@link #orgId}, {@link #ouPathPrefix} and {@link #principalTags} are conditions only an
 * AWS-issued identity token can meet ({@link OrganizationContext}); STS GetCallerIdentity does not
 * report them, so a binding that sets any of them never admits a principal on the
 * {@code aws_identity} path. Their shapes are AWS's: organization ids {@code o-[a-z0-9]{10,32}},
 * root ids {@code r-[0-9a-z]{4,32}} and OU ids {@code ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}} (AWS
 * Organizations API reference, Organization, Root and OrganizationalUnit), an OU path written as
 * in {@code aws:PrincipalOrgPaths} ({@code o-.../r-.../ou-.../}); tag keys of 1 to 128 and values
 * of 0 to 256 letters, digits, spaces and {@code _.:/=+-@}, keys not starting with {@code aws:},
 * at most 50 tags (IAM User Guide, "Rules for tagging").
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
 * @param orgId when set, the token's {@code org_id} must be exactly this organization id
 * @param ouPathPrefix when set, the token's {@code ou_path} must start with this path, which ends
 *        with {@code /} so that it names whole OUs ({@code ou-ab12-1111} never matches
 *        {@code ou-ab12-11112222})
 * @param principalTags every entry must be among the token's {@code principal_tags}, key and value
 *        exactly equal (case included); empty means no condition
 */
public record PrincipalBinding(String partition, String account, PrincipalType type, String namePattern,
        Optional<String> uniqueId, boolean provisionUsers, List<String> groups, List<String> roles,
        Optional<String> orgId, Optional<String> ouPathPrefix, Map<String, String> principalTags) {

    private static final Pattern TWELVE_DIGITS = Pattern.compile("[0-9]{12}");
    // IAM name characters plus the two glob wildcards: a pattern that uses anything else (a regex
    // class, a space) could never match a name and is surely a mistake.
    private static final Pattern NAME_PATTERN = Pattern.compile("[A-Za-z0-9_+=,.@*?-]{1,128}");
    private static final int MAX_GROUP_PATH_LENGTH = 1024;
    private static final int MAX_ROLE_NAME_LENGTH = 255;
    private static final String ORG_ID = "o-[a-z0-9]{10,32}";
    private static final Pattern ORG_ID_PATTERN = Pattern.compile(ORG_ID);
    private static final Pattern OU_PATH_PATTERN = Pattern.compile(
            ORG_ID + "/r-[0-9a-z]{4,32}/(ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}/)*");
    private static final int MAX_OU_PATH_LENGTH = 1024;
    private static final Pattern TAG_KEY = Pattern.compile("[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]{1,128}");
    private static final Pattern TAG_VALUE = Pattern.compile("[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]{0,256}");
    private static final int MAX_TAGS = 50;

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
        Objects.requireNonNull(orgId, "orgId");
        Objects.requireNonNull(ouPathPrefix, "ouPathPrefix");
        orgId.ifPresent(PrincipalBinding::requireOrgId);
        ouPathPrefix.ifPresent(path -> requireOuPath(path, orgId));
        principalTags = Map.copyOf(requirePrincipalTags(Objects.requireNonNull(principalTags, "principalTags")));
    }

    /** A binding without organization or tag conditions, which both paths can satisfy. */
    public PrincipalBinding(String partition, String account, PrincipalType type, String namePattern,
            Optional<String> uniqueId, boolean provisionUsers, List<String> groups, List<String> roles) {
        this(partition, account, type, namePattern, uniqueId, provisionUsers, groups, roles,
                Optional.empty(), Optional.empty(), Map.of());
    }

    /**
     * Whether this rule admits {@code principal} as STS GetCallerIdentity reports it (the
     * {@code aws_identity} path): there is no organization context, so a binding with an
     * organization or tag condition does not.
     */
    public boolean matches(AwsPrincipal principal) {
        return matches(principal, Optional.empty());
    }

    /**
     * Whether this rule admits {@code principal}: every configured part must match.
     *
     * @param context what an AWS-issued token says of the principal's organization and tags;
     *        empty where nothing vouches for it, and then no organization or tag condition holds
     */
    public boolean matches(AwsPrincipal principal, Optional<OrganizationContext> context) {
        return partition.equals(principal.partition())
                && account.equals(principal.account())
                && type == principal.type()
                && new NameGlob(namePattern).matches(principal.name())
                && uniqueId.map(principal.uniqueId()::equals).orElse(true)
                && organizationMatches(context);
    }

    /** Whether the binding has a condition that only an AWS-issued token's claims can meet. */
    public boolean needsOrganizationContext() {
        return orgId.isPresent() || ouPathPrefix.isPresent() || !principalTags.isEmpty();
    }

    private boolean organizationMatches(Optional<OrganizationContext> context) {
        if (!needsOrganizationContext()) {
            return true;
        }
        if (context.isEmpty()) {
            return false;
        }
        OrganizationContext claims = context.get();
        return orgId.map(id -> claims.orgId().filter(id::equals).isPresent()).orElse(true)
                && ouPathPrefix.map(prefix -> claims.ouPath().filter(path -> path.startsWith(prefix)).isPresent())
                        .orElse(true)
                && principalTags.entrySet().stream()
                        .allMatch(tag -> tag.getValue().equals(claims.principalTags().get(tag.getKey())));
    }

    private static void requireOrgId(String orgId) {
        if (!ORG_ID_PATTERN.matcher(orgId).matches()) {
            throw new IllegalArgumentException("orgId: must be an AWS Organizations ID: o- and 10 to 32 "
                    + "lower-case letters or digits");
        }
    }

    private static void requireOuPath(String path, Optional<String> orgId) {
        if (path.length() > MAX_OU_PATH_LENGTH || !OU_PATH_PATTERN.matcher(path).matches()) {
            throw new IllegalArgumentException("ouPathPrefix: must be an OU path as AWS writes it: "
                    + "o-<org>/r-<root>/ and any number of ou-<root>-<ou>/, ending with /");
        }
        if (orgId.isPresent() && !path.startsWith(orgId.get() + "/")) {
            throw new IllegalArgumentException("ouPathPrefix: must start with the organization ID of the binding");
        }
    }

    private static Map<String, String> requirePrincipalTags(Map<String, String> tags) {
        if (tags.size() > MAX_TAGS) {
            throw new IllegalArgumentException("principalTags: must have at most " + MAX_TAGS + " tags (the IAM limit per principal)");
        }
        for (Map.Entry<String, String> tag : tags.entrySet()) {
            String key = tag.getKey();
            if (key == null || !TAG_KEY.matcher(key).matches() || key.regionMatches(true, 0, "aws:", 0, 4)) {
                throw new IllegalArgumentException("principalTags: must have keys of 1 to 128 letters, digits, spaces "
                        + "or _.:/=+-@, none starting with aws:");
            }
            if (tag.getValue() == null || !TAG_VALUE.matcher(tag.getValue()).matches()) {
                throw new IllegalArgumentException("principalTags: must have values of 0 to 256 letters, digits, "
                        + "spaces or _.:/=+-@");
            }
        }
        return tags;
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
