package io.github.kcawspack.awsidentity.principal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyList;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.github.kcawspack.awsidentity.AwsIdentityRejection;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.keycloak.models.GroupModel;
import org.keycloak.models.RealmModel;
import org.keycloak.models.RoleModel;
import org.keycloak.models.UserModel;

/**
 * The reconciliation rule of README ("Setting it up in a realm"): a login gets the admitting
 * binding's groups and roles; what an earlier binding gave and this one does not is taken away;
 * what an administrator gave by hand is never taken away.
 */
class BindingMembershipsTest {

    private final RealmModel realm = mock(RealmModel.class);
    private final AtomicInteger guardCalls = new AtomicInteger();
    private final BindingMemberships memberships = new BindingMemberships(realm,
            path -> "/staff".equals(path) ? staff() : null, user -> guardCalls.incrementAndGet());

    private final RoleModel writer = role("role-writer", "writer");
    private final RoleModel reader = role("role-reader", "reader");
    private final GroupModel staff = group("group-staff", "staff");
    private final FakeUser user = new FakeUser();

    BindingMembershipsTest() {
        when(realm.getName()).thenReturn("demo");
        when(realm.getGroupById("group-staff")).thenReturn(staff);
    }

    @Test
    void aBindingsGroupsAndRolesAreGivenAndRecorded() {
        memberships.reconcile(user.model, binding(List.of("/staff"), List.of("writer")));

        assertThat(user.groups).containsExactly("group-staff");
        assertThat(user.roles).containsExactly("role-writer");
        assertThat(user.attributes.get(BindingMemberships.GRANTED_GROUPS)).containsExactly("group-staff");
        assertThat(user.attributes.get(BindingMemberships.GRANTED_ROLES)).containsExactly("role-writer");
    }

    @Test
    void whatAnEarlierBindingGaveAndTheAdmittingOneDoesNotIsTakenAway() {
        memberships.reconcile(user.model, binding(List.of("/staff"), List.of("writer")));

        memberships.reconcile(user.model, binding(List.of(), List.of("reader")));

        assertThat(user.groups).isEmpty();
        assertThat(user.roles).containsExactly("role-reader");
        assertThat(user.attributes).doesNotContainKey(BindingMemberships.GRANTED_GROUPS);
        assertThat(user.attributes.get(BindingMemberships.GRANTED_ROLES)).containsExactly("role-reader");
    }

    @Test
    void whatAnAdministratorGaveByHandStaysEvenWhenABindingGaveItToo() {
        user.groups.add("group-staff");
        user.roles.add("role-writer");

        memberships.reconcile(user.model, binding(List.of("/staff"), List.of("writer")));
        memberships.reconcile(user.model, binding(List.of(), List.of()));

        assertThat(user.groups).containsExactly("group-staff");
        assertThat(user.roles).containsExactly("role-writer");
        assertThat(user.attributes).isEmpty();
    }

    @Test
    void aMembershipTheBindingStillGivesIsGivenBackIfItWasRemovedMeanwhile() {
        memberships.reconcile(user.model, binding(List.of(), List.of("writer")));
        user.roles.clear();

        memberships.reconcile(user.model, binding(List.of(), List.of("writer")));

        assertThat(user.roles).containsExactly("role-writer");
        assertThat(user.attributes.get(BindingMemberships.GRANTED_ROLES)).containsExactly("role-writer");
    }

    @Test
    void aReturningLoginWithNothingToChangeWritesNothing() {
        memberships.reconcile(user.model, binding(List.of("/staff"), List.of("writer")));
        int writes = user.attributeWrites;

        memberships.reconcile(user.model, binding(List.of("/staff"), List.of("writer")));

        assertThat(user.attributeWrites).isEqualTo(writes);
    }

    @Test
    void withNothingToGiveAndNothingGivenTheRecordIsNotInvolved() {
        memberships.reconcile(user.model, binding(List.of(), List.of()));

        assertThat(guardCalls).hasValue(0);
        assertThat(user.attributeWrites).isZero();
    }

