package io.github.kcawspack.awsidentity.principal;

import io.github.kcawspack.awsidentity.AwsIdentityRejection;
import java.util.Locale;
import java.util.Optional;
import org.jboss.logging.Logger;
import org.keycloak.models.FederatedIdentityModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.ModelDuplicateException;
import org.keycloak.models.ModelException;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

/**
 * Step "map to user": the Keycloak user of an AWS principal is the one linked to the principal's
 * canonical ARN ({@link AwsLinks}). Usernames and attributes are never used to link (a user named
 * like a role is not that role); a new user is created, and linked, only when the binding allows it.
 *
 * <p>In order, each step refusing before anything about the user changes: the link storage is
 * checked; the user is found through the link; it must be enabled and unable to remove its link
 * itself; the principal must still be the one linked (same unique id, else {@code
 * principal_recreated} until an administrator re-links); then the binding's groups and roles are
 * reconciled ({@link BindingMemberships}).
 *
 * <p>A returning principal is found through the user this node remembers ({@link LinkedUsers}),
 * used only while that user's link still names the principal; otherwise through Keycloak's lookup
 * by link, which refuses a principal linked to several users.
 */
public final class AwsUserMapper {

    private static final Logger LOG = Logger.getLogger(AwsUserMapper.class);

    /**
     * How long after its creation an unlinked user holding a principal's username may still be
     * another request's first login of that principal, in milliseconds: far longer than a login's
     * transaction, short enough that a name taken by someone else is reported as such within seconds.
     */
    static final long CONCURRENT_CREATION_WINDOW_MILLIS = 10_000;

    private final KeycloakSession session;
    private final RealmModel realm;
    private final LinkedUsers links;
    private final BindingMemberships memberships;

    public AwsUserMapper(KeycloakSession session, RealmModel realm, LinkedUsers links) {
        this(session, realm, links, new BindingMemberships(session, realm));
    }

    AwsUserMapper(KeycloakSession session, RealmModel realm, LinkedUsers links, BindingMemberships memberships) {
        this.session = session;
        this.realm = realm;
        this.links = links;
        this.memberships = memberships;
    }

    /**
     * The enabled user linked to {@code principal}, created if the binding allows it, with the
     * binding's groups and roles.
     *
     * @param principal what STS confirmed
     * @param binding the first binding that admits the principal
     * @return the user to issue tokens to
     * @throws AwsIdentityRejection when the login must be refused: {@code invalid_grant} (reasons
     *         {@code user_not_linked}, {@code user_ambiguous}, {@code username_taken}, {@code
     *         user_disabled}, {@code link_removable_by_user}, {@code link_invalid}, {@code
     *         principal_recreated}), {@code temporarily_unavailable} ({@code user_created_concurrently},
     *         {@code user_creation_failed}, {@code memberships_changed_concurrently}, {@code
     *         user_update_failed}) or {@code server_error} (the realm's link or binding setup)
     */
    public UserModel userFor(AwsPrincipal principal, PrincipalBinding binding) {
        AwsLinks.requireStore(session, realm);
        Linked linked = rememberedUser(principal).or(() -> searchedUser(principal))
                .orElseGet(() -> provision(principal, binding));
        UserModel user = linked.user();
        links.remember(realm.getId(), principal.canonicalArn(), user.getUsername());
        if (!user.isEnabled()) {
            throw AwsIdentityRejection.invalidGrant("user_disabled", "the user for this AWS principal is disabled");
        }
        AwsLinks.requireNotRemovableByUser(session, realm, user);
        requireSamePrincipal(linked, principal);
        reconcileMemberships(user, principal, binding);
        return user;
    }

