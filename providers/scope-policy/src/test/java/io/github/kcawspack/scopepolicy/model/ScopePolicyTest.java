package io.github.kcawspack.scopepolicy.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The demo realm's rules from the issue, decided for alice, bob and AWS workloads. */
class ScopePolicyTest {

    private static final ScopePolicy DEMO = ScopePolicyJson.parse("""
            {"mode": "filter", "rules": [
              {"scope": "write", "realmRoles": ["writer"]},
              {"scope": "groups", "groups": ["/staff"]},
              {"scope": "deploy", "awsPrincipals": [{"account": "123456789012", "type": "role", "name": "deployer"}],
               "grantTypes": ["aws_identity"]}
            ]}""");

    private static final Requester ALICE = person(Set.of("writer"), Set.of("/staff"), "password");
    private static final Requester BOB = person(Set.of(), Set.of(), "password");

    @Test
    void aliceGetsWriteAndGroupsBobGetsNeitherButKeepsRead() {
        assertThat(DEMO.decide("testclient", List.of("read", "write", "groups"), ALICE).granted()).containsExactly("read", "write", "groups");

        ScopePolicy.Decision bob = DEMO.decide("testclient", List.of("read", "write", "groups"), BOB);
        assertThat(bob.granted()).containsExactly("read");
        assertThat(bob.withheld()).containsOnlyKeys("write", "groups");
        assertThat(bob.withheld().get("write")).isEqualTo("requires role writer");
        assertThat(bob.rejected()).isFalse();
    }

    @Test
    void membersOfSubgroupsCountButLookalikeGroupsDoNot() {
        assertThat(DEMO.decide("testclient", List.of("groups"), person(Set.of(), Set.of("/staff/engineering"), "password")).granted())
                .containsExactly("groups");
        assertThat(DEMO.decide("testclient", List.of("groups"), person(Set.of(), Set.of("/staffing"), "password")).granted()).isEmpty();
    }

    @Test
    void deployOnlyForTheDeployerRoleAndOnlyThroughAwsIdentity() {
        Requester deployer = aws("arn:aws:iam::123456789012:role/deployer", "123456789012", "aws_identity");
        assertThat(DEMO.decide("testclient", List.of("deploy"), deployer).granted()).containsExactly("deploy");

        assertThat(DEMO.decide("testclient", List.of("deploy"), aws("arn:aws:iam::123456789012:role/builder", "123456789012", "aws_identity"))
                .withheld()).containsKey("deploy");
        assertThat(DEMO.decide("testclient", List.of("deploy"), aws("arn:aws:iam::210987654321:role/deployer", "210987654321", "aws_identity"))
                .withheld()).containsKey("deploy");
        assertThat(DEMO.decide("testclient", List.of("deploy"), aws("arn:aws:iam::123456789012:role/deployer", "123456789012", "password"))
                .withheld()).containsEntry("deploy", "not available through password");
        assertThat(DEMO.decide("testclient", List.of("deploy"), ALICE).withheld()).containsKey("deploy");
    }

    @Test
    void rejectModeFailsTheRequestAndNamesTheScope() {
        ScopePolicy webApp = ScopePolicyJson.parse("""
                {"mode": "reject", "rules": [{"scope": "write", "realmRoles": ["writer"]}]}""");

        ScopePolicy.Decision decision = webApp.decide("testclient", List.of("read", "write"), BOB);

        assertThat(decision.rejectedScope()).contains("write");
        assertThat(webApp.decide("testclient", List.of("read", "write"), ALICE).rejected()).isFalse();
    }

    @Test
    void ruleModeOverridesThePolicyMode() {
        ScopePolicy policy = ScopePolicyJson.parse("""
                {"mode": "filter", "rules": [{"scope": "write", "realmRoles": ["writer"], "mode": "reject"}]}""");
        assertThat(policy.decide("testclient", List.of("write"), BOB).rejectedScope()).contains("write");
    }

