package io.github.kcawspack.awsidentity.principal;

import io.github.kcawspack.awsidentity.AwsIdentityRejection;
import java.util.Optional;
import org.jboss.logging.Logger;
import org.keycloak.models.FederatedIdentityModel;
import org.keycloak.models.IdentityProviderModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.credential.PasswordCredentialModel;

/**
 * Where the link between a Keycloak user and an AWS principal lives: a Keycloak federated identity
 * link of the identity provider {@value #ALIAS}, whose User ID is the principal's canonical ARN
 * and whose Username is the unique id ({@code AROA...}/{@code AIDA...}) the principal had when it
 * was linked.
 *
 * <p>Why a federated identity link and not a user attribute: no account API, user-profile setting,
 * identity-provider mapper or user-federation sync writes one. The only writers are administrators
 * (admin console, admin REST API, realm import), logins through the link's own identity provider,
 * which is of the type {@link AwsLinkIdentityProviderFactory} and never logs anyone in, and this
 * pack. Two conditions keep it that way, and both are checked on every use (fail closed):
 * <ul>
 * <li>the realm's identity provider {@value #ALIAS} exists and is of that type ({@link #requireStore});
 * another type could complete broker logins that create or change links;</li>
 * <li>the linked user cannot remove the link itself ({@link #requireNotRemovableByUser}): Keycloak's
 * account REST API removes a user's link when the user has a password, another link or comes from
 * user federation (LinkedAccountsResource.removeLinkedAccount in Keycloak 26.5 to 26.7 refuses
 * only the last way in of a user with neither).</li>
 * </ul>
 * Keycloak's user cache keeps the lookup by link ({@code getUserByFederatedIdentity}) and each
 * user's links, and invalidates both, on every node, whenever a link is added, changed or removed.
 */
public final class AwsLinks {

    /** The alias of the realm's identity provider that holds the links. */
    public static final String ALIAS = "aws";

    /**
     * A link's Username that means "no unique id recorded yet": the next login records the one STS
     * reports. The admin console requires some Username when an administrator links a user.
     */
    public static final String UNIQUE_ID_PENDING = "*";

    private static final Logger LOG = Logger.getLogger(AwsLinks.class);

    private AwsLinks() {
    }

    /**
     * Refuses to use links unless the realm's {@value #ALIAS} identity provider is the pack's
     * link-only type.
     *
     * @throws AwsIdentityRejection {@code server_error} (reason {@code link_provider_missing} or
     *         {@code link_provider_foreign}) otherwise; the log says what to fix
     */
    public static void requireStore(KeycloakSession session, RealmModel realm) {
        IdentityProviderModel provider = session.identityProviders().getByAlias(ALIAS);
        if (provider == null) {
            LOG.errorf("aws_identity in realm %s: there is no identity provider '%s' (type '%s') to hold the links "
                    + "between users and AWS principals; add one", realm.getName(), ALIAS, AwsLinkIdentityProviderFactory.PROVIDER_ID);
            throw AwsIdentityRejection.misconfigured("link_provider_missing");
        }
        if (!AwsLinkIdentityProviderFactory.PROVIDER_ID.equals(provider.getProviderId())) {
            // Logins through another type could create or change links: users could choose their AWS principal.
            LOG.errorf("aws_identity in realm %s: identity provider '%s' is of type '%s', not '%s'; its logins could write "
                    + "the links between users and AWS principals, so aws_identity is refused", realm.getName(), ALIAS,
                    provider.getProviderId(), AwsLinkIdentityProviderFactory.PROVIDER_ID);
            throw AwsIdentityRejection.misconfigured("link_provider_foreign");
        }
    }

    /**
     * @param user a user of {@code realm}
     * @return the user's link to an AWS principal, or empty when it has none
     */
    public static Optional<FederatedIdentityModel> linkOf(KeycloakSession session, RealmModel realm, UserModel user) {
        return Optional.ofNullable(session.users().getFederatedIdentity(realm, user, ALIAS));
    }

    /** @return whether {@code link}'s User ID is {@code principal}'s canonical ARN */
    public static boolean names(FederatedIdentityModel link, AwsPrincipal principal) {
        return principal.canonicalArn().equals(link.getUserId());
    }

    /** @return a new link to {@code principal}, recording its current unique id */
    static FederatedIdentityModel linkFor(AwsPrincipal principal) {
        return new FederatedIdentityModel(ALIAS, principal.canonicalArn(), principal.uniqueId());
    }

    /**
     * Refuses a user who could remove its own link through the account REST API.
     *
     * @throws AwsIdentityRejection {@code invalid_grant}, reason {@code link_removable_by_user}
     */
    public static void requireNotRemovableByUser(KeycloakSession session, RealmModel realm, UserModel user) {
        boolean otherLinks = session.users().getFederatedIdentitiesStream(realm, user)
                .anyMatch(link -> !ALIAS.equals(link.getIdentityProvider()));
        if (otherLinks || user.isFederated() || user.credentialManager().isConfiguredFor(PasswordCredentialModel.TYPE)) {
            LOG.warnf("aws_identity in realm %s: user %s is linked to an AWS principal but has a password, another identity "
                    + "provider link or comes from user federation, so it could remove the link itself; refused until an "
                    + "administrator removes those or links a machine user instead", realm.getName(), user.getUsername());
            throw AwsIdentityRejection.invalidGrant("link_removable_by_user",
                    "the user linked to this AWS principal is not a machine user; an administrator must fix the link");
        }
    }
}
