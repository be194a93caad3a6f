package io.github.kcawspack.awsidentity.settings;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.keycloak.component.ComponentModel;
import org.keycloak.models.RealmModel;

/**
 * One AWS account's token issuer that this realm trusts for AWS-issued JWTs (STS
 * {@code GetWebIdentityToken}, "outbound identity federation"), as an administrator configured it
 * on the admin console page {@value WebIdentityIssuersPage#ID}. The issuer is only ever taken from
 * here, never discovered from a token: a token whose {@code iss} is not configured is not an AWS
 * token for this realm.
 *
 * @param issuer      the account's issuer URL exactly as AWS puts it in {@code iss} (such as
 *                    {@code https://<id>.tokens.sts.global.api.aws}); https, or http on a loopback
 *                    address (a local simulator)
 * @param account     the 12-digit AWS account whose principals this issuer vouches for
 * @param audiences   {@code aud} values accepted besides this realm's issuer URL
 * @param maxLifetime the longest {@code exp - iat} accepted (AWS issues 60 s to 1 h)
 */
public record WebIdentityIssuer(String issuer, String account, List<String> audiences, Duration maxLifetime) {

    static final String ISSUER = "issuer";
    static final String ACCOUNT = "account";
    static final String AUDIENCES = "audiences";
    static final String MAX_LIFETIME_SECONDS = "maxLifetimeSeconds";

    /** AWS: a web identity token lives 60 to 3600 seconds (DurationSeconds of GetWebIdentityToken). */
    static final long DEFAULT_MAX_LIFETIME_SECONDS = 3600;
    static final long MAX_LIFETIME_LIMIT_SECONDS = 3600;
    static final long MIN_LIFETIME_SECONDS = 60;

    private static final Pattern TWELVE_DIGITS = Pattern.compile("[0-9]{12}");
    private static final int MAX_URL_LENGTH = 2048;

    public WebIdentityIssuer {
        Objects.requireNonNull(issuer);
        Objects.requireNonNull(account);
        audiences = List.copyOf(audiences);
        Objects.requireNonNull(maxLifetime);
    }

    /**
     * Reads one admin-console item.
     *
     * @param config the component's configuration
     * @return the issuer it configures
     * @throws IllegalArgumentException naming the field and what it expects, when invalid
     */
    public static WebIdentityIssuer from(Map<String, List<String>> config) {
        String issuer = requireUrl(single(config, ISSUER), ISSUER);
        String account = single(config, ACCOUNT);
        if (account == null || !TWELVE_DIGITS.matcher(account.trim()).matches()) {
            throw new IllegalArgumentException(ACCOUNT + ": must be exactly 12 digits");
        }
        List<String> audiences = config.getOrDefault(AUDIENCES, List.of()).stream()
                .filter(value -> value != null && !value.isBlank()).map(String::trim).toList();
        for (String audience : audiences) {
            if (audience.length() > MAX_URL_LENGTH) {
                throw new IllegalArgumentException(AUDIENCES + ": a value is longer than " + MAX_URL_LENGTH + " characters");
            }
        }
        String lifetime = single(config, MAX_LIFETIME_SECONDS);
        long seconds;
        try {
            seconds = lifetime == null || lifetime.isBlank() ? DEFAULT_MAX_LIFETIME_SECONDS : Long.parseLong(lifetime.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(MAX_LIFETIME_SECONDS + ": must be a whole number of seconds");
        }
        if (seconds < MIN_LIFETIME_SECONDS || seconds > MAX_LIFETIME_LIMIT_SECONDS) {
            throw new IllegalArgumentException(MAX_LIFETIME_SECONDS + ": must be " + MIN_LIFETIME_SECONDS + " to "
                    + MAX_LIFETIME_LIMIT_SECONDS + " (AWS issues tokens living 60 s to 1 h)");
        }
        return new WebIdentityIssuer(issuer, account.trim(), audiences, Duration.ofSeconds(seconds));
    }

    /**
     * The realm's configured issuers. An item that no longer parses (edited around the console's
     * validation) is left out, so its issuer's tokens go to Keycloak's own JWT authorization grant,
     * which knows no AWS issuer and refuses them.
     *
     * @param realm the realm of the token request
     * @return the issuers, in no particular order
     */
    public static List<WebIdentityIssuer> of(RealmModel realm) {
        return realm.getComponentsStream(realm.getId(), AwsIdentitySettings.COMPONENT_TYPE)
                .filter(item -> WebIdentityIssuersPage.ID.equals(item.getProviderId()))
                .map(WebIdentityIssuer::parsedOrNull)
                .filter(Objects::nonNull)
                .toList();
    }

    /**
     * @param realm  the realm of the token request
     * @param issuer a token's {@code iss}, unverified
     * @return the configured issuer it names exactly, if any
     */
    public static Optional<WebIdentityIssuer> find(RealmModel realm, String issuer) {
        if (issuer == null) {
            return Optional.empty();
        }
        return of(realm).stream().filter(configured -> configured.issuer().equals(issuer)).findFirst();
    }

    private static WebIdentityIssuer parsedOrNull(ComponentModel item) {
        try {
            return from(item.getConfig());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String single(Map<String, List<String>> config, String name) {
        List<String> values = config.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /**
     * An https URL, or http on a loopback address (a local simulator: nothing leaves the machine).
     * Also used for the JWKS URL a discovery document names.
     */
    public static String requireUrl(String value, String field) {
        if (value == null || value.isBlank() || value.length() > MAX_URL_LENGTH) {
            throw new IllegalArgumentException(field + ": must be an https URL");
        }
        URI uri;
        try {
            uri = new URI(value.trim());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(field + ": must be an https URL");
        }
        boolean https = "https".equals(uri.getScheme());
        boolean loopbackHttp = "http".equals(uri.getScheme())
                && ("localhost".equals(uri.getHost()) || "127.0.0.1".equals(uri.getHost()) || "[::1]".equals(uri.getHost()));
        if (uri.getHost() == null || !(https || loopbackHttp) || uri.getRawQuery() != null || uri.getRawFragment() != null
                || uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException(field + ": must be an https URL without query, fragment or user info "
                    + "(http only on a loopback address, for a local simulator)");
        }
        return value.trim();
    }
}
