package io.github.kcawspack.scopepolicy.config;

import io.github.kcawspack.scopepolicy.model.Mode;
import java.util.List;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderConfigurationBuilder;

/** The console fields of one restricted-scope rule ({@link RuleComponent}), in the order the page shows them. */
public final class RuleProperties {

    static final String SCOPE_LABEL = "Scope";
    static final String CLIENTS_LABEL = "Clients";
    static final String REALM_ROLES_LABEL = "Realm roles";
    static final String CLIENT_ROLES_LABEL = "Client roles";
    static final String GROUPS_LABEL = "Groups";
    static final String AWS_PRINCIPALS_LABEL = "AWS principals";
    static final String GRANT_TYPES_LABEL = "Grant types";
    static final String MODE_LABEL = "Mode";

    /** The fields, as {@code ProviderConfigProperty} metadata the console renders. */
    public static final List<ProviderConfigProperty> PROPERTIES = ProviderConfigurationBuilder.create()
            .property().name(RuleComponent.SCOPE).label(SCOPE_LABEL).type(ProviderConfigProperty.STRING_TYPE).required(true)
            .helpText("The client scope this rule restricts, by name (it must exist in the realm). Make it an optional "
                    + "client scope of the clients concerned: a withheld default scope fails the request.")
            .add()
            .property().name(RuleComponent.CLIENTS).label(CLIENTS_LABEL).type(ProviderConfigProperty.MULTIVALUED_STRING_TYPE)
            .helpText("Client ids this rule is for. Empty: every client. Rules naming a client replace, for that client, "
                    + "the rules of the same scope that name none.")
            .add()
            .property().name(RuleComponent.REALM_ROLES).label(REALM_ROLES_LABEL).type(ProviderConfigProperty.MULTIVALUED_STRING_TYPE)
            .helpText("Holders of any of these realm roles may obtain the scope (effective roles: composites and group roles count).")
            .add()
            .property().name(RuleComponent.CLIENT_ROLES).label(CLIENT_ROLES_LABEL).type(ProviderConfigProperty.MULTIVALUED_STRING_TYPE)
            .helpText("Client roles as client-id/role, e.g. api/deployer (split at the last slash).")
            .add()
            .property().name(RuleComponent.GROUPS).label(GROUPS_LABEL).type(ProviderConfigProperty.MULTIVALUED_STRING_TYPE)
            .helpText("Full group paths such as /staff; members of subgroups count. Write a slash inside a group's name as ~/.")
            .add()
            .property().name(RuleComponent.AWS_PRINCIPALS).label(AWS_PRINCIPALS_LABEL).type(ProviderConfigProperty.MULTIVALUED_STRING_TYPE)
            .helpText("AWS principals proved by an aws_identity login, as account:type/name, e.g. 123456789012:role/deployer; "
                    + "the account exactly, type role or user, the name a glob with * and ?.")
            .add()
            .property().name(RuleComponent.GRANT_TYPES).label(GRANT_TYPES_LABEL).type(ProviderConfigProperty.MULTIVALUED_STRING_TYPE)
            .helpText("When given, the scope is issued only through these grants (e.g. authorization_code, password, "
                    + "client_credentials, aws_identity); a refresh is judged as the grant that started the session.")
            .add()
            .property().name(RuleComponent.MODE).label(MODE_LABEL).type(ProviderConfigProperty.LIST_TYPE)
            .options(RuleComponent.MODE_FROM_SETTINGS, Mode.FILTER.word(), Mode.REJECT.word())
            .defaultValue(RuleComponent.MODE_FROM_SETTINGS)
            .helpText("settings: the mode on the restricted-scope-settings page. filter leaves the scope out; "
                    + "reject fails the request with invalid_scope.")
            .add()
            .build();

    private RuleProperties() {
    }

    /**
     * The refusal the console and the admin REST API show next to a save. Keycloak formats a
     * component validation message with {@link java.text.MessageFormat}, where a single quote
     * starts a quoted section: doubled here, so "scope 'wirte'" reaches the operator as written.
     *
     * @param message what is wrong, starting with the field's label
     * @return the exception to throw from {@code validateConfiguration}
     */
    static org.keycloak.component.ComponentValidationException validationError(String message) {
        return new org.keycloak.component.ComponentValidationException(message.replace("'", "''"));
    }
}
