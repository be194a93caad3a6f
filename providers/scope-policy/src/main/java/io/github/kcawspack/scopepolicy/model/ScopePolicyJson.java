package io.github.kcawspack.scopepolicy.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads a policy from the JSON an operator writes, e.g.
 * <pre>{"mode": "filter", "strict": false, "rules": [
 *   {"scope": "write", "realmRoles": ["writer"]},
 *   {"scope": "write", "clients": ["web-app"], "realmRoles": ["writer"], "mode": "reject"},
 *   {"scope": "deploy", "awsPrincipals": [{"account": "123456789012", "type": "role", "name": "deployer"}],
 *    "grantTypes": ["aws_identity"], "mode": "reject"}],
 *  "allowGrantTypes": ["urn:ietf:params:oauth:grant-type:uma-ticket"]}</pre>
 * Unknown fields are errors: a misspelt "realmRole" must not silently open a scope to everyone.
 *
 * <p>Since issue 16 this is the format of earlier versions only (a JSON string in the required
 * action's config): {@code config.LegacyPolicyMigration} reads it once per realm and writes the
 * policy as realm components.
 */
public final class ScopePolicyJson {

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    record PolicyDoc(String mode, Boolean strict, List<RuleDoc> rules, List<String> allowGrantTypes) {
    }

    record RuleDoc(String scope, List<String> clients, List<String> realmRoles, Map<String, List<String>> clientRoles, List<String> groups,
                   List<AwsDoc> awsPrincipals, List<String> grantTypes, String mode) {
    }

    record AwsDoc(String account, String type, String name) {
    }

    private ScopePolicyJson() {
    }

    /**
     * @param json the policy document
     * @return the policy it describes
     * @throws IllegalArgumentException naming the field and where it stands, never a value
     */
    public static ScopePolicy parse(String json) {
        PolicyDoc doc;
        try {
            doc = JSON.readValue(json, PolicyDoc.class);
        } catch (UnrecognizedPropertyException e) {
            // The field's name and where it stands, never a value: "unknown field realmRole at rules[0]".
            throw new IllegalArgumentException("unknown field " + e.getPropertyName() + " at " + path(e)
                    + " (a misspelt field must not open a scope to everyone)");
        } catch (JsonProcessingException e) {
            // Jackson's own message may quote the input; name only the location.
            throw new IllegalArgumentException("policy is not valid JSON of the documented shape (line "
                    + (e.getLocation() == null ? "?" : e.getLocation().getLineNr()) + ")");
        }
        if (doc == null || doc.rules() == null) {
            throw new IllegalArgumentException("policy needs a rules list");
        }
        List<ScopeRule> rules = new ArrayList<>();
        for (int i = 0; i < doc.rules().size(); i++) {
            try {
                rules.add(rule(doc.rules().get(i)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("rules[" + i + "]: " + e.getMessage());
            }
        }
        for (String grantType : orEmpty(doc.allowGrantTypes())) {
            if (grantType == null || grantType.isBlank()) {
                throw new IllegalArgumentException("allowGrantTypes: a grant type must be a non-empty string");
            }
        }
        return new ScopePolicy(rules, mode(doc.mode()).orElse(Mode.FILTER), Boolean.TRUE.equals(doc.strict()),
                Set.copyOf(orEmpty(doc.allowGrantTypes())));
    }

    private static ScopeRule rule(RuleDoc doc) {
        if (doc == null) {
            throw new IllegalArgumentException("a rule must be an object");
        }
        Map<String, Set<String>> clientRoles = new java.util.HashMap<>();
        orEmpty(doc.clientRoles()).forEach((client, roles) -> clientRoles.put(client, Set.copyOf(roles)));
        List<AwsPrincipalPattern> aws = new ArrayList<>();
        for (AwsDoc a : orEmpty(doc.awsPrincipals())) {
            aws.add(new AwsPrincipalPattern(a.account(), a.type(), a.name()));
        }
        return new ScopeRule(doc.scope(), Set.copyOf(orEmpty(doc.clients())), Set.copyOf(orEmpty(doc.realmRoles())), clientRoles,
                Set.copyOf(orEmpty(doc.groups())), aws, Set.copyOf(orEmpty(doc.grantTypes())), mode(doc.mode()));
    }

    private static Optional<Mode> mode(String value) {
        return value == null ? Optional.empty() : Optional.of(Mode.parse(value));
    }

    private static <T> List<T> orEmpty(List<T> list) {
        return list == null ? List.of() : list;
    }

    private static <K, V> Map<K, V> orEmpty(Map<K, V> map) {
        return map == null ? Map.of() : map;
    }

    /** Where a field stands, as {@code rules[0]} or {@code the policy}, from Jackson's reference path. */
    private static String path(UnrecognizedPropertyException e) {
        StringBuilder path = new StringBuilder();
        List<com.fasterxml.jackson.databind.JsonMappingException.Reference> refs = e.getPath();
        for (int i = 0; i < refs.size() - 1; i++) {
            var ref = refs.get(i);
            if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            } else if (ref.getFieldName() != null) {
                path.append(path.length() == 0 ? "" : ".").append(ref.getFieldName());
            }
        }
        return path.length() == 0 ? "the policy" : path.toString();
    }
}
