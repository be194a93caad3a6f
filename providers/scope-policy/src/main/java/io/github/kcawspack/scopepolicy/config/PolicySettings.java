package io.github.kcawspack.scopepolicy.config;

import io.github.kcawspack.scopepolicy.model.Mode;
import java.util.List;
import java.util.Set;
import org.keycloak.common.util.MultivaluedHashMap;
import org.keycloak.component.ComponentModel;

/**
 * The policy-level settings of a realm, typed, with their defaults: the one item on the console
 * page {@value PolicySettingsPageFactory#PROVIDER_ID}. The fields and their console metadata are
 * {@link PolicySettingsProperties}; the keys and defaults are here.
 *
 * @param enabled           whether the rules hold; false keeps them stored but inactive
 * @param mode              the mode of rules that name none (default filter)
 * @param strict            whether a scope no rule covers is withheld (an allowlist)
 * @param allowedGrantTypes grant types the pack cannot judge that are let through anyway
 */
public record PolicySettings(boolean enabled, Mode mode, boolean strict, Set<String> allowedGrantTypes) {

    public static final String ENABLED = "enabled";
    public static final String MODE = "mode";
    public static final String STRICT = "strict";
    public static final String ALLOW_GRANT_TYPES = "allowGrantTypes";

    /** A realm with rules and no settings item: the rules hold, in filter mode, not strict. */
    public static final PolicySettings DEFAULTS = new PolicySettings(true, Mode.FILTER, false, Set.of());

    public PolicySettings {
        allowedGrantTypes = Set.copyOf(allowedGrantTypes);
    }

    /**
     * Reads the settings item as the console saves it; a field left out takes its default.
     *
     * @param model the settings component
     * @return the settings
     * @throws IllegalArgumentException naming the field (its console label) and the problem
     */
    public static PolicySettings from(ComponentModel model) {
        MultivaluedHashMap<String, String> config = model.getConfig();
        boolean enabled = bool(config, ENABLED, PolicySettingsProperties.ENABLED_LABEL, DEFAULTS.enabled());
        Mode mode;
        try {
            String value = config.getFirst(MODE);
            mode = value == null || value.isBlank() ? DEFAULTS.mode() : Mode.parse(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(PolicySettingsProperties.MODE_LABEL + ": " + e.getMessage());
        }
        boolean strict = bool(config, STRICT, PolicySettingsProperties.STRICT_LABEL, DEFAULTS.strict());
        List<String> allowed = RuleComponent.values(config, ALLOW_GRANT_TYPES);
        return new PolicySettings(enabled, mode, strict, Set.copyOf(allowed));
    }

    /** The settings as component config, the way the console stores them (migration writes this). */
    public MultivaluedHashMap<String, String> toConfig() {
        MultivaluedHashMap<String, String> config = new MultivaluedHashMap<>();
        config.putSingle(ENABLED, Boolean.toString(enabled));
        config.putSingle(MODE, mode.word());
        config.putSingle(STRICT, Boolean.toString(strict));
        if (!allowedGrantTypes.isEmpty()) {
            config.put(ALLOW_GRANT_TYPES, allowedGrantTypes.stream().sorted().toList());
        }
        return config;
    }

    private static boolean bool(MultivaluedHashMap<String, String> config, String key, String label, boolean fallback) {
        String value = config.getFirst(key);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        // Anything but true or false is a mistake, not "false": enabled=flase must not switch the policy off.
        return switch (value.trim()) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException(label + ": must be true or false");
        };
    }
}