    @Test
    void rulesNamingAClientReplaceTheRealmRulesForThatClientOnly() {
        ScopePolicy policy = ScopePolicyJson.parse("""
                {"mode": "filter", "rules": [
                  {"scope": "write", "realmRoles": ["writer"]},
                  {"scope": "write", "clients": ["web-app"], "realmRoles": ["writer"], "mode": "reject"}]}""");

        assertThat(policy.decide("web-app", List.of("write"), BOB).rejectedScope()).contains("write");
        ScopePolicy.Decision elsewhere = policy.decide("testclient", List.of("write"), BOB);
        assertThat(elsewhere.rejected()).isFalse();
        assertThat(elsewhere.withheld()).containsOnlyKeys("write");
        assertThat(policy.decide("web-app", List.of("write"), ALICE).granted()).containsExactly("write");
    }

    @Test
    void strictModeWithholdsScopesNoRuleCovers() {
        ScopePolicy strict = ScopePolicyJson.parse("""
                {"strict": true, "rules": [{"scope": "write", "realmRoles": ["writer"]}]}""");

        ScopePolicy.Decision decision = strict.decide("testclient", List.of("read", "write"), ALICE);

        assertThat(decision.granted()).containsExactly("write");
        assertThat(decision.withheld()).containsEntry("read", "not covered by any rule");
    }

    @Test
    void repeatsCountOnceAndCaseVariantsAreOtherScopes() {
        ScopePolicy.Decision decision = DEMO.decide("testclient", List.of("write", "write", "WRITE"), BOB);

        assertThat(decision.withheld()).containsOnlyKeys("write");
        assertThat(decision.granted()).as("WRITE is not write; Keycloak refuses it as an unknown scope").containsExactly("WRITE");
    }

    @Test
    void clientRolesAdmitOnlyForTheirClient() {
        ScopePolicy policy = ScopePolicyJson.parse("""
                {"rules": [{"scope": "write", "clientRoles": {"api": ["editor"]}}]}""");
        Requester editor = new Requester(Set.of(), Map.of("api", Set.of("editor")), Set.of(), Optional.empty(), "password");
        Requester elsewhere = new Requester(Set.of(), Map.of("other", Set.of("editor")), Set.of(), Optional.empty(), "password");

        assertThat(policy.decide("testclient", List.of("write"), editor).granted()).containsExactly("write");
        assertThat(policy.decide("testclient", List.of("write"), elsewhere).withheld()).containsEntry("write", "requires role api/editor");
    }

    @Test
    void awsNamePatternsAreGlobsNotRegularExpressions() {
        ScopePolicy policy = ScopePolicyJson.parse("""
                {"rules": [{"scope": "deploy", "awsPrincipals": [{"account": "123456789012", "type": "role", "name": "ci.*"}]}]}""");
        assertThat(policy.decide("testclient", List.of("deploy"), aws("arn:aws:iam::123456789012:role/ci.main", "123456789012", "aws_identity"))
                .granted()).containsExactly("deploy");
        assertThat(policy.decide("testclient", List.of("deploy"), aws("arn:aws:iam::123456789012:role/ciXmain", "123456789012", "aws_identity"))
                .granted()).as("the dot is literal").isEmpty();
    }

