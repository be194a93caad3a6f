package io.github.kcawspack.scopepolicy.model;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One client's scope semantics (RFC 6749 section 3.3) and its default scopes, which are optional
 * client scopes of that client in Keycloak's terms.
 *
 * @param semantics     how the scope parameter is completed
 * @param defaultScopes the client scopes a request gets by default (their order carries no meaning)
 */
public record ClassicScopes(ScopeSemantics semantics, List<String> defaultScopes) {

    /** Keycloak's own semantics, for every client without a setting. */
    public static final ClassicScopes KEYCLOAK = new ClassicScopes(ScopeSemantics.KEYCLOAK, List.of());

    public ClassicScopes {
        defaultScopes = List.copyOf(defaultScopes);
    }

    /**
     * The scope parameter Keycloak should go on with, before any restricted-scope policy narrows it.
     * Words that name none of the client's optional scopes ({@code openid}, Keycloak's default
     * scopes) are kept as they are and do not count as naming a scope: {@code scope=openid} gets
     * the defaults like an absent parameter. A word {@code name:param} names the scope {@code name}.
     *
     * @param scopeParameter the request's scope parameter, possibly null
     * @param optionalScopes names of the client's optional client scopes
     * @return the completed parameter: unchanged for {@link ScopeSemantics#KEYCLOAK} and for an
     *         RFC 6749 request naming an optional scope; with the defaults added (RFC 6749, no
     *         optional scope named) or in place of the named optional scopes (always-defaults);
     *         null when the request had none and nothing was added
     */
    public String complete(String scopeParameter, Set<String> optionalScopes) {
        if (semantics == ScopeSemantics.KEYCLOAK) {
            return scopeParameter;
        }
        List<String> words = scopeParameter == null ? List.of()
                : Arrays.stream(scopeParameter.split(" ")).filter(w -> !w.isEmpty()).distinct().toList();
        boolean namesOptional = words.stream().anyMatch(w -> namesOptional(w, optionalScopes));
        if (semantics == ScopeSemantics.RFC6749 && namesOptional) {
            return scopeParameter;
        }
        Set<String> completed = new LinkedHashSet<>();
        words.stream().filter(w -> !namesOptional(w, optionalScopes)).forEach(completed::add);
        completed.addAll(defaultScopes);
        if (completed.isEmpty()) {
            return scopeParameter;
        }
        return completed.stream().collect(Collectors.joining(" "));
    }

    private static boolean namesOptional(String word, Set<String> optionalScopes) {
        if (optionalScopes.contains(word)) {
            return true;
        }
        int colon = word.indexOf(':');
        return colon > 0 && optionalScopes.contains(word.substring(0, colon));
    }
}
