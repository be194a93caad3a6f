package io.github.kcawspack.awsidentity.principal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.kcawspack.awsidentity.principal.InvalidPrincipalException.Problem;
import io.github.kcawspack.awsidentity.sts.CallerIdentity;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class AwsPrincipalTest {

    private static final String ACCOUNT = "123456789012";
    private static final String ROLE_ID = "AROA3XFRBF535PLBIFPI4";
    private static final String USER_ID = "AIDAJQABLZS4A3QDU576Q";

    private static AwsPrincipal role(String arn, String session) {
        return AwsPrincipal.from(new CallerIdentity(arn, ROLE_ID + ":" + session, ACCOUNT));
    }

    private static void assertInvalid(CallerIdentity identity, Problem problem) {
        assertThatThrownBy(() -> AwsPrincipal.from(identity))
                .isInstanceOfSatisfying(InvalidPrincipalException.class, e -> {
                    assertThat(e.problem()).isEqualTo(problem);
                    assertThat(e.getMessage()).doesNotContain(ACCOUNT, ROLE_ID, USER_ID, "deployer", "alice");
                });
    }

    private static void assertInvalidArn(String arn, Problem problem) {
        assertInvalid(new CallerIdentity(arn, ROLE_ID + ":s1", ACCOUNT), problem);
    }

    @ParameterizedTest
    @CsvSource({
            "aws, arn:aws:iam::123456789012:role/deployer",
            "aws-cn, arn:aws-cn:iam::123456789012:role/deployer",
            "aws-us-gov, arn:aws-us-gov:iam::123456789012:role/deployer",
            "aws-iso, arn:aws-iso:iam::123456789012:role/deployer",
            "aws-iso-b, arn:aws-iso-b:iam::123456789012:role/deployer",
            "aws-iso-e, arn:aws-iso-e:iam::123456789012:role/deployer",
            "aws-iso-f, arn:aws-iso-f:iam::123456789012:role/deployer",
    })
    void assumedRoleBecomesItsRoleInEveryPartition(String partition, String canonical) {
        AwsPrincipal principal = role("arn:" + partition + ":sts::123456789012:assumed-role/deployer/s1", "s1");
        assertThat(principal.partition()).isEqualTo(partition);
        assertThat(principal.canonicalArn()).isEqualTo(canonical);
        assertThat(principal.type()).isEqualTo(PrincipalType.ROLE);
        assertThat(principal.name()).isEqualTo("deployer");
        assertThat(principal.account()).isEqualTo(ACCOUNT);
        assertThat(principal.uniqueId()).isEqualTo(ROLE_ID);
        assertThat(principal.sessionName()).contains("s1");
        assertThat(principal.path()).isEmpty();
    }

    @Test
    void sessionNameIsNotPartOfTheIdentity() {
        AwsPrincipal first = role("arn:aws:sts::123456789012:assumed-role/deployer/i-0abc", "i-0abc");
        AwsPrincipal second = role("arn:aws:sts::123456789012:assumed-role/deployer/alice@example.com",
                "alice@example.com");
        assertThat(first.canonicalArn()).isEqualTo(second.canonicalArn());
        assertThat(first.uniqueId()).isEqualTo(second.uniqueId());
        assertThat(first.sessionName()).isNotEqualTo(second.sessionName());
    }

    @Test
    void iamUserKeepsItsPathSeparately() {
        AwsPrincipal principal = AwsPrincipal.from(new CallerIdentity(
                "arn:aws:iam::123456789012:user/division/ci/alice", USER_ID, ACCOUNT));
        assertThat(principal.type()).isEqualTo(PrincipalType.USER);
        assertThat(principal.name()).isEqualTo("alice");
        assertThat(principal.path()).contains("/division/ci/");
        assertThat(principal.canonicalArn()).isEqualTo("arn:aws:iam::123456789012:user/division/ci/alice");
        assertThat(principal.uniqueId()).isEqualTo(USER_ID);
        assertThat(principal.sessionName()).isEmpty();
    }

    @Test
    void iamUserWithoutPath() {
        AwsPrincipal principal = AwsPrincipal.from(new CallerIdentity(
                "arn:aws-us-gov:iam::123456789012:user/alice", USER_ID, ACCOUNT));
        assertThat(principal.path()).contains("/");
        assertThat(principal.canonicalArn()).isEqualTo("arn:aws-us-gov:iam::123456789012:user/alice");
    }

    @Test
    void rootUser() {
        AwsPrincipal principal = AwsPrincipal.from(new CallerIdentity("arn:aws:iam::123456789012:root", ACCOUNT,
                ACCOUNT));
        assertThat(principal.type()).isEqualTo(PrincipalType.ROOT);
        assertThat(principal.canonicalArn()).isEqualTo("arn:aws:iam::123456789012:root");
        assertThat(principal.uniqueId()).isEqualTo(ACCOUNT);
    }

    @Test
    void fixtureShapedUniqueIdsAreAccepted() {
        // The integration tests' fake STS uses short ids such as AROAEXAMPLEID.
        assertThat(role("arn:aws:sts::123456789012:assumed-role/deployer/session-1", "session-1")).isNotNull();
        assertThat(AwsPrincipal.from(new CallerIdentity("arn:aws:sts::123456789012:assumed-role/deployer/session-1",
                "AROAEXAMPLEID:session-1", ACCOUNT)).uniqueId()).isEqualTo("AROAEXAMPLEID");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "arn:aws:sts::123456789012:assumed-role/deployer/s1/extra",
            "arn:aws:sts::123456789012:assumed-role/deployer/",
            "arn:aws:sts::123456789012:assumed-role//s1",
            "arn:aws:sts::123456789012:assumed-role/deployer",
            "arn:aws:sts::123456789012:assumed-role/path/deployer/s1",
            "arn:aws:sts::123456789012:assumed-role/deploy*er/s1",
            "arn:aws:sts::123456789012:assumed-role/deployer/s:1",
            "arn:aws:iam::123456789012:user/",
            "arn:aws:iam::123456789012:user//alice",
            "arn:aws:iam::123456789012:user/a//alice",
            "arn:aws:iam::123456789012:user/ci/",
    })
    void malformedNames(String arn) {
        assertInvalidArn(arn, Problem.NAME_INVALID);
    }

    @Test
    void overlongNames() {
        assertInvalidArn("arn:aws:sts::123456789012:assumed-role/" + "r".repeat(65) + "/s1", Problem.NAME_INVALID);
        assertInvalidArn("arn:aws:sts::123456789012:assumed-role/deployer/" + "s".repeat(65), Problem.NAME_INVALID);
        assertInvalidArn("arn:aws:iam::123456789012:user/" + "p/".repeat(300) + "alice", Problem.NAME_INVALID);
        assertInvalidArn("arn:aws:iam::123456789012:user/" + "u".repeat(3000), Problem.ARN_MALFORMED);
    }

    @Test
    void longestValidNamesAreAccepted() {
        String roleName = "r".repeat(64);
        String session = "s".repeat(64);
        assertThat(role("arn:aws:sts::123456789012:assumed-role/" + roleName + "/" + session, session).name())
                .isEqualTo(roleName);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "arn:aws:sts::123456789012:assumed-role/deployer/s1\n",
            "arn:aws:sts::123456789012:assumed-role/deployer/s\u00001",
            "arn:aws:sts::123456789012:assumed-role/deployer/s 1",
            "arn:aws:sts::123456789012:assumed-role/d\u00e9ployer/s1",
            "arn:aws:sts::123456789012:assumed-role/deployer/s\u202e1",
            "",
            "arn:aws:sts::123456789012",
            "urn:aws:sts::123456789012:assumed-role/deployer/s1",
            "ARN:aws:sts::123456789012:assumed-role/deployer/s1",
            "arn:aws:sts:us-east-1:123456789012:assumed-role/deployer/s1",
            "arn:aws:sts::12345678901:assumed-role/deployer/s1",
            "arn:aws:sts::*:assumed-role/deployer/s1",
    })
    void malformedArns(String arn) {
        assertInvalidArn(arn, Problem.ARN_MALFORMED);
    }

    @ParameterizedTest
    @ValueSource(strings = {"AWS", "aws-eu", "aws-iso-z", "", "aws "})
    void unknownPartitions(String partition) {
        String arn = "arn:" + partition + ":sts::123456789012:assumed-role/deployer/s1";
        assertThatThrownBy(() -> AwsPrincipal.from(new CallerIdentity(arn, ROLE_ID + ":s1", ACCOUNT)))
                .isInstanceOf(InvalidPrincipalException.class)
                .satisfies(e -> assertThat(((InvalidPrincipalException) e).problem())
                        .isIn(Problem.PARTITION_UNKNOWN, Problem.ARN_MALFORMED));
    }

    @Test
    void unknownPartitionIsReportedAsSuch() {
        assertInvalidArn("arn:aws-eu:sts::123456789012:assumed-role/deployer/s1", Problem.PARTITION_UNKNOWN);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "arn:aws:iam::123456789012:role/deployer",
            "arn:aws:iam::123456789012:group/admins",
            "arn:aws:iam::123456789012:rootx",
            "arn:aws:sts::123456789012:root",
            "arn:aws:s3::123456789012:bucket",
            "arn:aws:sts::123456789012:assumed-rolex/deployer/s1",
    })
    void unexpectedResourceTypes(String arn) {
        assertInvalidArn(arn, Problem.RESOURCE_UNEXPECTED);
    }

    @Test
    void federatedUsersAreRefusedClearly() {
        assertInvalid(new CallerIdentity("arn:aws:sts::123456789012:federated-user/bob", ACCOUNT + ":bob", ACCOUNT),
                Problem.PRINCIPAL_UNSUPPORTED);
    }

    @ParameterizedTest
    @ValueSource(strings = {"12345678901", "1234567890123", "", "abcdefghijkl"})
    void accountFieldMustBeTwelveDigits(String account) {
        assertInvalid(new CallerIdentity("arn:aws:sts::123456789012:assumed-role/deployer/s1", ROLE_ID + ":s1",
                account), Problem.ACCOUNT_INVALID);
    }

    @Test
    void arnMustNameTheReportedAccount() {
        assertInvalid(new CallerIdentity("arn:aws:sts::123456789012:assumed-role/deployer/s1", ROLE_ID + ":s1",
                "999999999999"), Problem.ACCOUNT_MISMATCH);
    }

    @Test
    void roleSessionMustMatchBetweenArnAndUserId() {
        assertInvalid(new CallerIdentity("arn:aws:sts::123456789012:assumed-role/deployer/s1", ROLE_ID + ":s2",
                ACCOUNT), Problem.SESSION_MISMATCH);
        assertInvalid(new CallerIdentity("arn:aws:sts::123456789012:assumed-role/deployer/s1", ROLE_ID + ":s1:x",
                ACCOUNT), Problem.SESSION_MISMATCH);
    }

    @ParameterizedTest
    @ValueSource(strings = {"AROA3XFRBF535PLBIFPI4", "AIDAJQABLZS4A3QDU576Q:s1", "AROA:s1", ":s1",
            "aroa3xfrbf535plbifpi4:s1", "AROA3XFRBF535PLBIFPI4 :s1"})
    void roleUserIdMustBeRoleIdColonSession(String userId) {
        assertInvalid(new CallerIdentity("arn:aws:sts::123456789012:assumed-role/deployer/s1", userId, ACCOUNT),
                Problem.USER_ID_MISMATCH);
    }

    @ParameterizedTest
    @ValueSource(strings = {"AROA3XFRBF535PLBIFPI4", "AKIAI44QH8DHBEXAMPLE", "AIDA", "AIDAJQABLZS4A3QDU576Q:s1",
            "123456789012"})
    void userUserIdMustBeAnAidaId(String userId) {
        assertInvalid(new CallerIdentity("arn:aws:iam::123456789012:user/alice", userId, ACCOUNT),
                Problem.USER_ID_MISMATCH);
    }

    @Test
    void rootUserIdMustBeTheAccount() {
        assertInvalid(new CallerIdentity("arn:aws:iam::123456789012:root", USER_ID, ACCOUNT), Problem.USER_ID_MISMATCH);
        assertInvalid(new CallerIdentity("arn:aws:iam::123456789012:root", null, ACCOUNT), Problem.USER_ID_MISMATCH);
    }

    @Test
    void principalsAreValueObjects() {
        AwsPrincipal principal = role("arn:aws:sts::123456789012:assumed-role/deployer/s1", "s1");
        assertThat(principal).isEqualTo(new AwsPrincipal("aws", ACCOUNT, PrincipalType.ROLE, "deployer",
                Optional.empty(), "arn:aws:iam::123456789012:role/deployer", ROLE_ID, Optional.of("s1")));
    }
}
