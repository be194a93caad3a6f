package io.github.kcawspack.awsidentity.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.kcawspack.awsidentity.principal.AwsPrincipal;
import io.github.kcawspack.awsidentity.principal.PrincipalBinding;
import io.github.kcawspack.awsidentity.principal.PrincipalType;
import io.github.kcawspack.awsidentity.AwsIdentityRejection;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The {@code sub} of an AWS-issued JWT as a principal the bindings and user links judge. */
class WebIdentitySubjectTest {

    private static final String ACCOUNT = "111122223333";

    @Test
    void aRoleWithAPathIsNamedAsAwsIdentityNamesIt() {
        AwsPrincipal role = WebIdentityTokenVerifier.subjectPrincipal("arn:aws:iam::" + ACCOUNT + ":role/ci/deployer");

        assertThat(role.type()).isEqualTo(PrincipalType.ROLE);
        assertThat(role.name()).isEqualTo("deployer");
        assertThat(role.canonicalArn()).isEqualTo("arn:aws:iam::" + ACCOUNT + ":role/deployer");
        assertThat(role.uniqueId()).as("the token names no unique id").isEqualTo("*");
        assertThat(role.sessionName()).isEmpty();
    }

    @Test
    void anIamUserKeepsItsPath() {
        AwsPrincipal user = WebIdentityTokenVerifier.subjectPrincipal("arn:aws:iam::" + ACCOUNT + ":user/ops/alice");

        assertThat(user.type()).isEqualTo(PrincipalType.USER);
        assertThat(user.canonicalArn()).isEqualTo("arn:aws:iam::" + ACCOUNT + ":user/ops/alice");
    }

    @Test
    void aBindingThatNamesAUniqueIdNeverAdmitsIt() {
        AwsPrincipal role = WebIdentityTokenVerifier.subjectPrincipal("arn:aws:iam::" + ACCOUNT + ":role/deployer");
        PrincipalBinding pinned = new PrincipalBinding("aws", ACCOUNT, PrincipalType.ROLE, "deployer",
                Optional.of("AROADEPLOYEREXAMPLE1"), false, List.of(), List.of());

        assertThat(pinned.matches(role)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "arn:aws:sts::111122223333:assumed-role/deployer/session",
            "arn:aws:iam::111122223333:root",
            "arn:aws:sts::111122223333:federated-user/bob",
            "arn:aws:iam::111122223333:role/",
            "arn:aws:iam::111122223333:role/bad name",
            "arn:aws:iam:eu-west-1:111122223333:role/deployer",
            "arn:aws:iam::1111:role/deployer",
            "arn:notapartition:iam::111122223333:role/deployer",
            "deployer"})
    void anythingElseIsRefused(String sub) {
        assertThatThrownBy(() -> WebIdentityTokenVerifier.subjectPrincipal(sub))
                .isInstanceOfSatisfying(AwsIdentityRejection.class,
                        rejection -> assertThat(rejection.reason()).isEqualTo("principal_unsupported"));
    }
}
