package io.github.kcawspack.awsidentity.settings;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A realm's aws_identity settings, typed, with their defaults: the one admin-console item on the
 * "aws-identity-settings" page. {@link RealmSettingsProperties} lists the same fields for the
 * console; keys, labels and defaults live here so that adding a setting touches one class.
 *
 * @param requireAudience whether the request must sign X-Keycloak-Audience naming this realm
 * @param extraAudiences  audience values accepted besides the issuer of the configured hostname
 * @param maxAge          how old a signed request (its X-Amz-Date) may be
 * @param clockSkew       how far in the future X-Amz-Date may be
 */
public record RealmSettings(boolean requireAudience, List<String> extraAudiences, Duration maxAge, Duration clockSkew) {

    public static final String REQUIRE_AUDIENCE = "requireAudience";
    public static final String EXTRA_AUDIENCES = "extraAudiences";
    public static final String MAX_AGE_SECONDS = "maxAgeSeconds";
    public static final String CLOCK_SKEW_SECONDS = "clockSkewSeconds";

    public static final boolean DEFAULT_REQUIRE_AUDIENCE = true;
    /** AWS itself accepts a signed request for 15 minutes. */
    public static final long DEFAULT_MAX_AGE_SECONDS = 900;
    public static final long DEFAULT_CLOCK_SKEW_SECONDS = 300;
    static final long MAX_SECONDS = 86_400;
    private static final int MAX_AUDIENCE_LENGTH = 2048;

    /** Console labels by key, in the order the console shows the fields. */
    static final Map<String, String> LABELS = labels();

    public RealmSettings {
        extraAudiences = List.copyOf(extraAudiences);
    }

    /** The settings of a realm that has no settings item: every field at its default. */
    public static RealmSettings defaults() {
        return new RealmSettings(DEFAULT_REQUIRE_AUDIENCE, List.of(), Duration.ofSeconds(DEFAULT_MAX_AGE_SECONDS),
                Duration.ofSeconds(DEFAULT_CLOCK_SKEW_SECONDS));
    }

    /**
     * Reads the settings item's configuration.
     *
     * @param config the component's configuration (key to values); absent fields take their defaults
     * @return the typed settings
     * @throws IllegalArgumentException naming the field (by its console label) and what it expects
     */
    public static RealmSettings from(Map<String, List<String>> config) {
        ComponentConfig read = new ComponentConfig(config, LABELS);
        List<String> audiences = read.list(EXTRA_AUDIENCES);
        for (String audience : audiences) {
            if (audience.length() > MAX_AUDIENCE_LENGTH || audience.chars().anyMatch(Character::isISOControl)
                    || audience.chars().anyMatch(Character::isWhitespace)) {
                throw new IllegalArgumentException(read.label(EXTRA_AUDIENCES) + " must be URLs such as "
                        + "https://sso.example.com/realms/demo, without spaces, at most " + MAX_AUDIENCE_LENGTH
                        + " characters each");
            }
        }
        return new RealmSettings(
                read.bool(REQUIRE_AUDIENCE, DEFAULT_REQUIRE_AUDIENCE),
                audiences,
                // 0 would refuse every request: a mistake, never a setting.
                Duration.ofSeconds(read.number(MAX_AGE_SECONDS, 1, MAX_SECONDS, DEFAULT_MAX_AGE_SECONDS)),
                Duration.ofSeconds(read.number(CLOCK_SKEW_SECONDS, 0, MAX_SECONDS, DEFAULT_CLOCK_SKEW_SECONDS)));
    }

    private static Map<String, String> labels() {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(REQUIRE_AUDIENCE, "Require audience");
        labels.put(EXTRA_AUDIENCES, "Extra audiences");
        labels.put(MAX_AGE_SECONDS, "Maximum request age (seconds)");
        labels.put(CLOCK_SKEW_SECONDS, "Allowed clock skew (seconds)");
        return Collections.unmodifiableMap(labels);
    }
}
