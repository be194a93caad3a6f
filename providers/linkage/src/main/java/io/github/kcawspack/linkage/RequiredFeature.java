package io.github.kcawspack.linkage;

import java.util.function.Predicate;
import org.jboss.logging.Logger;
import org.keycloak.common.Profile;

/**
 * A Keycloak feature a JAR cannot run without: the pack's settings are admin console pages of
 * Keycloak's admin-UI extension SPI, which Keycloak 26.5 to 26.7 offers only with the feature
 * {@code declarative-ui}. Keycloak still loads that SPI's factories without the feature (26.7
 * only hides the pages), so the realms would run with settings no one can see or check; the JAR
 * refuses to start instead (README, Installation step 3).
 *
 * <p>One factory of the JAR calls {@link #check} in {@code init()}, which logs the refusal as one
 * ERROR line there, and {@link #require} in {@code postInit()}, which throws it and so stops
 * Keycloak's start. Keycloak runs every factory's {@code init()} before any {@code postInit()}:
 * each refusing JAR says so in the log even when another's exception ends the start first.
 */
public final class RequiredFeature {

    private static final Logger LOG = Logger.getLogger(RequiredFeature.class);

    private final String refusal;

    private RequiredFeature(String refusal) {
        this.refusal = refusal;
    }

    /**
     * Checks the running server's feature {@code feature} ({@link Profile#isFeatureEnabled}) and
     * logs an ERROR line if it is off.
     *
     * @param jar     the JAR's name without ".jar", e.g. "aws-pack-scope-policy"
     * @param feature the feature the JAR needs
     * @param needs   what of the JAR needs it, completing "{jar} keeps ...", e.g. "its realm settings on admin console pages"
     * @return the outcome, for {@link #require} in {@code postInit()}
     */
    public static RequiredFeature check(String jar, Profile.Feature feature, String needs) {
        return check(jar, feature.getKey(), Profile::isFeatureEnabled, feature, needs);
    }

    static <F> RequiredFeature check(String jar, String key, Predicate<F> enabled, F feature, String needs) {
        if (enabled.test(feature)) {
            return new RequiredFeature(null);
        }
        String line = jar + " refuses to start: it keeps " + needs + ", which need Keycloak's feature " + key
                + ", off on this server. Start Keycloak with --features=" + key + " (or features=" + key
                + " in conf/keycloak.conf), or remove " + jar + ".jar from providers/.";
        LOG.error(line);
        return new RequiredFeature(line);
    }

    /** @throws IllegalStateException with the logged line, if the feature was off */
    public void require() {
        if (refusal != null) {
            throw new IllegalStateException(refusal);
        }
    }

    /** The logged refusal, or null if the feature is on. */
    public String refusal() {
        return refusal;
    }
}
