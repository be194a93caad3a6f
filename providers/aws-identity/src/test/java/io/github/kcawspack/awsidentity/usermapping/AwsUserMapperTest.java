package io.github.kcawspack.awsidentity.usermapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.github.kcawspack.awsidentity.identity.AwsPrincipal;
import io.github.kcawspack.awsidentity.identity.PrincipalBinding;
import io.github.kcawspack.awsidentity.identity.PrincipalType;
import io.github.kcawspack.awsidentity.sts.CallerIdentity;
import io.github.kcawspack.awsidentity.verification.AwsIdentityRejection;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.ModelDuplicateException;
import org.keycloak.models.ModelException;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.UserProvider;

class AwsUserMapperTest {

    private static final String ACCOUNT = "123456789012";
    private static final AwsPrincipal DEPLOYER = AwsPrincipal.from(new CallerIdentity(
            "arn:aws:sts::" + ACCOUNT + ":assumed-role/deployer/run-1", "AROA3XFRBF535PLBIFPI4:run-1", ACCOUNT));
    private static final PrincipalBinding PROVISIONING = new PrincipalBinding("aws", ACCOUNT, PrincipalType.ROLE, "*",
            Optional.empty(), true, List.of(), List.of());

    private final KeycloakSession session = mock(KeycloakSession.class);
    private final UserProvider users = mock(UserProvider.class);
    private final RealmModel realm = mock(RealmModel.class);
    private final LinkedUsers links = new LinkedUsers();
    private final AwsUserMapper mapper = new AwsUserMapper(session, realm, links);

    AwsUserMapperTest() {
        when(realm.getId()).thenReturn("realm-1");
        when(session.users()).thenReturn(users);
        when(users.searchForUserByUserAttributeStream(realm, AwsUserMapper.ATTR_ARN, DEPLOYER.canonicalArn()))
                .thenAnswer(call -> Stream.empty());
    }

    @Test
    void aConcurrentFirstLoginOfTheSamePrincipalIsToldToTryAgain() {
        // What Keycloak's JPA store throws when another transaction inserted the same username first.
        when(users.addUser(eq(realm), anyString())).thenThrow(new ModelDuplicateException("duplicate username"));

        assertThatThrownBy(() -> mapper.userFor(DEPLOYER, PROVISIONING))
                .isInstanceOfSatisfying(AwsIdentityRejection.class, rejection -> {
                    assertThat(rejection.error()).isEqualTo(AwsIdentityRejection.OAuthError.TEMPORARILY_UNAVAILABLE);
                    assertThat(rejection.error().httpStatus()).isEqualTo(503);
                    assertThat(rejection.reason()).isEqualTo("user_created_concurrently");
                    assertThat(rejection.description()).contains("try again");
                });
    }

    @Test
    void aDatabaseThatGivesUpWaitingForTheOtherInsertIsATryAgainToo() {
        // H2 reports the race as a lock timeout on the new row rather than as a duplicate.
        when(users.addUser(eq(realm), anyString())).thenThrow(new ModelException("Database operation failed"));

        assertThatThrownBy(() -> mapper.userFor(DEPLOYER, PROVISIONING))
                .isInstanceOfSatisfying(AwsIdentityRejection.class, rejection -> {
                    assertThat(rejection.error()).isEqualTo(AwsIdentityRejection.OAuthError.TEMPORARILY_UNAVAILABLE);
                    assertThat(rejection.reason()).isEqualTo("user_creation_failed");
                    assertThat(rejection.description()).contains("try again").doesNotContain("Database");
                });
    }

    @Test
    void theUserAConcurrentFirstLoginCreatedAfterTheSearchIsATryAgainNotATakenName() {
        // Found by CI: the search ran before the other request committed, the name check after.
        UserModel createdMeanwhile = user("user-1", DEPLOYER.canonicalArn());
        when(users.getUserByUsername(realm, "aws-role-deployer-" + ACCOUNT)).thenReturn(createdMeanwhile);

        assertThatThrownBy(() -> mapper.userFor(DEPLOYER, PROVISIONING))
                .isInstanceOfSatisfying(AwsIdentityRejection.class, rejection -> {
                    assertThat(rejection.error()).isEqualTo(AwsIdentityRejection.OAuthError.TEMPORARILY_UNAVAILABLE);
                    assertThat(rejection.reason()).isEqualTo("user_created_concurrently");
                });
        verify(users, never()).addUser(any(), anyString());
    }

    @Test
    void aNameHeldByAUserOfAnotherPrincipalIsRefused() {
        UserModel someoneElse = user("user-1", "arn:aws:iam::" + ACCOUNT + ":role/other");
        when(users.getUserByUsername(realm, "aws-role-deployer-" + ACCOUNT)).thenReturn(someoneElse);

        assertThatThrownBy(() -> mapper.userFor(DEPLOYER, PROVISIONING))
                .isInstanceOfSatisfying(AwsIdentityRejection.class, rejection -> {
                    assertThat(rejection.error().httpStatus()).isEqualTo(400);
                    assertThat(rejection.reason()).isEqualTo("username_taken");
                });
        verify(users, never()).addUser(any(), anyString());
    }

