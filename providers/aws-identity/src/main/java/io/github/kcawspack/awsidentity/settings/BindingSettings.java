package io.github.kcawspack.awsidentity.settings;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.kcawspack.awsidentity.principal.AwsPartitions;
import io.github.kcawspack.awsidentity.principal.PrincipalBinding;
import io.github.kcawspack.awsidentity.principal.PrincipalType;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One principal binding as an admin-console item (one realm component on the
 * "aws-principal-bindings" page): its priority and the binding it holds. The fields are those of
 * the JSON bindings of earlier versions, under the same names, plus {@code priority}: bindings are
 * tried lowest priority first and the first match wins, so the order is explicit and never the
 * order in which components happen to be stored.
 *
 * @param priority where the binding is tried, lowest first; unique within a realm
 * @param binding  the validated binding
 */
public record BindingSettings(int priority, PrincipalBinding binding) {

    public static final String PRIORITY = "priority";
    public static final String PARTITION = "partition";
    public static final String ACCOUNT = "account";
    public static final String TYPE = "type";
    public static final String NAME_PATTERN = "namePattern";
    public static final String UNIQUE_ID = "uniqueId";
    public static final String PROVISION_USERS = "provisionUsers";
    public static final String GROUPS = "groups";
    public static final String ROLES = "roles";
    public static final String ORG_ID = "orgId";
    public static final String OU_PATH_PREFIX = "ouPathPrefix";
    /**
     * The console's key/value rows (a {@code Map} field), which it stores as one value: a JSON
     * array of {@code {"key": ..., "value": ...}} objects, the rows with an empty key left out.
     */
    public static final String PRINCIPAL_TAGS = "principalTags";

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    public static final long MAX_PRIORITY = 1_000_000;

    /** Console labels by key, in the order the console shows the fields. */
    static final Map<String, String> LABELS = labels();

    /**
     * Reads one binding item's configuration.
     *
     * @param config the component's configuration (key to values)
     * @return the priority and the binding
     * @throws IllegalArgumentException naming the field (by its console label) and what it expects
     */
    public static BindingSettings from(Map<String, List<String>> config) {
        ComponentConfig read = new ComponentConfig(config, LABELS);
        int priority = (int) read.number(PRIORITY, 0, MAX_PRIORITY, -1);
        if (priority < 0) {
            throw new IllegalArgumentException(read.label(PRIORITY) + " is required: a whole number from 0 to "
                    + MAX_PRIORITY + "; bindings are tried lowest first and the first match wins");
        }
        String account = read.required(ACCOUNT, "the 12-digit AWS account ID");
        String type = read.required(TYPE, "role or user");
        PrincipalType principalType = switch (type) {
            case "role" -> PrincipalType.ROLE;
            case "user" -> PrincipalType.USER;
            default -> throw new IllegalArgumentException(read.label(TYPE) + " must be role or user");
        };
        String namePattern = read.required(NAME_PATTERN, "the IAM role or user name, * and ? as wildcards");
        try {
            return new BindingSettings(priority, new PrincipalBinding(
                    read.single(PARTITION).orElse(AwsPartitions.DEFAULT),
                    account,
                    principalType,
                    namePattern,
                    read.single(UNIQUE_ID),
                    read.bool(PROVISION_USERS, false),
                    read.list(GROUPS),
                    read.list(ROLES),
                    read.single(ORG_ID),
                    read.single(OU_PATH_PREFIX),
                    principalTags(read)));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(relabel(e.getMessage()));
        }
    }

    /**
     * The console's key/value rows of {@link #PRINCIPAL_TAGS}; blank or {@code []} is none.
     *
     * @throws IllegalArgumentException when the value is not such rows, or names a key twice
     */
    private static Map<String, String> principalTags(ComponentConfig read) {
        Optional<String> stored = read.single(PRINCIPAL_TAGS);
        if (stored.isEmpty()) {
            return Map.of();
        }
        String expected = read.label(PRINCIPAL_TAGS) + " must be key and value rows, each key once";
        JsonNode rows;
        try {
            rows = JSON.readTree(stored.get());
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(expected);
        }
        if (rows == null || !rows.isArray()) {
            throw new IllegalArgumentException(expected);
        }
        Map<String, String> tags = new LinkedHashMap<>();
        for (JsonNode row : rows) {
            JsonNode key = row.get("key");
            JsonNode value = row.get("value");
            if (!row.isObject() || row.size() > 2 || key == null || !key.isTextual()
                    || (value != null && !value.isNull() && !value.isTextual())) {
                throw new IllegalArgumentException(expected);
            }
            if (tags.put(key.textValue(), value == null || value.isNull() ? "" : value.textValue()) != null) {
                throw new IllegalArgumentException(expected);
            }
        }
        return tags;
    }

    /**
     * {@link PrincipalBinding} says {@code field: rule} (or {@code field[i]: rule}) in the words of
     * the JSON format; the console shows labels, so the message names the label.
     */
    static String relabel(String message) {
        int colon = message.indexOf(": ");
        if (colon < 0) {
            return message;
        }
        String field = message.substring(0, colon);
        String key = field.contains("[") ? field.substring(0, field.indexOf('[')) : field;
        String label = LABELS.get(key);
        if (label == null) {
            return message;
        }
        String rule = message.substring(colon + 2).replace("\"", "");
        String item = key.equals(field) ? "" : " (item " + (Integer.parseInt(field.replaceAll("[^0-9]", "")) + 1) + ")";
        return label + item + " " + rule;
    }

    private static Map<String, String> labels() {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(PRIORITY, "Priority");
        labels.put(PARTITION, "Partition");
        labels.put(ACCOUNT, "Account ID");
        labels.put(TYPE, "Principal type");
        labels.put(NAME_PATTERN, "Name pattern");
        labels.put(UNIQUE_ID, "Unique ID");
        labels.put(PROVISION_USERS, "Create users on first login");
        labels.put(GROUPS, "Groups");
        labels.put(ROLES, "Realm roles");
        labels.put(ORG_ID, "Organization ID");
        labels.put(OU_PATH_PREFIX, "OU path prefix");
        labels.put(PRINCIPAL_TAGS, "Principal tags");
        return Collections.unmodifiableMap(labels);
    }
}
