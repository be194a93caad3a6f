package io.github.kcawspack.scopepolicy.enforcement;

import io.github.kcawspack.scopepolicy.model.Requester;
import io.github.kcawspack.scopepolicy.model.ScopePolicy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Decides one request's scopes and says how to continue. Enforcement works by narrowing the
 * scope parameter before Keycloak builds the client session context from it: everything Keycloak
 * derives from that context (the token's scope, protocol mappers, role scope mappings, the consent
 * page, and later userinfo and introspection, which rebuild it from the token's scope) then
 * agrees, without touching Keycloak's token code.
 *
 * <p>Keycloak adds a client's <em>default</em> scopes to every request whatever the parameter
 * says, so a withheld default scope cannot be narrowed away. Such a request is refused (fail
 * closed) and the operator is told, once per request, to make the scope optional for that client.
 */
public final class ScopeGate {

    private static final Logger LOG = Logger.getLogger(ScopeGate.class);

    private ScopeGate() {
    }

    /**
     * @param defaultScopes  names of the client's default client scopes (always in the token)
     * @param optionalScopes names of the client's optional client scopes (in the token when asked for)
     * @param scopeParameter the scope parameter as Keycloak accepted it (may be null)
     */
    public static GateResult evaluate(ScopePolicy policy, String clientId, Set<String> defaultScopes,
                                      Set<String> optionalScopes, String scopeParameter, Requester requester) {
        List<String> asked = tokens(scopeParameter);
        // What the token would carry: every default scope, plus the optional scopes asked for, each
        // word judged as the client scope it names. Other words (openid, unknown names Keycloak
        // already refused) carry no scope.
        Set<String> effective = new LinkedHashSet<>(defaultScopes);
        asked.stream().map(word -> clientScopeOf(word, defaultScopes, optionalScopes)).filter(Objects::nonNull).forEach(effective::add);

        ScopePolicy.Decision decision = policy.decide(clientId, new ArrayList<>(effective), requester);
        if (decision.rejected()) {
            String scope = decision.rejectedScope().orElseThrow();
            return new GateResult(scopeParameter, decision.withheld(), Optional.of(notPermitted(scope)));
        }
        Optional<String> withheldDefault = decision.withheld().keySet().stream().filter(defaultScopes::contains).findFirst();
        if (withheldDefault.isPresent()) {
            LOG.warnf("Refused a token for client %s: the policy withholds scope %s, which is a default scope of the client "
                    + "and cannot be left out; make it an optional client scope of %s", clientId, withheldDefault.get(), clientId);
            return new GateResult(scopeParameter, decision.withheld(), Optional.of(notPermitted(withheldDefault.get())));
        }
        if (decision.withheld().isEmpty()) {
            return new GateResult(scopeParameter, Map.of(), Optional.empty());
        }
        String narrowed = asked.stream()
                .filter(word -> !decision.withheld().containsKey(clientScopeOf(word, defaultScopes, optionalScopes)))
                .collect(Collectors.joining(" "));
        return new GateResult(narrowed, new LinkedHashMap<>(decision.withheld()), Optional.empty());
    }

    /**
     * The client scope a scope word resolves to, as Keycloak resolves it: the scope of that name,
     * or for a parameterized word ({@code organization:acme}, {@code organization:*}, a dynamic
     * scope's {@code name:param}) the scope named before the first colon. Null for words that name
     * no client scope of the client.
     */
    static String clientScopeOf(String word, Set<String> defaultScopes, Set<String> optionalScopes) {
        if (optionalScopes.contains(word) || defaultScopes.contains(word)) {
            return word;
        }
        int colon = word.indexOf(':');
        if (colon > 0) {
            String base = word.substring(0, colon);
            if (optionalScopes.contains(base) || defaultScopes.contains(base)) {
                return base;
            }
        }
        return null;
    }

    /** The scope-token list of RFC 6749 section 3.3, each word once, in order. */
    static List<String> tokens(String scopeParameter) {
        if (scopeParameter == null) {
            return List.of();
        }
        return List.copyOf(Arrays.stream(scopeParameter.split(" "))
                .filter(word -> !word.isEmpty())
                .collect(Collectors.toCollection(LinkedHashSet::new)));
    }

    private static String notPermitted(String scope) {
        return "scope '" + scope + "' is not permitted for this request";
    }
}
