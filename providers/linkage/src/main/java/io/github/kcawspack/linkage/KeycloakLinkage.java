package io.github.kcawspack.linkage;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;
import org.keycloak.common.Version;

/**
 * The start-time gate each provider factory calls first in {@code init()}: the provider's code
 * must link against the running Keycloak ({@link LinkageCheck}). If it does not, one ERROR line
 * names the provider, the running Keycloak version, the version the pack was compiled against
 * and what is missing, and {@code init()} throws, which stops Keycloak's start ("fail fast"):
 * a server that starts serves every request of the provider; a server that cannot does not start
 * rather than answering requests with 500s.
 */
public final class KeycloakLinkage {

    private static final Logger LOG = Logger.getLogger(KeycloakLinkage.class);
    private static final Map<String, LinkageCheck.Report> CHECKED = new ConcurrentHashMap<>();
    private static final int PROBLEMS_SHOWN = 5;

    private KeycloakLinkage() {
    }

    /**
     * Checks the provider's classes in {@code ownPackage} reachable from {@code factories} once
     * per server; later calls for the same package repeat the outcome.
     *
     * @param provider the JAR's name, for the log ("aws-pack-aws-identity")
     * @throws IllegalStateException when the provider cannot run on this Keycloak
     */
    public static void require(String provider, String ownPackage, Class<?>... factories) {
        LinkageCheck.Report report = CHECKED.computeIfAbsent(ownPackage, p -> {
            LinkageCheck.Report result = LinkageCheck.run(factories[0].getClassLoader(), p, factories);
            result.warnings().forEach(w -> LOG.warnf("%s: linkage check: %s", provider, w));
            if (result.ok()) {
                LOG.infof("%s links against Keycloak %s (compiled against Keycloak %s): all %d references of its"
                        + " %d classes resolve", provider, runningVersion(), compiledAgainst(), result.references(),
                        result.classes());
            } else {
                LOG.error(failure(provider, result));
            }
            return result;
        });
        if (!report.ok()) {
            throw new IllegalStateException(failure(provider, report));
        }
    }

    static String failure(String provider, LinkageCheck.Report report) {
        StringBuilder message = new StringBuilder()
                .append(provider).append(" cannot run on Keycloak ").append(runningVersion())
                .append(" (compiled against Keycloak ").append(compiledAgainst()).append("): ");
        int shown = Math.min(PROBLEMS_SHOWN, report.problems().size());
        message.append(String.join("; ", report.problems().subList(0, shown)));
        if (report.problems().size() > shown) {
            message.append("; and ").append(report.problems().size() - shown).append(" more");
        }
        return message.append(". Keycloak is stopped at start instead of failing requests: run a Keycloak version"
                + " the pack's README lists as compatible, or remove ").append(provider).append(".jar from providers/.")
                .toString();
    }

    static String runningVersion() {
        return Version.VERSION;
    }

    /** The Keycloak version the pack was compiled against, recorded at build time. */
    static String compiledAgainst() {
        try (InputStream in = KeycloakLinkage.class.getResourceAsStream("linkage.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("built.against", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
