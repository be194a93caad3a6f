package io.github.kcawspack.awsidentity.principal;

import io.github.kcawspack.awsidentity.AwsIdentityRejection;
import java.util.List;
import org.jboss.logging.Logger;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.userprofile.Attributes;
import org.keycloak.userprofile.UserProfileContext;
import org.keycloak.userprofile.UserProfileProvider;

/**
 * Checks, through the realm's own user profile, that users cannot write attributes the pack keeps
 * for itself. Keycloak's answer ({@link Attributes#isReadOnly}) already combines every source of
 * the rule: the attribute's declaration and edit permissions, the realm's unmanaged-attribute
 * policy and the server's read-only attribute patterns.
 */
final class PackOnlyAttributes {

    /** Every context in which a user edits its own attributes: account console and REST API, required action, first broker login review. */
    private static final List<UserProfileContext> USER_CONTEXTS =
            List.of(UserProfileContext.ACCOUNT, UserProfileContext.UPDATE_PROFILE, UserProfileContext.IDP_REVIEW);

    private static final Logger LOG = Logger.getLogger(PackOnlyAttributes.class);

    private PackOnlyAttributes() {
    }

    /**
     * @throws AwsIdentityRejection {@code server_error}, reason {@code record_user_writable}, when
     *         {@code user} could write any of {@code names} in some user context
     */
    static void require(KeycloakSession session, RealmModel realm, UserModel user, List<String> names) {
        UserProfileProvider profiles = session.getProvider(UserProfileProvider.class);
        for (UserProfileContext context : USER_CONTEXTS) {
            Attributes attributes = profiles.create(context, user).getAttributes();
            for (String name : names) {
                if (!attributes.isReadOnly(name)) {
                    LOG.errorf("aws_identity in realm %s: users can edit the attribute %s (user profile context %s), in which "
                            + "the pack records the groups and roles it granted; declare it in Realm settings -> User profile "
                            + "with no edit permission for users (or set the unmanaged-attribute policy to anything but Enabled)",
                            realm.getName(), name, context);
                    throw AwsIdentityRejection.misconfigured("record_user_writable");
                }
            }
        }
    }
}
