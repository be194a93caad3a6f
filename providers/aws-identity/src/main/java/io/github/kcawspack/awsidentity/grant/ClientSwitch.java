package io.github.kcawspack.awsidentity.grant;

import java.util.Set;
import org.jboss.logging.Logger;
import org.keycloak.models.AuthenticationFlowBindings;
import org.keycloak.models.AuthenticationFlowModel;
import org.keycloak.models.ClientModel;
import org.keycloak.models.RealmModel;

/**
 * Whether a client may use {@code grant_type=aws_identity}: it has an item on the admin console
 * page {@link AwsIdentityClientsPage}, or it is still configured the old way.
 *
 * <p>The old way (before the grant ran without a flow): the client's direct-grant flow override
 * binds a flow with a required "aws-identity" step. Such a client counts as switched on, so that
 * upgrading takes nothing away, and each realm that has one is named once per node in the log
 * with what to do. The old flow no longer issues anything itself (its step refuses every request),
 * so nothing is left unprotected in between. The realm default direct-grant flow never counts:
 * switching on was always an explicit per-client choice.
 */
final class ClientSwitch {

    private static final Logger LOG = Logger.getLogger(ClientSwitch.class);

    /** The authenticator id of the old flow step. */
    static final String LEGACY_AUTHENTICATOR = ServerOptions.PROVIDER;

    private final Set<String> realmsWarned;

    /** @param realmsWarned ids of realms already named in the log; owned by the grant's factory */
    ClientSwitch(Set<String> realmsWarned) {
        this.realmsWarned = realmsWarned;
    }

    /**
     * @param realm  the client's realm
     * @param client the client of the token request
     * @return true when the client may use the grant
     */
    boolean isOn(RealmModel realm, ClientModel client) {
        if (AwsIdentityClientsPage.switchedOn(realm, client.getClientId())) {
            return true;
        }
        if (bindsLegacyFlow(realm, client)) {
            if (realmsWarned.add(realm.getId())) {
                LOG.warnf("Realm %s: client %s is switched on for aws_identity the old way (a direct-grant flow override "
                        + "with the AWS identity step); it keeps working until migrated. Migrate: add an item for each such "
                        + "client on the admin console page %s, then remove the flow override and turn Direct access "
                        + "grants off", realm.getName(), client.getClientId(), AwsIdentityClientsPage.ID);
            }
            return true;
        }
        return false;
    }

    /** Whether the client's own direct-grant override binds a flow with a required AWS identity step. */
    static boolean bindsLegacyFlow(RealmModel realm, ClientModel client) {
        // Resolved by hand: AuthenticationFlowResolver.resolveBindingOverrideFlowForClient exists
        // only since Keycloak 26.6.
        String flowId = client.getAuthenticationFlowBindingOverride(AuthenticationFlowBindings.DIRECT_GRANT_BINDING);
        AuthenticationFlowModel flow = flowId == null ? null : realm.getAuthenticationFlowById(flowId);
        return flow != null && realm.getAuthenticationExecutionsStream(flow.getId())
                .anyMatch(step -> LEGACY_AUTHENTICATOR.equals(step.getAuthenticator())
                        && (step.isRequired() || step.isAlternative()));
    }
}