    /**
     * Logins of one principal at once (a fleet) each give the user the binding's groups and roles
     * it lacks, e.g. after an administrator took them away: all but the first find the other's
     * membership row in the way, and this transaction cannot go on after its failed insert. A retry
     * finds the membership there, so the answer is RFC 6749's "try again", not Keycloak's 409.
     */
    private void reconcileMemberships(UserModel user, AwsPrincipal principal, PrincipalBinding binding) {
        try {
            memberships.reconcile(user, binding);
        } catch (ModelDuplicateException e) {
            throw tryAgainSigned("memberships_changed_concurrently", "another login of this AWS principal is updating its user");
        } catch (ModelException e) {
            // The same race where the database gives up waiting for the other insert, or a database
            // failure: retrying is the right advice for both.
            LOG.warnf("Could not update the groups and roles of user %s for AWS principal %s: %s", user.getUsername(),
                    principal.canonicalArn(), e.getMessage());
            throw tryAgainSigned("user_update_failed", "the user for this AWS principal could not be updated just now");
        }
    }

    private record Linked(UserModel user, FederatedIdentityModel link) {
    }

    /** The user this node last linked the principal to, if its link still names the principal. */
    private Optional<Linked> rememberedUser(AwsPrincipal principal) {
        return links.username(realm.getId(), principal.canonicalArn())
                .map(username -> session.users().getUserByUsername(realm, username))
                .flatMap(user -> linkNaming(user, principal));
    }

    private Optional<Linked> linkNaming(UserModel user, AwsPrincipal principal) {
        return AwsLinks.linkOf(session, realm, user)
                .filter(link -> AwsLinks.names(link, principal))
                .map(link -> new Linked(user, link));
    }

    private Optional<Linked> searchedUser(AwsPrincipal principal) {
        UserModel user;
        try {
            user = session.users().getUserByFederatedIdentity(realm,
                    new FederatedIdentityModel(AwsLinks.ALIAS, principal.canonicalArn(), null));
        } catch (IllegalStateException | ModelDuplicateException e) {
            // Keycloak's database lookup throws when several users carry the link (an administrator
            // linked two): choosing one would hand it the other's logins.
            LOG.errorf("Several users of realm %s are linked to %s; refusing to choose one", realm.getName(), principal.canonicalArn());
            throw AwsIdentityRejection.invalidGrant("user_ambiguous", "more than one user is linked to this AWS principal");
        }
        return Optional.ofNullable(user).flatMap(found -> linkNaming(found, principal));
    }

    private Linked provision(AwsPrincipal principal, PrincipalBinding binding) {
        if (!binding.provisionUsers()) {
            throw AwsIdentityRejection.invalidGrant("user_not_linked",
                    "no user is linked to this AWS principal and the binding does not create users");
        }
        String username = usernameFor(principal);
        UserModel holder = session.users().getUserByUsername(realm, username);
        if (holder != null) {
            Optional<FederatedIdentityModel> holderLink = AwsLinks.linkOf(session, realm, holder);
            if (holderLink.filter(link -> AwsLinks.names(link, principal)).isPresent()) {
                // Not there when this request searched, there now: another first login of this
                // principal created it meanwhile. A retry finds it through the lookup, which also
                // checks that no other user is linked to the ARN.
                throw createdConcurrently();
            }
            if (holderLink.isEmpty() && createdMomentsAgo(holder)) {
                // The same race, seen half: the new user is visible to this request but its link, written
                // in the same transaction, is not (seen in the integration tests on the dev database, 2 of
                // 12 concurrent first logins). A retry sees both; a user someone else created unlinked
                // still gets username_taken once the window is past.
                throw createdConcurrently();
            }
            // Someone else holds the name: linking to them would hand their account to this principal.
            throw AwsIdentityRejection.invalidGrant("username_taken",
                    "the user name for this AWS principal belongs to another user");
        }
        UserModel user;
        FederatedIdentityModel link = AwsLinks.linkFor(principal);
        try {
            user = session.users().addUser(realm, username);
            user.setEnabled(true);
            session.users().addFederatedIdentity(realm, user, link);
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
            throw tryAgainSigned("user_creation_failed", "the user for this AWS principal could not be created just now");
        }
        LOG.infof("Created user %s for AWS principal %s", username, principal.canonicalArn());
        return new Linked(user, link);
    }

