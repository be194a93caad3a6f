package io.github.kcawspack.scopepolicy.model;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A realm's restricted-scope rules. A scope with rules is granted when any of its rules admits
 * the requester; one the rules refuse is withheld, and fails the request when any refusing
 * rule is in reject mode. In strict mode a scope no rule covers is withheld too.
 *
 * <p>Rules naming a client replace, for that client and that scope, the rules naming no client:
 * the most specific rules decide, so one client can be stricter (or looser) than the realm.
 *
 * @param allowedGrantTypes grant types the pack does not know how to judge that the operator lets
 *                          through anyway (their tokens are still judged when Keycloak builds them);
 *                          empty by default, so an unknown grant is refused while a policy is active
 */
public record ScopePolicy(List<ScopeRule> rules, Mode defaultMode, boolean strict, Set<String> allowedGrantTypes) {

    public ScopePolicy {
        rules = List.copyOf(rules);
        allowedGrantTypes = Set.copyOf(allowedGrantTypes);
    }

    public ScopePolicy(List<ScopeRule> rules, Mode defaultMode, boolean strict) {
        this(rules, defaultMode, strict, Set.of());
    }

    /**
     * Checks that every scope a rule names is among {@code realmScopes}: a rule for a scope that
     * does not exist (a typo such as "wirte") protects nothing while the real scope stays open, so
     * such a policy is refused on save and, when imported, fails closed.
     *
     * @throws IllegalArgumentException naming the first such rule and scope
     */
    public void requireScopesAmong(Set<String> realmScopes) {
        for (int i = 0; i < rules.size(); i++) {
            try {
                rules.get(i).requireScopeAmong(realmScopes);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("rules[" + i + "]: " + e.getMessage());
            }
        }
    }

    /** What the policy decides for one request. */
    public record Decision(Set<String> granted, Map<String, String> withheld, Optional<String> rejectedScope) {
        public boolean rejected() {
            return rejectedScope.isPresent();
        }
    }

    /**
     * @param clientId        the client asking
     * @param requestedScopes the scopes the client asked for, in order; repeats count once and
     *                        scope names are case-sensitive (RFC 6749 section 3.3)
     */
    public Decision decide(String clientId, List<String> requestedScopes, Requester requester) {
        Set<String> granted = new LinkedHashSet<>();
        Map<String, String> withheld = new LinkedHashMap<>();
        Optional<String> rejected = Optional.empty();
        for (String scope : new LinkedHashSet<>(requestedScopes)) {
            List<ScopeRule> covering = rulesFor(clientId, scope);
            if (covering.isEmpty()) {
                if (strict) {
                    withheld.put(scope, "not covered by any rule");
                    rejected = rejected.or(() -> defaultMode == Mode.REJECT ? Optional.of(scope) : Optional.empty());
                } else {
                    granted.add(scope);
                }
                continue;
            }
            List<String> refusals = new ArrayList<>();
            boolean admitted = false;
            boolean reject = false;
            for (ScopeRule rule : covering) {
                Optional<String> refusal = rule.refusalFor(requester);
                if (refusal.isEmpty()) {
                    admitted = true;
                    break;
                }
                refusals.add(refusal.get());
                reject |= rule.mode().orElse(defaultMode) == Mode.REJECT;
            }
            if (admitted) {
                granted.add(scope);
            } else {
                withheld.put(scope, String.join("; ", refusals));
                if (reject && rejected.isEmpty()) {
                    rejected = Optional.of(scope);
                }
            }
        }
        return new Decision(granted, withheld, rejected);
    }

    private List<ScopeRule> rulesFor(String clientId, String scope) {
        List<ScopeRule> forScope = rules.stream().filter(rule -> rule.scope().equals(scope)).toList();
        List<ScopeRule> forThisClient = forScope.stream().filter(rule -> rule.isFor(clientId)).toList();
        return forThisClient.isEmpty() ? forScope.stream().filter(ScopeRule::isForAnyClient).toList() : forThisClient;
    }
}
