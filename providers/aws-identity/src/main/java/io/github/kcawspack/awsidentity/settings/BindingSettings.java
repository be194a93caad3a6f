package io.github.kcawspack.awsidentity.settings;

import io.github.kcawspack.awsidentity.principal.AwsPartitions;
import io.github.kcawspack.awsidentity.principal.PrincipalBinding;
import io.github.kcawspack.awsidentity.principal.PrincipalType;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
                    read.list(ROLES)));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(relabel(e.getMessage()));
        }
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
        return Collections.unmodifiableMap(labels);
    }
}