    @Test
    void theRecordIsGuardedBeforeItIsReadForRemovals() {
        user.attributes.put(BindingMemberships.GRANTED_ROLES, new ArrayList<>(List.of("role-writer")));
        user.roles.add("role-writer");
        BindingMemberships guarded = new BindingMemberships(realm, path -> staff, u -> {
            throw AwsIdentityRejection.misconfigured("record_user_writable");
        });

        assertThatThrownBy(() -> guarded.reconcile(user.model, binding(List.of(), List.of())))
                .isInstanceOfSatisfying(AwsIdentityRejection.class, r -> assertThat(r.reason()).isEqualTo("record_user_writable"));
        assertThat(user.roles).containsExactly("role-writer");
    }

    @Test
    void aMissingRoleFailsClosedBeforeAnythingChanges() {
        assertThatThrownBy(() -> memberships.reconcile(user.model, binding(List.of("/staff"), List.of("no-such-role"))))
                .isInstanceOfSatisfying(AwsIdentityRejection.class, r -> assertThat(r.reason()).isEqualTo("binding_role_missing"));
        assertThat(user.groups).isEmpty();
        verify(user.model, never()).setAttribute(anyString(), anyList());
    }

    @Test
    void aRecordedRoleThatNoLongerExistsIsDropped() {
        user.attributes.put(BindingMemberships.GRANTED_ROLES, new ArrayList<>(List.of("role-deleted")));

        memberships.reconcile(user.model, binding(List.of(), List.of()));

        assertThat(user.attributes).doesNotContainKey(BindingMemberships.GRANTED_ROLES);
    }

    private GroupModel staff() {
        return staff;
    }

    private static PrincipalBinding binding(List<String> groups, List<String> roles) {
        return new PrincipalBinding("aws", "123456789012", PrincipalType.ROLE, "*", Optional.empty(), true, groups, roles);
    }

    private RoleModel role(String id, String name) {
        RoleModel role = mock(RoleModel.class);
        when(role.getId()).thenReturn(id);
        when(role.getName()).thenReturn(name);
        when(realm.getRole(name)).thenReturn(role);
        when(realm.getRoleById(id)).thenReturn(role);
        return role;
    }

    private static GroupModel group(String id, String name) {
        GroupModel group = mock(GroupModel.class);
        when(group.getId()).thenReturn(id);
        when(group.getName()).thenReturn(name);
        when(group.getSubGroupsStream()).thenAnswer(call -> Stream.empty());
        return group;
    }

    /** A user whose memberships and attributes behave like Keycloak's, kept in plain collections. */
    private final class FakeUser {
        final Set<String> groups = new HashSet<>();
        final Set<String> roles = new HashSet<>();
        final Map<String, List<String>> attributes = new HashMap<>();
        int attributeWrites;
        final UserModel model = mock(UserModel.class);

        FakeUser() {
            when(model.getUsername()).thenReturn("aws-role-deployer-123456789012");
            when(model.getGroupsStream()).thenAnswer(call -> groups.stream().map(realm::getGroupById));
            org.mockito.Mockito.doAnswer(call -> groups.add(((GroupModel) call.getArgument(0)).getId())).when(model).joinGroup(any());
            org.mockito.Mockito.doAnswer(call -> groups.remove(((GroupModel) call.getArgument(0)).getId())).when(model).leaveGroup(any());
            when(model.hasDirectRole(any())).thenAnswer(call -> roles.contains(((RoleModel) call.getArgument(0)).getId()));
            org.mockito.Mockito.doAnswer(call -> roles.add(((RoleModel) call.getArgument(0)).getId())).when(model).grantRole(any());
            org.mockito.Mockito.doAnswer(call -> roles.remove(((RoleModel) call.getArgument(0)).getId())).when(model).deleteRoleMapping(any());
            when(model.getAttributeStream(anyString())).thenAnswer(call ->
                    attributes.getOrDefault((String) call.getArgument(0), List.of()).stream());
            org.mockito.Mockito.doAnswer(call -> {
                attributeWrites++;
                return attributes.put(call.getArgument(0), new ArrayList<>((List<String>) call.getArgument(1)));
            }).when(model).setAttribute(anyString(), anyList());
            org.mockito.Mockito.doAnswer(call -> {
                attributeWrites++;
                return attributes.remove((String) call.getArgument(0));
            }).when(model).removeAttribute(anyString());
        }
    }
}