    /**
     * The link records the unique id the principal had when linked; a deleted and re-created role
     * or user of the same name has another one and is refused until an administrator re-links
     * (security checklist: "a linked user keeps the unique id it was linked with").
     */
    private void requireSamePrincipal(Linked linked, AwsPrincipal principal) {
        String recorded = linked.link().getUserName();
        boolean recordedPending = recorded == null || recorded.isBlank() || AwsLinks.UNIQUE_ID_PENDING.equals(recorded.trim());
        if (AwsLinks.UNIQUE_ID_PENDING.equals(principal.uniqueId())) {
            // The proof names no unique id (an AWS-issued JWT carries none), so a role deleted and
            // re-created under the same name cannot be told apart: a user whose link records a unique
            // id is reached only through proofs that name one (aws_identity).
            if (!recordedPending) {
                throw AwsIdentityRejection.invalidGrant("unique_id_unverifiable",
                        "the user of this AWS principal is linked with a unique id, which this grant cannot verify");
            }
            return;
        }
        if (recordedPending) {
            // Linked by an administrator who left the unique id to the next login.
            session.users().updateFederatedIdentity(realm, linked.user(), new FederatedIdentityModel(AwsLinks.ALIAS,
                    principal.canonicalArn(), principal.uniqueId(), linked.link().getToken()));
            LOG.infof("User %s: recorded unique id %s of AWS principal %s", linked.user().getUsername(), principal.uniqueId(),
                    principal.canonicalArn());
            return;
        }
        if (!AwsPrincipal.isUniqueIdOf(principal.type(), recorded)) {
            LOG.errorf("User %s: its link to %s records '%s', which is not the unique id of a %s; an administrator must "
                    + "re-link it", linked.user().getUsername(), principal.canonicalArn(), printable(recorded),
                    principal.type().name().toLowerCase(Locale.ROOT));
            throw AwsIdentityRejection.invalidGrant("link_invalid",
                    "the link to this AWS principal is invalid; an administrator must re-link it");
        }
        if (!recorded.equals(principal.uniqueId())) {
            LOG.warnf("User %s was linked to %s with unique id %s; STS reports %s: the principal was deleted and re-created. "
                    + "Refused until an administrator re-links it", linked.user().getUsername(), principal.canonicalArn(),
                    recorded, principal.uniqueId());
            throw AwsIdentityRejection.invalidGrant("principal_recreated",
                    "this AWS principal was re-created since it was linked; an administrator must re-link it");
        }
    }

    private static String printable(String value) {
        String shown = value.length() > 40 ? value.substring(0, 40) + "..." : value;
        return shown.replaceAll("[^A-Za-z0-9_.:/-]", "?");
    }

    /** Whether {@code user} was created within {@link #CONCURRENT_CREATION_WINDOW_MILLIS} before now. */
    private static boolean createdMomentsAgo(UserModel user) {
        Long created = user.getCreatedTimestamp();
        return created != null && System.currentTimeMillis() - created < CONCURRENT_CREATION_WINDOW_MILLIS;
    }

    private static AwsIdentityRejection createdConcurrently() {
        return tryAgainSigned("user_created_concurrently", "the user for this AWS principal is being created by another request");
    }

    /**
     * RFC 6749's "try again" (503 {@code temporarily_unavailable}) for a failure in this step, which
     * runs after STS confirmed the request: the replay guard already counts that request as used,
     * so a retry must carry a newly signed one, and the description says so.
     */
    private static AwsIdentityRejection tryAgainSigned(String reason, String situation) {
        return AwsIdentityRejection.unavailable(reason, situation + "; sign a new request and try again");
    }

    /** e.g. {@code aws-role-deployer-123456789012}: readable, and only characters every username policy accepts. */
    static String usernameFor(AwsPrincipal principal) {
        String name = principal.name().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._-]", "-");
        return "aws-" + principal.type().name().toLowerCase(Locale.ROOT) + "-" + name + "-" + principal.account();
    }
}
