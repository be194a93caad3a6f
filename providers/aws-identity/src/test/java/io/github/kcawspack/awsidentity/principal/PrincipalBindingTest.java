package io.github.kcawspack.awsidentity.principal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.kcawspack.awsidentity.sts.CallerIdentity;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PrincipalBindingTest {

    private static final String ACCOUNT = "123456789012";
    private static final String ROLE_ID = "AROA3XFRBF535PLBIFPI4";
    private static final String USER_ID = "AIDAJQABLZS4A3QDU576Q";

    static AwsPrincipal role(String partition, String account, String name, String roleId) {
        return AwsPrincipal.from(new CallerIdentity("arn:" + partition + ":sts::" + account + ":assumed-role/" + name
                + "/s1", roleId + ":s1", account));
    }

    static AwsPrincipal user(String name, String userId) {
        return AwsPrincipal.from(new CallerIdentity("arn:aws:iam::" + ACCOUNT + ":user/team/" + name, userId, ACCOUNT));
    }

    private static PrincipalBinding binding(PrincipalType type, String namePattern, Optional<String> uniqueId) {
        return new PrincipalBinding("aws", ACCOUNT, type, namePattern, uniqueId, false, List.of(), List.of());
    }

    @Test
    void matchesPartitionAccountTypeAndNameTogether() {
        PrincipalBinding binding = binding(PrincipalType.ROLE, "deploy-*", Optional.empty());
        assertThat(binding.matches(role("aws", ACCOUNT, "deploy-web", ROLE_ID))).isTrue();

        assertThat(binding.matches(role("aws-cn", ACCOUNT, "deploy-web", ROLE_ID))).as("partition").isFalse();
        assertThat(binding.matches(role("aws", "999999999999", "deploy-web", ROLE_ID))).as("account").isFalse();
        assertThat(binding.matches(user("deploy-web", USER_ID))).as("type").isFalse();
        assertThat(binding.matches(role("aws", ACCOUNT, "admin", ROLE_ID))).as("name").isFalse();
    }

    private static final String ORG = "o-a1b2c3d4e5";
    private static final String OU = ORG + "/r-ab12/ou-ab12-11111111/";

    private static PrincipalBinding organizationBinding(Optional<String> orgId, Optional<String> ouPath,
            Map<String, String> tags) {
        return new PrincipalBinding("aws", ACCOUNT, PrincipalType.ROLE, "*", Optional.empty(), false, List.of(),
                List.of(), orgId, ouPath, tags);
    }

    private static Optional<OrganizationContext> claims(String orgId, String ouPath, Map<String, String> tags) {
        return Optional.of(new OrganizationContext(Optional.ofNullable(orgId), Optional.ofNullable(ouPath), tags));
    }

    @Test
    void organizationConditionsNeedTheTokensClaimsAndNeverMatchWithout() {
        AwsPrincipal principal = role("aws", ACCOUNT, "deployer", ROLE_ID);
        PrincipalBinding byOrg = organizationBinding(Optional.of(ORG), Optional.empty(), Map.of());
        PrincipalBinding byOu = organizationBinding(Optional.empty(), Optional.of(OU), Map.of());
        PrincipalBinding byTags = organizationBinding(Optional.empty(), Optional.empty(), Map.of("team", "platform"));

        for (PrincipalBinding binding : List.of(byOrg, byOu, byTags)) {
            assertThat(binding.matches(principal)).as("aws_identity has no organization context").isFalse();
            assertThat(binding.matches(principal, Optional.empty())).isFalse();
            assertThat(binding.matches(principal, claims(null, null, Map.of()))).as("claims absent").isFalse();
            assertThat(binding.matches(principal, claims(ORG, OU + "ou-ab12-22222222/", Map.of("team", "platform"))))
                    .isTrue();
        }
        assertThat(byOrg.matches(principal, claims("o-zzzzzzzzzz", OU, Map.of()))).isFalse();
        assertThat(byOu.matches(principal, claims(ORG, ORG + "/r-ab12/ou-ab12-111111112/", Map.of())))
                .as("an OU id that merely starts with the same characters").isFalse();
        assertThat(byOu.matches(principal, claims(ORG, ORG + "/r-ab12/", Map.of()))).as("the parent OU").isFalse();
        assertThat(byTags.matches(principal, claims(ORG, OU, Map.of("team", "Platform")))).as("case counts").isFalse();
        assertThat(byTags.matches(principal, claims(ORG, OU, Map.of("Team", "platform")))).as("case counts").isFalse();
    }

    @Test
    void theAwsClaimIsReadStrictlyAndAnythingOddCountsAsAbsent() {
        OrganizationContext context = OrganizationContext.fromAwsClaim(Map.of("org_id", ORG, "ou_path", List.of(OU),
                "principal_tags", Map.of("team", "platform", "level", 3)));
        assertThat(context.orgId()).contains(ORG);
        assertThat(context.ouPath()).as("ou_path is a string in AWS's tokens").isEmpty();
        assertThat(context.principalTags()).containsExactly(Map.entry("team", "platform"));
        assertThat(OrganizationContext.fromAwsClaim("not an object").orgId()).isEmpty();
    }

    @Test
    void userBindingMatchesUsersByNameNotPath() {
        PrincipalBinding binding = binding(PrincipalType.USER, "ci-*", Optional.empty());
        assertThat(binding.matches(user("ci-bot", USER_ID))).isTrue();
        assertThat(binding.matches(role("aws", ACCOUNT, "ci-bot", ROLE_ID))).isFalse();
        assertThat(new PrincipalBinding("aws", ACCOUNT, PrincipalType.USER, "team*", Optional.empty(), false,
                List.of(), List.of()).matches(user("ci-bot", USER_ID))).as("the path is not part of the name")
                .isFalse();
    }

    @Test
    void sessionNameIsNeverMatched() {
        AwsPrincipal principal = AwsPrincipal.from(new CallerIdentity(
                "arn:aws:sts::123456789012:assumed-role/deployer/admin", ROLE_ID + ":admin", ACCOUNT));
        assertThat(binding(PrincipalType.ROLE, "admin", Optional.empty()).matches(principal)).isFalse();
        assertThat(binding(PrincipalType.ROLE, "deployer", Optional.empty()).matches(principal)).isTrue();
    }

    @Test
    void pinnedUniqueIdRefusesARecreatedRoleOfTheSameName() {
        PrincipalBinding pinned = binding(PrincipalType.ROLE, "deployer", Optional.of(ROLE_ID));
        assertThat(pinned.matches(role("aws", ACCOUNT, "deployer", ROLE_ID))).isTrue();
        assertThat(pinned.matches(role("aws", ACCOUNT, "deployer", "AROANEWROLEAFTERDELETE"))).isFalse();
    }

    @Test
    void pinnedUniqueIdForUsers() {
        PrincipalBinding pinned = binding(PrincipalType.USER, "*", Optional.of(USER_ID));
        assertThat(pinned.matches(user("alice", USER_ID))).isTrue();
        assertThat(pinned.matches(user("alice", "AIDAOTHERUSEREXAMPLE"))).isFalse();
    }

    @Test
    void pinningDoesNotReplaceTheNameCheck() {
        PrincipalBinding pinned = binding(PrincipalType.ROLE, "deployer", Optional.of(ROLE_ID));
        assertThat(pinned.matches(role("aws", ACCOUNT, "other", ROLE_ID))).isFalse();
    }

    @Test
    void rootCanNeverBeBound() {
        AwsPrincipal root = AwsPrincipal.from(new CallerIdentity("arn:aws:iam::123456789012:root", ACCOUNT, ACCOUNT));
        assertThat(binding(PrincipalType.USER, "*", Optional.empty()).matches(root)).isFalse();
        assertThat(binding(PrincipalType.ROLE, "*", Optional.empty()).matches(root)).isFalse();
        assertThatThrownBy(() -> binding(PrincipalType.ROOT, "*", Optional.empty()))
                .hasMessageStartingWith("type:");
    }

    @ParameterizedTest
    @ValueSource(strings = {"*", "12345678901*", "12345678901", "1234567890123", "", " 123456789012", "12345678901a"})
    void accountMustBeExactlyTwelveDigits(String account) {
        assertThatThrownBy(() -> new PrincipalBinding("aws", account, PrincipalType.ROLE, "*", Optional.empty(), false,
                List.of(), List.of())).isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("account:");
    }

    @Test
    void nullAccountOrPartitionOrPattern() {
        assertThatThrownBy(() -> new PrincipalBinding("aws", null, PrincipalType.ROLE, "*", Optional.empty(), false,
                List.of(), List.of())).hasMessageStartingWith("account:");
        assertThatThrownBy(() -> new PrincipalBinding(null, ACCOUNT, PrincipalType.ROLE, "*", Optional.empty(), false,
                List.of(), List.of())).hasMessageStartingWith("partition:");
        assertThatThrownBy(() -> new PrincipalBinding("aws", ACCOUNT, PrincipalType.ROLE, null, Optional.empty(),
                false, List.of(), List.of())).hasMessageStartingWith("namePattern:");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "deploy[er]", "deploy.*$", "a b", "(x)", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "r\u00f4le", "a\nb"})
    void namePatternOnlyOfNameCharactersAndWildcards(String pattern) {
        assertThatThrownBy(() -> binding(PrincipalType.ROLE, pattern, Optional.empty()))
                .hasMessageStartingWith("namePattern:");
    }

    @ParameterizedTest
    @ValueSource(strings = {"AIDAJQABLZS4A3QDU576Q", "aroa3xfrbf535plbifpi4", "AROA", "AROA*", "", "AROA3XF:s1"})
    void roleUniqueIdMustLookLikeARoleId(String uniqueId) {
        assertThatThrownBy(() -> binding(PrincipalType.ROLE, "*", Optional.of(uniqueId)))
                .hasMessageStartingWith("uniqueId:");
    }

    @Test
    void userUniqueIdMustLookLikeAUserId() {
        assertThatThrownBy(() -> binding(PrincipalType.USER, "*", Optional.of(ROLE_ID)))
                .hasMessageStartingWith("uniqueId:");
        assertThat(binding(PrincipalType.USER, "*", Optional.of("AIDAEXAMPLE")).uniqueId()).contains("AIDAEXAMPLE");
    }

    @ParameterizedTest
    @ValueSource(strings = {"aws-eu", "AWS", "*", ""})
    void partitionMustBeKnown(String partition) {
        assertThatThrownBy(() -> new PrincipalBinding(partition, ACCOUNT, PrincipalType.ROLE, "*", Optional.empty(),
                false, List.of(), List.of())).hasMessageStartingWith("partition:");
    }

    @Test
    void groupPathsAndRoleNames() {
        assertThatThrownBy(() -> new PrincipalBinding("aws", ACCOUNT, PrincipalType.ROLE, "*", Optional.empty(), true,
                List.of("/ok", "aws"), List.of())).hasMessageStartingWith("groups[1]:");
        assertThatThrownBy(() -> new PrincipalBinding("aws", ACCOUNT, PrincipalType.ROLE, "*", Optional.empty(), true,
                List.of("/"), List.of())).hasMessageStartingWith("groups[0]:");
        assertThatThrownBy(() -> new PrincipalBinding("aws", ACCOUNT, PrincipalType.ROLE, "*", Optional.empty(), true,
                List.of("/a\nb"), List.of())).hasMessageStartingWith("groups[0]:");
        assertThatThrownBy(() -> new PrincipalBinding("aws", ACCOUNT, PrincipalType.ROLE, "*", Optional.empty(), true,
                List.of(), List.of(" "))).hasMessageStartingWith("roles[0]:");
        assertThatThrownBy(() -> new PrincipalBinding("aws", ACCOUNT, PrincipalType.ROLE, "*", Optional.empty(), true,
                List.of(), Arrays.asList("ok", null))).hasMessageStartingWith("roles[1]:");
    }

    @Test
    void listsAreCopied() {
        List<String> groups = new ArrayList<>(List.of("/aws"));
        PrincipalBinding binding = new PrincipalBinding("aws", ACCOUNT, PrincipalType.ROLE, "*", Optional.empty(),
                true, groups, List.of("deployer"));
        groups.add("/admins");
        assertThat(binding.groups()).containsExactly("/aws");
    }
}
