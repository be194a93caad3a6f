package io.github.kcawspack.scopepolicy.model;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Who may obtain one scope: anyone holding one of the realm roles or client roles, in one of the
 * groups (or below), or being one of the AWS principals; and only through the listed grant types
 * when any are listed. A rule that names nobody admits everyone who uses an allowed grant type.
 *
 * @param clients the client ids this rule is for; empty means every client of the realm
 * @param mode    this rule's mode; empty uses the policy's
 */
public record ScopeRule(String scope, Set<String> clients, Set<String> realmRoles, Map<String, Set<String>> clientRoles,
                        Set<String> groups, List<AwsPrincipalPattern> awsPrincipals, Set<String> grantTypes,
                        Optional<Mode> mode) {

    public ScopeRule {
        requireScopeName(scope);
        clients = Set.copyOf(clients);
        realmRoles = Set.copyOf(realmRoles);
        clientRoles = Map.copyOf(clientRoles);
        groups = Set.copyOf(groups);
        awsPrincipals = List.copyOf(awsPrincipals);
        grantTypes = Set.copyOf(grantTypes);
        groups.forEach(ScopeRule::requireGroupPath);
    }

    /**
     * The rule's check of its scope field, for callers that validate field by field (the console).
     *
     * @param scope a scope name as RFC 6749 section 3.3 defines a scope-token
     * @throws IllegalArgumentException when it is not one
     */
    public static void requireScopeName(String scope) {
        if (scope == null || scope.isBlank() || scope.chars().anyMatch(c -> c <= ' ' || c == '"' || c == '\\' || c > '~')) {
            throw new IllegalArgumentException("scope must be a scope name (RFC 6749 scope-token)");
        }
    }

    /**
     * The rule's check of one group: a full path, so that it names one group wherever it sits.
     *
     * @param group a group path such as {@code /staff/engineering}
     * @throws IllegalArgumentException when it is not a full path
     */
    public static void requireGroupPath(String group) {
        if (group == null || !group.startsWith("/")) {
            throw new IllegalArgumentException("group " + group + " must be a full path such as /staff");
        }
    }

    /**
     * Checks that the rule's scope exists: a rule for a scope that does not (a typo such as
     * "wirte") protects nothing while the real scope stays open.
     *
     * @param realmScopes the names of the realm's client scopes
     * @throws IllegalArgumentException naming the scope
     */
    public void requireScopeAmong(Set<String> realmScopes) {
        if (!realmScopes.contains(scope)) {
            throw new IllegalArgumentException("scope '" + scope + "' does not exist in this realm");
        }
    }

    boolean isForAnyClient() {
        return clients.isEmpty();
    }

    boolean isFor(String clientId) {
        return clients.contains(clientId);
    }

    /** Empty when the requester may obtain the scope; otherwise the one-line reason why not. */
    Optional<String> refusalFor(Requester requester) {
        // A grant the caller could not name never matches a grantTypes list (fail closed, never a 500).
        if (!grantTypes.isEmpty() && (requester.grantType() == null || !grantTypes.contains(requester.grantType()))) {
            return Optional.of("not available through " + (requester.grantType() == null ? "this grant" : requester.grantType()));
        }
        if (namesNobody() || admitsSubject(requester)) {
            return Optional.empty();
        }
        return Optional.of("requires " + describeWho());
    }

    private boolean namesNobody() {
        return realmRoles.isEmpty() && clientRoles.isEmpty() && groups.isEmpty() && awsPrincipals.isEmpty();
    }

    private boolean admitsSubject(Requester requester) {
        return realmRoles.stream().anyMatch(requester.realmRoles()::contains)
                || clientRoles.entrySet().stream().anyMatch(e -> e.getValue().stream()
                        .anyMatch(role -> requester.hasClientRole(e.getKey(), role)))
                || groups.stream().anyMatch(requester::isInGroupOrBelow)
                || requester.aws().map(aws -> awsPrincipals.stream().anyMatch(p -> p.admits(aws))).orElse(false);
    }

    private String describeWho() {
        StringBuilder who = new StringBuilder();
        realmRoles.stream().sorted().forEach(r -> append(who, "role " + r));
        clientRoles.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> e.getValue().stream().sorted().forEach(r -> append(who, "role " + e.getKey() + "/" + r)));
        groups.stream().sorted().forEach(g -> append(who, "group " + g));
        if (!awsPrincipals.isEmpty()) {
            append(who, "an allowed AWS principal");
        }
        return who.toString();
    }

    private static void append(StringBuilder who, String item) {
        who.append(who.length() == 0 ? "" : " or ").append(item);
    }
}
