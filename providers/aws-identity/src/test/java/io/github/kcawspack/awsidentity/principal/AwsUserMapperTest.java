package io.github.kcawspack.awsidentity.principal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.github.kcawspack.awsidentity.AwsIdentityRejection;
import io.github.kcawspack.awsidentity.sts.CallerIdentity;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.keycloak.models.FederatedIdentityModel;
import org.keycloak.models.IdentityProviderModel;
import org.keycloak.models.IdentityProviderStorageProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.ModelDuplicateException;
import org.keycloak.models.ModelException;
import org.keycloak.models.RealmModel;
import org.keycloak.models.SubjectCredentialManager;
import org.keycloak.models.UserModel;
import org.keycloak.models.UserProvider;
import org.keycloak.models.credential.PasswordCredentialModel;

class AwsUserMapperTest {

    private static final String ACCOUNT = "123456789012";
    private static final String UNIQUE_ID = "AROA3XFRBF535PLBIFPI4";
    private static final AwsPrincipal DEPLOYER = AwsPrincipal.from(new CallerIdentity(
            "arn:aws:sts::" + ACCOUNT + ":assumed-role/deployer/run-1", UNIQUE_ID + ":run-1", ACCOUNT));
    private static final PrincipalBinding PROVISIONING = new PrincipalBinding("aws", ACCOUNT, PrincipalType.ROLE, "*",
            Optional.empty(), true, List.of(), List.of());

    private final KeycloakSession session = mock(KeycloakSession.class);
    private final UserProvider users = mock(UserProvider.class);
    private final IdentityProviderStorageProvider identityProviders = mock(IdentityProviderStorageProvider.class);
    private final RealmModel realm = mock(RealmModel.class);
    private final LinkedUsers links = new LinkedUsers();
    private final AwsUserMapper mapper = new AwsUserMapper(session, realm, links);

