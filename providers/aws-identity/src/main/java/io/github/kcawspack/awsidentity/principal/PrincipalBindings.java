package io.github.kcawspack.awsidentity.principal;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A realm's bindings, in order, parsed from the JSON array stored in its configuration:
 * <pre>{@code
 * [{"account":"123456789012","type":"role","namePattern":"deploy-*","provisionUsers":true,
 *   "groups":["/aws"],"roles":["deployer"]},
 *  {"partition":"aws-us-gov","account":"123456789012","type":"user","namePattern":"ci-bot",
 *   "uniqueId":"AIDAEXAMPLE"}]
 * }</pre>
 *
 * <p>Parsing is strict so that a typo cannot quietly widen or unpin a rule: unknown or duplicate
 * fields, wrong JSON types and invalid values are refused with an {@link IllegalArgumentException}
 * whose message names the binding and field ({@code bindings[1].uniqueId: ...}) and never echoes
 * the configured values. A blank configuration is no bindings, which admits no one.
 */
public final class PrincipalBindings {

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private static final Set<String> FIELDS = Set.of(
            "partition", "account", "type", "namePattern", "uniqueId", "provisionUsers", "groups", "roles");
    private static final int MAX_BINDINGS = 1000;

    private final List<PrincipalBinding> bindings;

    public PrincipalBindings(List<PrincipalBinding> bindings) {
        this.bindings = List.copyOf(bindings);
    }

    public static PrincipalBindings none() {
        return new PrincipalBindings(List.of());
    }

    public static PrincipalBindings parse(String json) {
        if (json == null || json.isBlank()) {
            return none();
        }
        JsonNode root = readTree(json);
        if (!root.isArray()) {
            throw new IllegalArgumentException("bindings: must be a JSON array of binding objects");
        }
        if (root.size() > MAX_BINDINGS) {
            throw new IllegalArgumentException("bindings: at most " + MAX_BINDINGS + " bindings are allowed");
        }
        List<PrincipalBinding> parsed = new ArrayList<>();
        for (int index = 0; index < root.size(); index++) {
            parsed.add(bindingAt(index, root.get(index)));
        }
        return new PrincipalBindings(parsed);
    }

    /**
     * The first binding, in configured order, that admits {@code principal} as STS
     * GetCallerIdentity reports it: bindings with organization or tag conditions never do.
     */
    public Optional<PrincipalBinding> firstMatch(AwsPrincipal principal) {
        return firstMatch(principal, Optional.empty());
    }

    /**
     * @param context what an AWS-issued token says of the principal's organization and tags, or
     *        empty when nothing vouches for it
     * @return the first binding, in configured order, that admits {@code principal}
     */
    public Optional<PrincipalBinding> firstMatch(AwsPrincipal principal, Optional<OrganizationContext> context) {
        return bindings.stream().filter(binding -> binding.matches(principal, context)).findFirst();
    }

    public List<PrincipalBinding> bindings() {
        return bindings;
    }

    private static JsonNode readTree(String json) {
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            // Jackson's own message quotes the input; only the position is passed on.
            JsonLocation where = e.getLocation();
            throw new IllegalArgumentException("bindings: not valid JSON (syntax error, duplicate field or trailing "
                    + "content)" + (where == null ? "" : " at line " + where.getLineNr() + ", column "
                    + where.getColumnNr()));
        }
    }

    private static PrincipalBinding bindingAt(int index, JsonNode node) {
        String where = "bindings[" + index + "]";
        if (!node.isObject()) {
            throw new IllegalArgumentException(where + ": must be a JSON object");
        }
        try {
            refuseUnknownFields(node);
            return new PrincipalBinding(
                    optionalText(node, "partition").orElse(AwsPartitions.DEFAULT),
                    requiredText(node, "account"),
                    principalType(node),
                    requiredText(node, "namePattern"),
                    optionalText(node, "uniqueId"),
                    optionalBoolean(node, "provisionUsers"),
                    textList(node, "groups"),
                    textList(node, "roles"));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + "." + e.getMessage());
        }
    }

    private static void refuseUnknownFields(JsonNode node) {
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                throw new IllegalArgumentException(printable(name) + ": unknown field (known: partition, account, "
                        + "type, namePattern, uniqueId, provisionUsers, groups, roles)");
            }
        }
    }

    private static PrincipalType principalType(JsonNode node) {
        return switch (requiredText(node, "type")) {
            case "role" -> PrincipalType.ROLE;
            case "user" -> PrincipalType.USER;
            default -> throw new IllegalArgumentException("type: must be \"role\" or \"user\"");
        };
    }

    private static String requiredText(JsonNode node, String field) {
        return optionalText(node, field)
                .orElseThrow(() -> new IllegalArgumentException(field + ": is required"));
    }

    /** Absent and {@code null} both mean "not set"; any JSON type but a string is refused. */
    private static Optional<String> optionalText(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isTextual()) {
            // A number would lose an account's leading zeros; nothing is coerced.
            throw new IllegalArgumentException(field + ": must be a JSON string");
        }
        return Optional.of(value.textValue());
    }

    private static boolean optionalBoolean(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return false;
        }
        if (!value.isBoolean()) {
            throw new IllegalArgumentException(field + ": must be true or false");
        }
        return value.booleanValue();
    }

    private static List<String> textList(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return List.of();
        }
        if (!value.isArray()) {
            throw new IllegalArgumentException(field + ": must be a JSON array of strings");
        }
        List<String> items = new ArrayList<>();
        for (int i = 0; i < value.size(); i++) {
            if (!value.get(i).isTextual()) {
                throw new IllegalArgumentException(field + "[" + i + "]: must be a JSON string");
            }
            items.add(value.get(i).textValue());
        }
        return items;
    }

    /** An unknown field name is shown to help find the typo, but only as harmless characters. */
    private static String printable(String name) {
        String shown = name.length() > 40 ? name.substring(0, 40) + "..." : name;
        return "\"" + shown.replaceAll("[^A-Za-z0-9_.-]", "?") + "\"";
    }
}
