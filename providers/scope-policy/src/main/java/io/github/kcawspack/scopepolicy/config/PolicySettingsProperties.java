package io.github.kcawspack.scopepolicy.config;

import io.github.kcawspack.scopepolicy.model.Mode;
import java.util.List;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderConfigurationBuilder;

/**
 * The console fields of {@link PolicySettings}, in the order the page shows them. Defaults are
 * printed from {@link PolicySettings#DEFAULTS}, so the page and the code cannot disagree.
 */
public final class PolicySettingsProperties {

    static final String ENABLED_LABEL = "Enabled";
    static final String MODE_LABEL = "Mode";
    static final String STRICT_LABEL = "Strict";
    static final String ALLOW_GRANT_TYPES_LABEL = "Allowed unjudged grant types";

    /** The fields, as {@code ProviderConfigProperty} metadata the console renders. */
    public static final List<ProviderConfigProperty> PROPERTIES = ProviderConfigurationBuilder.create()
            .property().name(PolicySettings.ENABLED).label(ENABLED_LABEL)
            .type(ProviderConfigProperty.BOOLEAN_TYPE).defaultValue(Boolean.toString(PolicySettings.DEFAULTS.enabled()))
            .helpText("Whether the rules on the restricted-scope-rules page hold. Off keeps them stored but inactive: "
                    + "the realm then issues every scope as Keycloak alone would.")
            .add()
            .property().name(PolicySettings.MODE).label(MODE_LABEL)
            .type(ProviderConfigProperty.LIST_TYPE).options(Mode.FILTER.word(), Mode.REJECT.word())
            .defaultValue(PolicySettings.DEFAULTS.mode().word())
            .helpText("What happens to a withheld scope when its rule does not say: filter leaves it out of the token "
                    + "(the response's scope says what was granted); reject fails the request with invalid_scope.")
            .add()
            .property().name(PolicySettings.STRICT).label(STRICT_LABEL)
            .type(ProviderConfigProperty.BOOLEAN_TYPE).defaultValue(Boolean.toString(PolicySettings.DEFAULTS.strict()))
            .helpText("On: a client scope no rule covers is withheld too (an allowlist; add rules for the default scopes "
                    + "your clients use, such as basic and roles).")
            .add()
            .property().name(PolicySettings.ALLOW_GRANT_TYPES).label(ALLOW_GRANT_TYPES_LABEL)
            .type(ProviderConfigProperty.MULTIVALUED_STRING_TYPE)
            .helpText("Grant types the pack does not know how to judge that you let through anyway, e.g. "
                    + "urn:ietf:params:oauth:grant-type:uma-ticket. Their tokens are still refused when they would carry "
                    + "a withheld scope. Empty by default: such a grant is refused with unauthorized_client.")
            .add()
            .build();

    private PolicySettingsProperties() {
    }
}
