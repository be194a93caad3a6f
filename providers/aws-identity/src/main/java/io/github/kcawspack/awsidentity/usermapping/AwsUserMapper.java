package io.github.kcawspack.awsidentity.usermapping;

import io.github.kcawspack.awsidentity.identity.AwsPrincipal;
import io.github.kcawspack.awsidentity.identity.PrincipalBinding;
import io.github.kcawspack.awsidentity.verification.AwsIdentityRejection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.jboss.logging.Logger;
import org.keycloak.models.GroupModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.ModelDuplicateException;
import org.keycloak.models.ModelException;
import org.keycloak.models.RealmModel;
import org.keycloak.models.RoleModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.utils.KeycloakModelUtils;

/**
 * Step "map to user": the Keycloak user of an AWS principal is the one whose {@code aws_arn}
 * attribute holds the principal's canonical ARN. Usernames are never used to link (a user
 * named like a role is not that role); a new user is created only when the binding allows it.
 *
 * <p>A returning principal is found through the link this node remembers ({@link LinkedUsers}),
 * checked against the user's {@code aws_arn}; the database search, which also refuses a principal
 * that several users carry, runs on each node's first login of a principal and whenever the
 * remembered user no longer carries its ARN.
 */
public final class AwsUserMapper {

    public static final String ATTR_ARN = "aws_arn";
    public static final String ATTR_ACCOUNT = "aws_account";
    public static final String ATTR_PRINCIPAL_TYPE = "aws_principal_type";
    public static final String ATTR_UNIQUE_ID = "aws_unique_id";

    private static final Logger LOG = Logger.getLogger(AwsUserMapper.class);

    private final KeycloakSession session;
    private final RealmModel realm;
    private final LinkedUsers links;

    public AwsUserMapper(KeycloakSession session, RealmModel realm, LinkedUsers links) {
        this.session = session;
        this.realm = realm;
        this.links = links;
    }

    /** The enabled user of this principal, with the binding's groups and roles; or a rejection. */
    public UserModel userFor(AwsPrincipal principal, PrincipalBinding binding) {
        UserModel user = rememberedUser(principal).or(() -> searchedUser(principal))
                .orElseGet(() -> provision(principal, binding));
        links.remember(realm.getId(), principal.canonicalArn(), user.getUsername());
        if (!user.isEnabled()) {
            // Refused before anything about the user changes.
            throw AwsIdentityRejection.invalidGrant("user_disabled", "the user for this AWS principal is disabled");
        }
        user.setSingleAttribute(ATTR_UNIQUE_ID, principal.uniqueId());
        grantBindingMemberships(user, binding);
        return user;
    }

    /** The user this node last linked the principal to, if it still carries the principal's ARN. */
    private Optional<UserModel> rememberedUser(AwsPrincipal principal) {
        return links.username(realm.getId(), principal.canonicalArn())
                .map(username -> session.users().getUserByUsername(realm, username))
                .filter(user -> carries(user, principal));
    }

    private Optional<UserModel> searchedUser(AwsPrincipal principal) {
        List<UserModel> linked = session.users()
                .searchForUserByUserAttributeStream(realm, ATTR_ARN, principal.canonicalArn())
                .limit(2)
                .toList();
        if (linked.size() > 1) {
            LOG.errorf("Several users carry %s=%s; refusing to choose one", ATTR_ARN, principal.canonicalArn());
            throw AwsIdentityRejection.invalidGrant("user_ambiguous", "more than one user is linked to this AWS principal");
        }
        return linked.stream().findFirst();
    }

    private UserModel provision(AwsPrincipal principal, PrincipalBinding binding) {
        if (!binding.provisionUsers()) {
            throw AwsIdentityRejection.invalidGrant("user_not_linked",
                    "no user is linked to this AWS principal and the binding does not create users");
        }
        String username = usernameFor(principal);
        UserModel holder = session.users().getUserByUsername(realm, username);
        if (holder != null && carries(holder, principal)) {
            // Not there when this request searched, there now: another first login of this
            // principal created it meanwhile. A retry finds it through the search, which also
            // checks that no other user carries the ARN.
            throw createdConcurrently();
        }
        if (holder != null) {
            // Someone else holds the name: linking to them would hand their account to this principal.
            throw AwsIdentityRejection.invalidGrant("username_taken",
                    "the user name for this AWS principal belongs to another user");
        }
        UserModel user;
        try {
            user = session.users().addUser(realm, username);
        } catch (ModelDuplicateException e) {
            // Two first logins of one principal at once (a fleet scaling out): the other request
            // inserted the user first, and this transaction cannot go on after its failed insert.
            // The principal is fine and a retry finds the user, so the answer is "try again".
            throw createdConcurrently();
        } catch (ModelException e) {
            // The same race where the database gives up waiting for the other insert (H2's lock
            // timeout) instead of reporting the duplicate; otherwise a database failure, for which
            // retrying is the right advice too.
            LOG.warnf("Could not create user %s for AWS principal %s: %s", username, principal.canonicalArn(), e.getMessage());
            throw AwsIdentityRejection.unavailable("user_creation_failed",
                    "the user for this AWS principal could not be created just now; try again");
        }
        user.setEnabled(true);
        user.setSingleAttribute(ATTR_ARN, principal.canonicalArn());
        user.setSingleAttribute(ATTR_ACCOUNT, principal.account());
        user.setSingleAttribute(ATTR_PRINCIPAL_TYPE, principal.type().name().toLowerCase(Locale.ROOT));
        LOG.infof("Created user %s for AWS principal %s", username, principal.canonicalArn());
        return user;
    }

    private static boolean carries(UserModel user, AwsPrincipal principal) {
        return user.getAttributeStream(ATTR_ARN).anyMatch(principal.canonicalArn()::equals);
    }

    private static AwsIdentityRejection createdConcurrently() {
        return AwsIdentityRejection.unavailable("user_created_concurrently",
                "the user for this AWS principal is being created by another request; try again");
    }

    /** e.g. {@code aws-role-deployer-123456789012}: readable, and only characters every username policy accepts. */
    static String usernameFor(AwsPrincipal principal) {
        String name = principal.name().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._-]", "-");
        return "aws-" + principal.type().name().toLowerCase(Locale.ROOT) + "-" + name + "-" + principal.account();
    }

    private void grantBindingMemberships(UserModel user, PrincipalBinding binding) {
        for (String path : binding.groups()) {
            GroupModel group = KeycloakModelUtils.findGroupByPath(session, realm, path);
            if (group == null) {
                LOG.errorf("aws-identity binding names group %s, which does not exist in realm %s", path, realm.getName());
                throw AwsIdentityRejection.misconfigured("binding_group_missing");
            }
            if (!user.isMemberOf(group)) {
                user.joinGroup(group);
            }
        }
        for (String roleName : binding.roles()) {
            RoleModel role = realm.getRole(roleName);
            if (role == null) {
                LOG.errorf("aws-identity binding names realm role %s, which does not exist in realm %s", roleName, realm.getName());
                throw AwsIdentityRejection.misconfigured("binding_role_missing");
            }
            if (!user.hasDirectRole(role)) {
                user.grantRole(role);
            }
        }
    }
}