    @Test
    void aFirstLoginCreatesTheLinkedUser() {
        UserModel created = user("user-1", DEPLOYER.canonicalArn());
        when(users.addUser(realm, "aws-role-deployer-" + ACCOUNT)).thenReturn(created);

        assertThat(mapper.userFor(DEPLOYER, PROVISIONING)).isSameAs(created);
        verify(created).setSingleAttribute(AwsUserMapper.ATTR_ARN, DEPLOYER.canonicalArn());
        verify(created).setSingleAttribute(AwsUserMapper.ATTR_UNIQUE_ID, DEPLOYER.uniqueId());
    }

    @Test
    void aLinkedUserIsFoundNotCreated() {
        UserModel linked = user("user-1", DEPLOYER.canonicalArn());
        searchFinds(linked);

        assertThat(mapper.userFor(DEPLOYER, PROVISIONING)).isSameAs(linked);
        verify(users, never()).addUser(any(), anyString());
    }

    @Test
    void aReturningPrincipalIsFoundThroughItsRememberedLinkWithoutASearch() {
        UserModel linked = user("user-1", DEPLOYER.canonicalArn());
        searchFinds(linked);
        when(users.getUserByUsername(realm, "name-user-1")).thenReturn(linked);

        mapper.userFor(DEPLOYER, PROVISIONING);
        assertThat(mapper.userFor(DEPLOYER, PROVISIONING)).isSameAs(linked);

        verify(users, times(1)).searchForUserByUserAttributeStream(realm, AwsUserMapper.ATTR_ARN, DEPLOYER.canonicalArn());
    }

    @Test
    void aRememberedUserThatNoLongerCarriesTheArnIsNotUsed() {
        UserModel first = user("user-1", DEPLOYER.canonicalArn());
        searchFinds(first);
        mapper.userFor(DEPLOYER, PROVISIONING);
        // Since then the attribute moved to another user (an administrator's repair, say).
        UserModel changed = user("user-1", "arn:aws:iam::" + ACCOUNT + ":role/other");
        when(users.getUserByUsername(realm, "name-user-1")).thenReturn(changed);
        UserModel second = user("user-2", DEPLOYER.canonicalArn());
        searchFinds(second);

        assertThat(mapper.userFor(DEPLOYER, PROVISIONING)).isSameAs(second);
        verify(users, times(2)).searchForUserByUserAttributeStream(realm, AwsUserMapper.ATTR_ARN, DEPLOYER.canonicalArn());
    }

    @Test
    void aRememberedUserThatWasDeletedIsSearchedForAgain() {
        searchFinds(user("user-1", DEPLOYER.canonicalArn()));
        mapper.userFor(DEPLOYER, PROVISIONING);
        when(users.getUserByUsername(realm, "name-user-1")).thenReturn(null);
        UserModel created = user("user-2", DEPLOYER.canonicalArn());
        when(users.searchForUserByUserAttributeStream(realm, AwsUserMapper.ATTR_ARN, DEPLOYER.canonicalArn()))
                .thenAnswer(call -> Stream.empty());
        when(users.addUser(realm, "aws-role-deployer-" + ACCOUNT)).thenReturn(created);

        assertThat(mapper.userFor(DEPLOYER, PROVISIONING)).isSameAs(created);
    }

    @Test
    void aPrincipalThatSeveralUsersCarryIsRefused() {
        searchFinds(user("user-1", DEPLOYER.canonicalArn()), user("user-2", DEPLOYER.canonicalArn()));

        assertThatThrownBy(() -> mapper.userFor(DEPLOYER, PROVISIONING))
                .isInstanceOfSatisfying(AwsIdentityRejection.class, r -> assertThat(r.reason()).isEqualTo("user_ambiguous"));
    }

    @Test
    void linksAreRememberedPerRealm() {
        UserModel linked = user("user-1", DEPLOYER.canonicalArn());
        searchFinds(linked);
        when(users.getUserByUsername(realm, "name-user-1")).thenReturn(linked);
        mapper.userFor(DEPLOYER, PROVISIONING);

        RealmModel otherRealm = mock(RealmModel.class);
        when(otherRealm.getId()).thenReturn("realm-2");
        UserModel otherUser = user("user-9", DEPLOYER.canonicalArn());
        when(users.searchForUserByUserAttributeStream(otherRealm, AwsUserMapper.ATTR_ARN, DEPLOYER.canonicalArn()))
                .thenAnswer(call -> Stream.of(otherUser));

        assertThat(new AwsUserMapper(session, otherRealm, links).userFor(DEPLOYER, PROVISIONING)).isSameAs(otherUser);
    }

    private void searchFinds(UserModel... found) {
        when(users.searchForUserByUserAttributeStream(realm, AwsUserMapper.ATTR_ARN, DEPLOYER.canonicalArn()))
                .thenAnswer(call -> Stream.of(found));
    }

    private static UserModel user(String id, String arn) {
        UserModel user = mock(UserModel.class);
        when(user.getId()).thenReturn(id);
        when(user.getUsername()).thenReturn("name-" + id);
        when(user.isEnabled()).thenReturn(true);
        when(user.getAttributeStream(AwsUserMapper.ATTR_ARN)).thenAnswer(call -> Stream.of(arn));
        return user;
    }
}
