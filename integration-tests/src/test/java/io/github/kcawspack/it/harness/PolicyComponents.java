package io.github.kcawspack.it.harness;

import static io.github.kcawspack.it.harness.OAuthClient.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * A realm's restricted-scope policy through the admin REST API, stored the way the console stores
 * it: one component per rule (provider {@value #RULES}) and one settings component (provider
 * {@value #SETTINGS}), both of type {@value #PAGE_TYPE} under the realm. Tests write policies in
 * the compact JSON of earlier versions ({@code {"mode": ..., "rules": [...]}}) and this class
 * turns them into those components, field for field as README's table of fields says, so a test
 * reads as before while the server only ever sees components.
 */
public final class PolicyComponents {

    public static final String PAGE_TYPE = "org.keycloak.services.ui.extend.UiPageProvider";
    public static final String RULES = "restricted-scope-rules";
    public static final String SETTINGS = "restricted-scope-settings";

    private static final ObjectMapper JSON = new ObjectMapper();

    private PolicyComponents() {
    }

    /**
     * The components a policy document stands for: the settings item first, then one per rule.
     *
     * @param policyJson {@code {"mode", "strict", "allowGrantTypes", "rules"}}; rules as in README
     * @param enabled    the settings item's {@code enabled}
     * @return component representations without parentId
     */
    public static List<ObjectNode> components(String policyJson, boolean enabled) {
        JsonNode policy = read(policyJson);
        List<ObjectNode> components = new ArrayList<>();
        ObjectNode settings = component(SETTINGS, "settings");
        ObjectNode config = settings.putObject("config");
        config.putArray("enabled").add(Boolean.toString(enabled));
        config.putArray("mode").add(policy.path("mode").asText("filter"));
        config.putArray("strict").add(Boolean.toString(policy.path("strict").asBoolean(false)));
        copyList(policy, "allowGrantTypes", config);
        components.add(settings);
        for (JsonNode rule : policy.path("rules")) {
            components.add(rule(rule));
        }
        return components;
    }

    /** One rule of the compact JSON as its component representation (without parentId). */
    public static ObjectNode rule(JsonNode rule) {
        ObjectNode component = component(RULES, rule.path("scope").asText());
        ObjectNode config = component.putObject("config");
        config.putArray("scope").add(rule.path("scope").asText());
        for (String list : List.of("clients", "realmRoles", "groups", "grantTypes")) {
            copyList(rule, list, config);
        }
        if (rule.has("clientRoles")) {
            ArrayNode roles = config.putArray("clientRoles");
            for (Iterator<Map.Entry<String, JsonNode>> it = rule.get("clientRoles").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> client = it.next();
                client.getValue().forEach(role -> roles.add(client.getKey() + "/" + role.asText()));
            }
        }
        if (rule.has("awsPrincipals")) {
            ArrayNode aws = config.putArray("awsPrincipals");
            rule.get("awsPrincipals").forEach(p -> aws.add(p.path("account").asText() + ":" + p.path("type").asText() + "/"
                    + p.path("name").asText()));
        }
        config.putArray("mode").add(rule.path("mode").asText("settings"));
        return component;
    }

    /** Replaces the realm's policy items with those {@code policyJson} stands for (enabled); fails on any refusal. */
    public static void replace(KeycloakServer server, String realm, String policyJson) {
        clear(server, realm);
        for (ObjectNode component : components(policyJson, true)) {
            create(server, realm, component);
        }
    }

    /** Deletes the realm's policy items (rules and settings): the realm then has no policy. */
    public static void clear(KeycloakServer server, String realm) {
        for (JsonNode item : items(server, realm)) {
            admin(server, "DELETE", "/admin/realms/" + realm + "/components/" + item.get("id").asText(), null);
        }
    }

    /** The realm's policy items, rules and settings, as the admin REST API returns them. */
    public static List<JsonNode> items(KeycloakServer server, String realm) {
        List<JsonNode> items = new ArrayList<>();
        for (JsonNode item : read(admin(server, "GET", "/admin/realms/" + realm + "/components?parent=" + realmId(server, realm)
                + "&type=" + PAGE_TYPE, null))) {
            if (RULES.equals(item.path("providerId").asText()) || SETTINGS.equals(item.path("providerId").asText())) {
                items.add(item);
            }
        }
        return items;
    }

    /** Creates one item (parentId and type filled in); returns its id. Fails on a refusal. */
    public static String create(KeycloakServer server, String realm, ObjectNode component) {
        component.put("parentId", realmId(server, realm)).put("providerType", PAGE_TYPE);
        TreeSet<String> before = ids(server, realm);
        admin(server, "POST", "/admin/realms/" + realm + "/components", component.toString());
        TreeSet<String> after = ids(server, realm);
        after.removeAll(before);
        return after.first();
    }

    /** Changes the realm's settings item (which must exist) with {@code change} applied to its config. */
    public static void updateSettings(KeycloakServer server, String realm, Consumer<ObjectNode> change) {
        ObjectNode settings = (ObjectNode) items(server, realm).stream()
                .filter(item -> SETTINGS.equals(item.path("providerId").asText())).findFirst()
                .orElseThrow(() -> new AssertionError("realm " + realm + " has no " + SETTINGS + " item"));
        change.accept((ObjectNode) settings.get("config"));
        admin(server, "PUT", "/admin/realms/" + realm + "/components/" + settings.get("id").asText(), settings.toString());
    }

    /** The realm's internal id, the components' parentId. */
    public static String realmId(KeycloakServer server, String realm) {
        return read(admin(server, "GET", "/admin/realms/" + realm, null)).get("id").asText();
    }

    private static TreeSet<String> ids(KeycloakServer server, String realm) {
        TreeSet<String> ids = new TreeSet<>();
        items(server, realm).forEach(item -> ids.add(item.get("id").asText()));
        return ids;
    }

    private static ObjectNode component(String providerId, String name) {
        return JSON.createObjectNode().put("name", name).put("providerId", providerId).put("providerType", PAGE_TYPE);
    }

    private static void copyList(JsonNode from, String field, ObjectNode config) {
        if (from.has(field)) {
            ArrayNode values = config.putArray(field);
            from.get(field).forEach(value -> values.add(value.asText()));
        }
    }

    private static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
