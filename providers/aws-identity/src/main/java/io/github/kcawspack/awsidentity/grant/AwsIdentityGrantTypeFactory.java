package io.github.kcawspack.awsidentity.grant;

import io.github.kcawspack.awsidentity.ProviderLinkage;
import io.github.kcawspack.awsidentity.principal.LinkedUsers;
import io.github.kcawspack.awsidentity.verify.ReplayGuard;
import io.github.kcawspack.awsidentity.verify.StsConcurrencyLimit;
import io.github.kcawspack.awsidentity.verify.StsDeadlines;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import org.jboss.logging.Logger;
import org.keycloak.Config;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.protocol.oidc.grants.OAuth2GrantType;
import org.keycloak.protocol.oidc.grants.OAuth2GrantTypeFactory;

/**
 * Registers {@code aws_identity} with the token endpoint and the discovery document, and owns
 * what all its requests on this node share: the server options ({@link ServerOptions}), the STS
 * concurrency limit and deadline timer, the in-flight signatures, the remembered user links and
 * the realms already warned about an old-style client.
 */
public class AwsIdentityGrantTypeFactory implements OAuth2GrantTypeFactory {

    private static final Logger LOG = Logger.getLogger(AwsIdentityGrantTypeFactory.class);

    public static final String GRANT_TYPE = "aws_identity";

    private RealmVerifier verifier;
    private ScheduledExecutorService deadlines;
    private final LinkedUsers linkedUsers = new LinkedUsers();
    private final ClientSwitch clientSwitch = new ClientSwitch(ConcurrentHashMap.newKeySet());

    @Override
    public String getId() {
        return GRANT_TYPE;
    }

    @Override
    public String getShortcut() {
        // Two characters, unique among grant types (Keycloak's own: ac rt ro cc te pg ci dg pc ag na).
        return "ai";
    }

    @Override
    public OAuth2GrantType create(KeycloakSession session) {
        return new AwsIdentityGrantType(clientSwitch, verifier, linkedUsers);
    }

    /**
     * Reads the server options from the {@code authenticator}/{@code aws-identity} scope (their
     * documented names), not from {@code config}.
     *
     * @param config this factory's own scope, unused
     * @throws IllegalArgumentException when an option is invalid: the server does not start
     */
    @Override
    public void init(Config.Scope config) {
        // The grant-type SPI is internal and changes between minors: refuse to start on a
        // Keycloak this JAR does not link against, rather than fail token requests.
        ProviderLinkage.require();
        ServerOptions options = ServerOptions.read(Config.scope(ServerOptions.SPI, ServerOptions.PROVIDER));
        if (options.forwarding().forwardsOverPlainHttp()) {
            // AWS STS and its VPC endpoints answer only over HTTPS: plain HTTP is a simulator
            // (bin/run-keycloak --local-sts, the tests). Said loudly, so it is never mistaken for AWS.
            LOG.warnf("aws_identity forwards every signed request to %s over plain HTTP, not to AWS STS: "
                    + "an STS simulator, for development and tests only", options.forwarding().endpointOverride());
        }
        deadlines = StsDeadlines.newTimer();
        Set<String> inFlightSignatures = ReplayGuard.newInFlightSet();
        // Keycloak's --hostname (KC_HOSTNAME), read from the scope of its hostname provider as that
        // provider reads it. Set, it fixes the host of every realm's issuer URL.
        String hostname = Config.scope("hostname", "v2").get("hostname");
        verifier = new RealmVerifier(options.forwarding(), new StsConcurrencyLimit(options.maxConcurrentCalls()),
                deadlines, inFlightSignatures, hostname != null && !hostname.isBlank());
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
    }

    @Override
    public void close() {
        if (deadlines != null) {
            deadlines.shutdownNow();
        }
    }
}