    @Test
    void mistakesInTheJsonAreErrorsNamingTheRule() {
        assertThatThrownBy(() -> ScopePolicyJson.parse("{\"rules\": [{\"scope\": \"write\", \"realmRole\": [\"writer\"]}]}"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ScopePolicyJson.parse(
                "{\"rules\": [{\"scope\": \"x\"}, {\"scope\": \"deploy\", \"awsPrincipals\": [{\"account\": \"*\", \"type\": \"role\", \"name\": \"d\"}]}]}"))
                .hasMessageStartingWith("rules[1]: account must be exactly 12 digits");
        assertThatThrownBy(() -> ScopePolicyJson.parse("{\"rules\": [{\"scope\": \"write\", \"groups\": [\"staff\"]}]}"))
                .hasMessageContaining("full path");
        assertThatThrownBy(() -> ScopePolicyJson.parse("{\"mode\": \"drop\", \"rules\": []}")).hasMessageContaining("filter or reject");
    }

    @Test
    void anIamUserWhosePathSpellsARoleIsNotThatRole() {
        // An attack: IAM paths may hold ':'; a user named deployer under the path
        // /x:iam::123456789012:role/ has an ARN that contains ":iam::123456789012:role/deployer".
        Requester user = aws("arn:aws:iam::123456789012:user/x:iam::123456789012:role/deployer", "123456789012", "aws_identity");
        assertThat(DEMO.decide("testclient", List.of("deploy"), user).granted()).isEmpty();
        Requester role = aws("arn:aws:iam::123456789012:role/deployer", "123456789012", "aws_identity");
        assertThat(DEMO.decide("testclient", List.of("deploy"), role).granted()).containsExactly("deploy");
    }

    private static Requester person(Set<String> roles, Set<String> groupPaths, String grantType) {
        // Test groups have no slash in their names: a path splits into the chain of names.
        Set<List<String>> groups = new java.util.HashSet<>();
        groupPaths.forEach(path -> groups.add(List.of(path.substring(1).split("/"))));
        return new Requester(roles, Map.of(), groups, Optional.empty(), grantType);
    }

    private static Requester aws(String arn, String account, String grantType) {
        return new Requester(Set.of(), Map.of(), Set.of(), Optional.of(new Requester.AwsPrincipalFacts(arn, account)), grantType);
    }

    @Test
    void aRuleForAScopeTheRealmDoesNotHaveIsRefusedNamingTheRuleAndTheScope() {
        ScopePolicy typo = ScopePolicyJson.parse("""
                {"rules": [{"scope": "read"}, {"scope": "wirte", "realmRoles": ["writer"]}]}""");

        assertThatThrownBy(() -> typo.requireScopesAmong(Set.of("read", "write")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("rules[1]: scope 'wirte' does not exist in this realm");
        typo.requireScopesAmong(Set.of("read", "wirte"));
    }

    @Test
    void grantTypesTheOperatorAllowsAreReadAndNoneByDefault() {
        assertThat(ScopePolicyJson.parse("{\"rules\": []}").allowedGrantTypes()).isEmpty();
        assertThat(ScopePolicyJson.parse("""
                {"rules": [], "allowGrantTypes": ["urn:ietf:params:oauth:grant-type:uma-ticket"]}""").allowedGrantTypes())
                .containsExactly("urn:ietf:params:oauth:grant-type:uma-ticket");
        assertThatThrownBy(() -> ScopePolicyJson.parse("{\"rules\": [], \"allowGrantTypes\": [\"\"]}"))
                .hasMessageContaining("allowGrantTypes");
    }

    @Test
    void aRuleLimitedToGrantTypesRefusesARequestWhoseGrantIsUnknownInsteadOfFailing() {
        ScopePolicy policy = ScopePolicyJson.parse("""
                {"rules": [{"scope": "write", "grantTypes": ["password"]}]}""");
        Requester noGrant = new Requester(Set.of(), Map.of(), Set.of(), Optional.empty(), null);

        assertThat(policy.decide("c", List.of("write"), noGrant).withheld()).containsOnlyKeys("write");
    }

    @Test
    void aTopLevelGroupWhoseNameHasASlashIsNotBelowTheGroupItSpellsOut() {
        Requester contractor = new Requester(Set.of(), Map.of(), Set.of(List.of("staff/contractors")), Optional.empty(), "password");
        Requester member = new Requester(Set.of(), Map.of(), Set.of(List.of("staff", "contractors")), Optional.empty(), "password");

        assertThat(DEMO.decide("testclient", List.of("groups"), contractor).granted()).isEmpty();
        assertThat(DEMO.decide("testclient", List.of("groups"), member).granted()).containsExactly("groups");
        ScopePolicy escaped = ScopePolicyJson.parse("""
                {"rules": [{"scope": "groups", "groups": ["/staff~/contractors"]}]}""");
        assertThat(escaped.decide("testclient", List.of("groups"), contractor).granted()).containsExactly("groups");
        assertThat(escaped.decide("testclient", List.of("groups"), member).granted()).isEmpty();
    }

    @Test
    void aMisspeltFieldIsNamedWithItsPlace() {
        assertThatThrownBy(() -> ScopePolicyJson.parse("""
                {"rules": [{"scope": "read"}, {"scope": "write", "realmRole": ["writer"]}]}"""))
                .hasMessageStartingWith("unknown field realmRole at rules[1]");
        assertThatThrownBy(() -> ScopePolicyJson.parse("""
                {"rules": [], "allowGrantType": ["x"]}"""))
                .hasMessageStartingWith("unknown field allowGrantType at the policy");
    }
}
