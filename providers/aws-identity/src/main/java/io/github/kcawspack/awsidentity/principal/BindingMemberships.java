package io.github.kcawspack.awsidentity.principal;

import io.github.kcawspack.awsidentity.AwsIdentityRejection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;
import org.keycloak.models.GroupModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.RoleModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.utils.KeycloakModelUtils;

/**
 * Keeps a linked user's groups and realm roles in step with the binding that admitted its latest
 * login, without touching memberships an administrator gave by hand.
 *
 * <p>The rule (README, "Setting it up in a realm"): the pack records the ids of the groups and
 * realm roles it gave the user ({@value #GRANTED_GROUPS}, {@value #GRANTED_ROLES}). At each login
 * the user gets the admitting binding's groups and roles; one the user did not have yet is given
 * and recorded; one it already had (given by an administrator, a default group or role) is left
 * alone and not recorded. Every recorded group or role that the admitting binding does not give is
 * taken away and dropped from the record. So a principal admitted by binding X and later by
 * binding Y keeps nothing X gave that Y does not, and keeps everything an administrator gave.
 *
 * <p>The record is only as good as its protection: before it is read or written, {@code
 * recordGuard} must confirm that users cannot edit it ({@link PackOnlyAttributes}); a user who
 * could delete entries would keep what an earlier binding gave.
 */
final class BindingMemberships {

    static final String GRANTED_GROUPS = "aws_granted_groups";
    static final String GRANTED_ROLES = "aws_granted_roles";
    static final List<String> RECORD_ATTRIBUTES = List.of(GRANTED_GROUPS, GRANTED_ROLES);

    private static final Logger LOG = Logger.getLogger(BindingMemberships.class);

    private final RealmModel realm;
    private final Function<String, GroupModel> groupByPath;
    private final Consumer<UserModel> recordGuard;

    /** The memberships of {@code realm}'s users, their record guarded through the realm's user profile. */
    BindingMemberships(KeycloakSession session, RealmModel realm) {
        this(realm, path -> KeycloakModelUtils.findGroupByPath(session, realm, path),
                user -> PackOnlyAttributes.require(session, realm, user, RECORD_ATTRIBUTES));
    }

    /**
     * @param groupByPath the realm's group at a path such as {@code /aws/deployers}, or {@code null}
     * @param recordGuard throws an {@link AwsIdentityRejection} when users could edit the record
     */
    BindingMemberships(RealmModel realm, Function<String, GroupModel> groupByPath, Consumer<UserModel> recordGuard) {
        this.realm = realm;
        this.groupByPath = groupByPath;
        this.recordGuard = recordGuard;
    }

    /**
     * Gives {@code user} the groups and roles of {@code binding} and takes away those an earlier
     * binding gave that this one does not.
     *
     * @throws AwsIdentityRejection {@code server_error} when the binding names a group or role the
     *         realm does not have, or when users could edit the record
     */
    void reconcile(UserModel user, PrincipalBinding binding) {
        Map<String, GroupModel> groups = groupsOf(binding);
        Map<String, RoleModel> roles = rolesOf(binding);
        Set<String> grantedGroups = recorded(user, GRANTED_GROUPS);
        Set<String> grantedRoles = recorded(user, GRANTED_ROLES);
        if (groups.isEmpty() && roles.isEmpty() && grantedGroups.isEmpty() && grantedRoles.isEmpty()) {
            // Nothing to give, nothing given earlier: the record is not involved.
            return;
        }
        recordGuard.accept(user);

        Set<String> directGroups = user.getGroupsStream().map(GroupModel::getId).collect(Collectors.toSet());
        Set<String> keptGroups = new LinkedHashSet<>();
        for (GroupModel group : groups.values()) {
            if (grantedGroups.contains(group.getId())) {
                keptGroups.add(group.getId());
                if (!directGroups.contains(group.getId())) {
                    user.joinGroup(group);
                }
            } else if (!directGroups.contains(group.getId())) {
                user.joinGroup(group);
                keptGroups.add(group.getId());
            }
        }
        for (String id : grantedGroups) {
            if (!groups.containsKey(id)) {
                GroupModel group = realm.getGroupById(id);
                if (group != null && directGroups.contains(id)) {
                    user.leaveGroup(group);
                    LOG.debugf("aws_identity: user %s left group %s, which the admitting binding does not give",
                            user.getUsername(), group.getName());
                }
            }
        }

        Set<String> keptRoles = new LinkedHashSet<>();
        for (RoleModel role : roles.values()) {
            if (grantedRoles.contains(role.getId())) {
                keptRoles.add(role.getId());
                if (!user.hasDirectRole(role)) {
                    user.grantRole(role);
                }
            } else if (!user.hasDirectRole(role)) {
                user.grantRole(role);
                keptRoles.add(role.getId());
            }
        }
        for (String id : grantedRoles) {
            if (!roles.containsKey(id)) {
                RoleModel role = realm.getRoleById(id);
                if (role != null && user.hasDirectRole(role)) {
                    user.deleteRoleMapping(role);
                    LOG.debugf("aws_identity: user %s lost realm role %s, which the admitting binding does not give",
                            user.getUsername(), role.getName());
                }
            }
        }

        // Written only when changed: a returning principal costs no write.
        record(user, GRANTED_GROUPS, grantedGroups, keptGroups);
        record(user, GRANTED_ROLES, grantedRoles, keptRoles);
    }

    private Map<String, GroupModel> groupsOf(PrincipalBinding binding) {
        Map<String, GroupModel> groups = new LinkedHashMap<>();
        for (String path : binding.groups()) {
            GroupModel group = groupByPath.apply(path);
            if (group == null) {
                LOG.errorf("aws-identity binding names group %s, which does not exist in realm %s", path, realm.getName());
                throw AwsIdentityRejection.misconfigured("binding_group_missing");
            }
            groups.put(group.getId(), group);
        }
        return groups;
    }

    private Map<String, RoleModel> rolesOf(PrincipalBinding binding) {
        Map<String, RoleModel> roles = new LinkedHashMap<>();
        for (String roleName : binding.roles()) {
            RoleModel role = realm.getRole(roleName);
            if (role == null) {
                LOG.errorf("aws-identity binding names realm role %s, which does not exist in realm %s", roleName, realm.getName());
                throw AwsIdentityRejection.misconfigured("binding_role_missing");
            }
            roles.put(role.getId(), role);
        }
        return roles;
    }

    private static Set<String> recorded(UserModel user, String attribute) {
        return user.getAttributeStream(attribute).filter(value -> value != null && !value.isBlank())
                .collect(Collectors.toCollection(LinkedHashSet::new));
    }

    private static void record(UserModel user, String attribute, Set<String> before, Set<String> after) {
        if (before.equals(after)) {
            return;
        }
        if (after.isEmpty()) {
            user.removeAttribute(attribute);
        } else {
            user.setAttribute(attribute, List.copyOf(after));
        }
    }
}