    AwsUserMapperTest() {
        when(realm.getId()).thenReturn("realm-1");
        when(realm.getName()).thenReturn("demo");
        when(session.users()).thenReturn(users);
        when(session.identityProviders()).thenReturn(identityProviders);
        linkProvider(AwsLinkIdentityProviderFactory.PROVIDER_ID);
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
                    assertThat(rejection.description()).contains("sign a new request and try again");
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
                    assertThat(rejection.description()).contains("sign a new request and try again").doesNotContain("Database");
                });
    }

    @Test
    void theUserAConcurrentFirstLoginCreatedAfterTheSearchIsATryAgainNotATakenName() {
        // Found by CI: the search ran before the other request committed, the name check after.
        UserModel createdMeanwhile = user("user-1", DEPLOYER.canonicalArn(), UNIQUE_ID);
        when(users.getUserByUsername(realm, "aws-role-deployer-" + ACCOUNT)).thenReturn(createdMeanwhile);

        assertFirstLoginIsToldToTryAgain();
    }

    @Test
    void anUnlinkedUserCreatedMomentsAgoUnderThePrincipalsNameIsATryAgain() {
        // Found by a clean-clone run: the other request's new user visible here, its link not yet.
        UserModel createdMeanwhile = user("user-1", null, null);
        when(createdMeanwhile.getCreatedTimestamp()).thenReturn(System.currentTimeMillis() - 1_000);
        when(users.getUserByUsername(realm, "aws-role-deployer-" + ACCOUNT)).thenReturn(createdMeanwhile);

        assertFirstLoginIsToldToTryAgain();
    }

    @Test
    void anUnlinkedUserHoldingTheNameForLongerIsATakenName() {
        UserModel older = user("user-1", null, null);
        when(older.getCreatedTimestamp()).thenReturn(System.currentTimeMillis() - AwsUserMapper.CONCURRENT_CREATION_WINDOW_MILLIS - 1_000);
        when(users.getUserByUsername(realm, "aws-role-deployer-" + ACCOUNT)).thenReturn(older);

        assertThatThrownBy(() -> mapper.userFor(DEPLOYER, PROVISIONING))
                .isInstanceOfSatisfying(AwsIdentityRejection.class, r -> assertThat(r.reason()).isEqualTo("username_taken"));
    }

    @Test
    void aNewUserLinkedToAnotherPrincipalIsATakenNameAtOnce() {
        UserModel someoneElse = user("user-1", "arn:aws:iam::" + ACCOUNT + ":role/other", UNIQUE_ID);
        when(someoneElse.getCreatedTimestamp()).thenReturn(System.currentTimeMillis() - 1_000);
        when(users.getUserByUsername(realm, "aws-role-deployer-" + ACCOUNT)).thenReturn(someoneElse);

        assertThatThrownBy(() -> mapper.userFor(DEPLOYER, PROVISIONING))
                .isInstanceOfSatisfying(AwsIdentityRejection.class, r -> assertThat(r.reason()).isEqualTo("username_taken"));
    }

    @Test
    void aNameHeldByAUserOfAnotherPrincipalIsRefused() {
        UserModel someoneElse = user("user-1", "arn:aws:iam::" + ACCOUNT + ":role/other", UNIQUE_ID);
        when(users.getUserByUsername(realm, "aws-role-deployer-" + ACCOUNT)).thenReturn(someoneElse);

        assertThatThrownBy(() -> mapper.userFor(DEPLOYER, PROVISIONING))
                .isInstanceOfSatisfying(AwsIdentityRejection.class, rejection -> {
                    assertThat(rejection.error().httpStatus()).isEqualTo(400);
                    assertThat(rejection.reason()).isEqualTo("username_taken");
                });
        verify(users, never()).addUser(any(), anyString());
    }

    @Test
    void aNameHeldByAnUnlinkedUserIsRefusedWhateverItsAttributesSay() {
        // Issue 14, case 1: an attribute a user can write is no link.
        UserModel bob = user("user-1", null, null);
        when(bob.getAttributeStream("aws_arn")).thenAnswer(call -> Stream.of(DEPLOYER.canonicalArn()));
        when(users.getUserByUsername(realm, "aws-role-deployer-" + ACCOUNT)).thenReturn(bob);

        assertThatThrownBy(() -> mapper.userFor(DEPLOYER, PROVISIONING))
                .isInstanceOfSatisfying(AwsIdentityRejection.class, r -> assertThat(r.reason()).isEqualTo("username_taken"));
    }

    @Test
    void aFirstLoginCreatesTheUserAndLinksItWithTheUniqueId() {
        UserModel created = user("user-1", null, null);
        when(users.addUser(realm, "aws-role-deployer-" + ACCOUNT)).thenReturn(created);

        assertThat(mapper.userFor(DEPLOYER, PROVISIONING)).isSameAs(created);
        verify(users).addFederatedIdentity(eq(realm), eq(created), argThat(link -> AwsLinks.ALIAS.equals(link.getIdentityProvider())
                && DEPLOYER.canonicalArn().equals(link.getUserId()) && UNIQUE_ID.equals(link.getUserName())));
        verify(created, never()).setSingleAttribute(anyString(), anyString());
    }

    @Test
    void aLinkedUserIsFoundNotCreated() {
        UserModel linked = user("user-1", DEPLOYER.canonicalArn(), UNIQUE_ID);
        lookupFinds(linked);

        assertThat(mapper.userFor(DEPLOYER, PROVISIONING)).isSameAs(linked);
        verify(users, never()).addUser(any(), anyString());
    }

    @Test
    void loginsGivingTheSameMembershipAtOnceAreToldToTryAgain() {
        // Found by an attacker helper: the losers got Keycloak's 409 "conflict", which RFC 6749 has not.
        assertMembershipFailureIsATryAgain(new ModelDuplicateException("duplicate role mapping"), "memberships_changed_concurrently");
    }

    @Test
    void aDatabaseFailureWhileGivingMembershipsIsATryAgainWithoutItsMessage() {
        assertMembershipFailureIsATryAgain(new ModelException("Database operation failed"), "user_update_failed");
    }

    @Test
    void aRecreatedPrincipalIsRefusedAndItsLinkKept() {
        // Issue 14, case 2: same ARN, another unique id.
        UserModel linked = user("user-1", DEPLOYER.canonicalArn(), "AROAOLDROLEBEFOREDELETION");
        lookupFinds(linked);

        assertThatThrownBy(() -> mapper.userFor(DEPLOYER, PROVISIONING))
                .isInstanceOfSatisfying(AwsIdentityRejection.class, rejection -> {
                    assertThat(rejection.error()).isEqualTo(AwsIdentityRejection.OAuthError.INVALID_GRANT);
                    assertThat(rejection.reason()).isEqualTo("principal_recreated");
                    assertThat(rejection.description()).doesNotContain("AROA");
                });
        verify(users, never()).updateFederatedIdentity(any(), any(), any());
        verify(linked, never()).grantRole(any());
    }

    @Test
    void aLinkLeftPendingByAnAdministratorRecordsTheUniqueIdOfTheNextLogin() {
        UserModel linked = user("user-1", DEPLOYER.canonicalArn(), AwsLinks.UNIQUE_ID_PENDING);
        lookupFinds(linked);

        assertThat(mapper.userFor(DEPLOYER, PROVISIONING)).isSameAs(linked);
        verify(users).updateFederatedIdentity(eq(realm), eq(linked), argThat(link ->
                DEPLOYER.canonicalArn().equals(link.getUserId()) && UNIQUE_ID.equals(link.getUserName())));
    }

    @Test
    void aLinkWhoseUsernameIsNoUniqueIdFailsClosed() {
        lookupFinds(user("user-1", DEPLOYER.canonicalArn(), "deployer"));

        assertThatThrownBy(() -> mapper.userFor(DEPLOYER, PROVISIONING))
                .isInstanceOfSatisfying(AwsIdentityRejection.class, r -> assertThat(r.reason()).isEqualTo("link_invalid"));
    }

    @Test
    void aLinkedUserWithAPasswordCouldUnlinkItselfAndIsRefused() {
        UserModel linked = user("user-1", DEPLOYER.canonicalArn(), UNIQUE_ID);
        when(linked.credentialManager().isConfiguredFor(PasswordCredentialModel.TYPE)).thenReturn(true);
        lookupFinds(linked);

        assertThatThrownBy(() -> mapper.userFor(DEPLOYER, PROVISIONING))
                .isInstanceOfSatisfying(AwsIdentityRejection.class, rejection -> {
                    assertThat(rejection.error()).isEqualTo(AwsIdentityRejection.OAuthError.INVALID_GRANT);
                    assertThat(rejection.reason()).isEqualTo("link_removable_by_user");
                });
    }

    @Test
    void aLinkedUserWithAnotherIdentityProviderLinkIsRefused() {
        UserModel linked = user("user-1", DEPLOYER.canonicalArn(), UNIQUE_ID);
        when(users.getFederatedIdentitiesStream(realm, linked)).thenAnswer(call -> Stream.of(
                new FederatedIdentityModel(AwsLinks.ALIAS, DEPLOYER.canonicalArn(), UNIQUE_ID),
                new FederatedIdentityModel("google", "1234", "someone@example.com")));
        lookupFinds(linked);

        assertThatThrownBy(() -> mapper.userFor(DEPLOYER, PROVISIONING))
                .isInstanceOfSatisfying(AwsIdentityRejection.class, r -> assertThat(r.reason()).isEqualTo("link_removable_by_user"));
    }

    @Test
    void aFederatedUserIsRefused() {
        UserModel linked = user("user-1", DEPLOYER.canonicalArn(), UNIQUE_ID);
        when(linked.isFederated()).thenReturn(true);
        lookupFinds(linked);

        assertThatThrownBy(() -> mapper.userFor(DEPLOYER, PROVISIONING))
                .isInstanceOfSatisfying(AwsIdentityRejection.class, r -> assertThat(r.reason()).isEqualTo("link_removable_by_user"));
    }

    @Test
    void withoutTheLinkProviderNothingIsLookedUp() {
        when(identityProviders.getByAlias(AwsLinks.ALIAS)).thenReturn(null);

        assertThatThrownBy(() -> mapper.userFor(DEPLOYER, PROVISIONING))
                .isInstanceOfSatisfying(AwsIdentityRejection.class, rejection -> {
                    assertThat(rejection.error()).isEqualTo(AwsIdentityRejection.OAuthError.SERVER_ERROR);
                    assertThat(rejection.reason()).isEqualTo("link_provider_missing");
                });
        verify(users, never()).getUserByFederatedIdentity(any(), any());
    }

    @Test
    void aLinkProviderOfAnotherTypeFailsClosedSinceItsLoginsCouldWriteLinks() {
        linkProvider("oidc");

        assertThatThrownBy(() -> mapper.userFor(DEPLOYER, PROVISIONING))
                .isInstanceOfSatisfying(AwsIdentityRejection.class, r -> assertThat(r.reason()).isEqualTo("link_provider_foreign"));
        verify(users, never()).getUserByFederatedIdentity(any(), any());
    }

    @Test
    void aReturningPrincipalIsFoundThroughItsRememberedUserWithoutALookup() {
        UserModel linked = user("user-1", DEPLOYER.canonicalArn(), UNIQUE_ID);
        lookupFinds(linked);
        when(users.getUserByUsername(realm, "name-user-1")).thenReturn(linked);

        mapper.userFor(DEPLOYER, PROVISIONING);
        assertThat(mapper.userFor(DEPLOYER, PROVISIONING)).isSameAs(linked);

        verify(users, times(1)).getUserByFederatedIdentity(eq(realm), any());
    }

    @Test
    void aRememberedUserWhoseLinkNoLongerNamesThePrincipalIsNotUsed() {
        UserModel first = user("user-1", DEPLOYER.canonicalArn(), UNIQUE_ID);
        lookupFinds(first);
        mapper.userFor(DEPLOYER, PROVISIONING);
        // Since then an administrator re-linked user-1 to another principal and linked user-2 to this one.
        UserModel changed = user("user-1", "arn:aws:iam::" + ACCOUNT + ":role/other", UNIQUE_ID);
        when(users.getUserByUsername(realm, "name-user-1")).thenReturn(changed);
        UserModel second = user("user-2", DEPLOYER.canonicalArn(), UNIQUE_ID);
        lookupFinds(second);

        assertThat(mapper.userFor(DEPLOYER, PROVISIONING)).isSameAs(second);
        verify(users, times(2)).getUserByFederatedIdentity(eq(realm), any());
    }

    @Test
    void aRememberedUserThatWasDeletedIsLookedUpAgain() {
        lookupFinds(user("user-1", DEPLOYER.canonicalArn(), UNIQUE_ID));
        mapper.userFor(DEPLOYER, PROVISIONING);
        when(users.getUserByUsername(realm, "name-user-1")).thenReturn(null);
        lookupFinds(null);
        UserModel created = user("user-2", null, null);
        when(users.addUser(realm, "aws-role-deployer-" + ACCOUNT)).thenReturn(created);

        assertThat(mapper.userFor(DEPLOYER, PROVISIONING)).isSameAs(created);
    }

    @Test
    void aPrincipalLinkedToSeveralUsersIsRefused() {
        // Keycloak's JPA store throws IllegalStateException when the lookup finds more than one user.
        when(users.getUserByFederatedIdentity(eq(realm), any())).thenThrow(new IllegalStateException("More results found"));

        assertThatThrownBy(() -> mapper.userFor(DEPLOYER, PROVISIONING))
                .isInstanceOfSatisfying(AwsIdentityRejection.class, r -> assertThat(r.reason()).isEqualTo("user_ambiguous"));
    }

    @Test
    void linksAreRememberedPerRealm() {
        UserModel linked = user("user-1", DEPLOYER.canonicalArn(), UNIQUE_ID);
        lookupFinds(linked);
        when(users.getUserByUsername(realm, "name-user-1")).thenReturn(linked);
        mapper.userFor(DEPLOYER, PROVISIONING);

        RealmModel otherRealm = mock(RealmModel.class);
        when(otherRealm.getId()).thenReturn("realm-2");
        UserModel otherUser = user("user-9", null, null);
        FederatedIdentityModel otherLink = new FederatedIdentityModel(AwsLinks.ALIAS, DEPLOYER.canonicalArn(), UNIQUE_ID);
        when(users.getFederatedIdentity(otherRealm, otherUser, AwsLinks.ALIAS)).thenReturn(otherLink);
        when(users.getFederatedIdentitiesStream(otherRealm, otherUser)).thenAnswer(call -> Stream.of(otherLink));
        when(users.getUserByFederatedIdentity(eq(otherRealm), any())).thenReturn(otherUser);

        assertThat(new AwsUserMapper(session, otherRealm, links).userFor(DEPLOYER, PROVISIONING)).isSameAs(otherUser);
    }

    private void linkProvider(String providerId) {
        IdentityProviderModel model = new IdentityProviderModel();
        model.setAlias(AwsLinks.ALIAS);
        model.setProviderId(providerId);
        when(identityProviders.getByAlias(AwsLinks.ALIAS)).thenReturn(model);
    }

    private void lookupFinds(UserModel found) {
        when(users.getUserByFederatedIdentity(eq(realm), argThat(link -> link != null
                && AwsLinks.ALIAS.equals(link.getIdentityProvider()) && DEPLOYER.canonicalArn().equals(link.getUserId()))))
                .thenReturn(found);
    }

    /** A user of {@link #realm}, linked to {@code arn} with {@code uniqueId} unless {@code arn} is null. */
    private UserModel user(String id, String arn, String uniqueId) {
        UserModel user = mock(UserModel.class);
        when(user.getId()).thenReturn(id);
        when(user.getUsername()).thenReturn("name-" + id);
        when(user.isEnabled()).thenReturn(true);
        SubjectCredentialManager credentials = mock(SubjectCredentialManager.class);
        when(user.credentialManager()).thenReturn(credentials);
        FederatedIdentityModel link = arn == null ? null : new FederatedIdentityModel(AwsLinks.ALIAS, arn, uniqueId);
        when(users.getFederatedIdentity(realm, user, AwsLinks.ALIAS)).thenReturn(link);
        when(users.getFederatedIdentitiesStream(realm, user)).thenAnswer(call -> link == null ? Stream.empty() : Stream.of(link));
        return user;
    }

    private void assertFirstLoginIsToldToTryAgain() {
        assertThatThrownBy(() -> mapper.userFor(DEPLOYER, PROVISIONING))
                .isInstanceOfSatisfying(AwsIdentityRejection.class, rejection -> {
                    assertThat(rejection.error()).isEqualTo(AwsIdentityRejection.OAuthError.TEMPORARILY_UNAVAILABLE);
                    assertThat(rejection.reason()).isEqualTo("user_created_concurrently");
                    assertThat(rejection.description()).contains("sign a new request and try again");
                });
        verify(users, never()).addUser(any(), anyString());
    }

    private void assertMembershipFailureIsATryAgain(ModelException failure, String reason) {
        UserModel linked = user("user-1", DEPLOYER.canonicalArn(), UNIQUE_ID);
        lookupFinds(linked);
        BindingMemberships memberships = mock(BindingMemberships.class);
        doThrow(failure).when(memberships).reconcile(linked, PROVISIONING);

        assertThatThrownBy(() -> new AwsUserMapper(session, realm, links, memberships).userFor(DEPLOYER, PROVISIONING))
                .isInstanceOfSatisfying(AwsIdentityRejection.class, rejection -> {
                    assertThat(rejection.error()).isEqualTo(AwsIdentityRejection.OAuthError.TEMPORARILY_UNAVAILABLE);
                    assertThat(rejection.reason()).isEqualTo(reason);
                    assertThat(rejection.description()).contains("sign a new request and try again")
                            .doesNotContain("Database", "duplicate");
                });
    }
}
