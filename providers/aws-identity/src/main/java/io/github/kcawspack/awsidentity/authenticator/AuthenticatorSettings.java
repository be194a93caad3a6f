package io.github.kcawspack.awsidentity.authenticator;

import io.github.kcawspack.awsidentity.identity.PrincipalBindings;
import io.github.kcawspack.awsidentity.verification.AwsIdentityRejection;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;
import org.keycloak.models.Constants;

/**
 * Reads the realm's settings from the flow execution's configuration. A wrong value is the
 * operator's to fix: it is logged with what is wrong and the request fails closed.
 */
final class AuthenticatorSettings {

    private static final Logger LOG = Logger.getLogger(AuthenticatorSettings.class);

    private AuthenticatorSettings() {
    }

    static Duration seconds(Map<String, String> config, String key, Duration fallback) {
        String value = config.get(key);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            long seconds = Long.parseLong(value.trim());
            if (seconds >= 0 && seconds <= 86_400) {
                return Duration.ofSeconds(seconds);
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        LOG.errorf("aws-identity authenticator: %s must be a number of seconds from 0 to 86400, not '%s'", key, value);
        throw AwsIdentityRejection.misconfigured("config_invalid");
    }

    static List<String> extraAudiences(Map<String, String> config) {
        String value = config.get(AwsIdentityAuthenticatorFactory.EXTRA_AUDIENCES);
        if (value == null || value.isBlank()) {
            return List.of();
        }
        // Multivalued settings are stored joined with Keycloak's "##" delimiter.
        return Arrays.stream(Constants.CFG_DELIMITER_PATTERN.split(value)).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    static PrincipalBindings bindings(Map<String, String> config, ParsedBindings parsed) {
        String json = config.get(AwsIdentityAuthenticatorFactory.BINDINGS);
        if (json == null || json.isBlank()) {
            LOG.error("aws-identity authenticator: no principal bindings configured; every AWS principal is refused");
            throw AwsIdentityRejection.misconfigured("no_bindings");
        }
        try {
            return parsed.of(json);
        } catch (IllegalArgumentException e) {
            LOG.errorf("aws-identity authenticator: principal bindings are invalid: %s", e.getMessage());
            throw AwsIdentityRejection.misconfigured("config_invalid");
        }
    }
}
