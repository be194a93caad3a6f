package io.github.kcawspack.scopepolicy.config;

import io.github.kcawspack.scopepolicy.model.AwsPrincipalPattern;
import io.github.kcawspack.scopepolicy.model.Mode;
import io.github.kcawspack.scopepolicy.model.ScopeRule;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.keycloak.common.util.MultivaluedHashMap;
import org.keycloak.component.ComponentModel;

/**
 * One restricted-scope rule as one realm component (an item on the console page
 * {@value ScopeRulePageFactory#PROVIDER_ID}), and back. The checks are the model's own
 * ({@link ScopeRule}, {@link AwsPrincipalPattern}, {@link Mode}); this class only says which field
 * a problem is in, by the label the console shows next to it.
 */
public final class RuleComponent {

    public static final String SCOPE = "scope";
    public static final String CLIENTS = "clients";
    public static final String REALM_ROLES = "realmRoles";
    public static final String CLIENT_ROLES = "clientRoles";
    public static final String GROUPS = "groups";
    public static final String AWS_PRINCIPALS = "awsPrincipals";
    public static final String GRANT_TYPES = "grantTypes";
    public static final String MODE = "mode";
    /** The mode field's value for "the settings' mode". */
    public static final String MODE_FROM_SETTINGS = "settings";

    private RuleComponent() {
    }

    /**
     * Reads a rule as the console saves it.
     *
     * @param model a component of provider {@value ScopeRulePageFactory#PROVIDER_ID}
     * @return the rule
     * @throws IllegalArgumentException starting with the label of the field at fault, e.g.
     *                                  "AWS principals: account must be exactly 12 digits (no wildcards)"
     */
    public static ScopeRule toRule(ComponentModel model) {
        MultivaluedHashMap<String, String> config = model.getConfig();
        String scope = field(RuleProperties.SCOPE_LABEL, () -> {
            String value = config.getFirst(SCOPE) == null ? null : config.getFirst(SCOPE).trim();
            ScopeRule.requireScopeName(value);
            return value;
        });
        Set<String> groups = field(RuleProperties.GROUPS_LABEL, () -> {
            List<String> values = values(config, GROUPS);
            values.forEach(ScopeRule::requireGroupPath);
            return Set.copyOf(values);
        });
        Map<String, Set<String>> clientRoles = field(RuleProperties.CLIENT_ROLES_LABEL, () -> clientRoles(values(config, CLIENT_ROLES)));
        List<AwsPrincipalPattern> aws = field(RuleProperties.AWS_PRINCIPALS_LABEL, () -> each(values(config, AWS_PRINCIPALS), RuleComponent::awsPrincipal));
        Optional<Mode> mode = field(RuleProperties.MODE_LABEL, () -> {
            String value = config.getFirst(MODE);
            return value == null || value.isBlank() || MODE_FROM_SETTINGS.equals(value.trim())
                    ? Optional.<Mode>empty() : Optional.of(Mode.parse(value));
        });
        Set<String> clients = field(RuleProperties.CLIENTS_LABEL, () -> Set.copyOf(values(config, CLIENTS)));
        Set<String> realmRoles = field(RuleProperties.REALM_ROLES_LABEL, () -> Set.copyOf(values(config, REALM_ROLES)));
        Set<String> grantTypes = field(RuleProperties.GRANT_TYPES_LABEL, () -> Set.copyOf(values(config, GRANT_TYPES)));
        return new ScopeRule(scope, clients, realmRoles, clientRoles, groups, aws, grantTypes, mode);
    }

    /**
     * A rule as component config, the way the console stores it (the migration from the JSON of
     * earlier versions writes this); {@link #toRule} reads it back to an equal rule.
     *
     * @param rule a valid rule
     * @return its config
     */
    public static MultivaluedHashMap<String, String> toConfig(ScopeRule rule) {
        MultivaluedHashMap<String, String> config = new MultivaluedHashMap<>();
        config.putSingle(SCOPE, rule.scope());
        putSorted(config, CLIENTS, rule.clients());
        putSorted(config, REALM_ROLES, rule.realmRoles());
        List<String> clientRoles = new ArrayList<>();
        rule.clientRoles().forEach((client, roles) -> roles.forEach(role -> clientRoles.add(client + "/" + role)));
        putSorted(config, CLIENT_ROLES, clientRoles);
        putSorted(config, GROUPS, rule.groups());
        putSorted(config, AWS_PRINCIPALS, rule.awsPrincipals().stream().map(p -> p.account() + ":" + p.type() + "/" + p.name()).toList());
        putSorted(config, GRANT_TYPES, rule.grantTypes());
        config.putSingle(MODE, rule.mode().map(Mode::word).orElse(MODE_FROM_SETTINGS));
        return config;
    }

    /** Non-blank values of a multivalued field, trimmed; none when absent. */
    static List<String> values(MultivaluedHashMap<String, String> config, String key) {
        List<String> values = config.get(key);
        if (values == null) {
            return List.of();
        }
        // An empty entry is an empty line of the console's list. An entry of spaces is not: read
        // as nothing, " " as the only role would turn "holders of this role" into "everyone".
        if (values.stream().anyMatch(v -> v != null && !v.isEmpty() && v.isBlank())) {
            throw new IllegalArgumentException("an entry holds only spaces; remove it or name a value");
        }
        return values.stream().filter(v -> v != null && !v.isBlank()).map(String::trim).toList();
    }

    /**
     * {@code client-id/role}, split at the last slash: client ids may be URLs, role names hardly
     * ever hold a slash (README says a role with one cannot be named here).
     */
    private static Map<String, Set<String>> clientRoles(List<String> entries) {
        Map<String, Set<String>> roles = new HashMap<>();
        for (int i = 0; i < entries.size(); i++) {
            String entry = entries.get(i);
            int slash = entry.lastIndexOf('/');
            if (slash <= 0 || slash == entry.length() - 1) {
                throw new IllegalArgumentException("entry " + (i + 1) + " must be client-id/role");
            }
            roles.computeIfAbsent(entry.substring(0, slash), c -> new HashSet<>()).add(entry.substring(slash + 1));
        }
        return roles;
    }

    /** {@code 123456789012:role/deployer}: account, type and name, none of which may hold ':' or '/'. */
    private static AwsPrincipalPattern awsPrincipal(String entry) {
        int colon = entry.indexOf(':');
        int slash = entry.indexOf('/');
        if (colon < 0 || slash < colon) {
            throw new IllegalArgumentException("must be account:type/name, e.g. 123456789012:role/deployer");
        }
        return new AwsPrincipalPattern(entry.substring(0, colon), entry.substring(colon + 1, slash), entry.substring(slash + 1));
    }

    private static <T> List<T> each(List<String> entries, Function<String, T> parse) {
        List<T> parsed = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            try {
                parsed.add(parse.apply(entries.get(i)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("entry " + (i + 1) + ": " + e.getMessage());
            }
        }
        return parsed;
    }

    private interface Parse<T> {
        T get();
    }

    private static <T> T field(String label, Parse<T> parse) {
        try {
            return parse.get();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(label + ": " + e.getMessage());
        }
    }

    private static void putSorted(MultivaluedHashMap<String, String> config, String key, java.util.Collection<String> values) {
        if (!values.isEmpty()) {
            config.put(key, values.stream().sorted().toList());
        }
    }
}
