package io.github.kcawspack.it.harness;

import com.fasterxml.jackson.annotation.JsonInclude;
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
import java.util.function.Consumer;
import org.keycloak.admin.client.CreatedResponseUtil;
import org.keycloak.admin.client.resource.ComponentsResource;
import org.keycloak.representations.idm.ComponentRepresentation;

/**
 * A realm's restricted-scope policy through the admin REST API, stored the way the console stores
 * it: one component per rule (provider {@value #RULES}) and one settings component (provider
 * {@value #SETTINGS}), both of type {@value #PAGE_TYPE} under the realm. Tests write policies in
 * the compact JSON of earlier versions ({@code {"mode": ..., "rules": [...]}}) and this class
 * turns them into those components, field for field as README's table of fields says, so a test
 * reads as before while the server only ever sees components. The calls go through Keycloak's
 * admin client ({@link KeycloakServer#admin()}); items are handed to and from tests as the JSON
 * the admin REST API reads and writes.
 */
public final class PolicyComponents {

    public static final String PAGE_TYPE = "org.keycloak.services.ui.extend.UiPageProvider";
    public static final String RULES = "restricted-scope-rules";
    public static final String SETTINGS = "restricted-scope-settings";
    public static final String CLASSIC_SCOPES = "classic-scope-semantics";

    /** Leaves out unset fields, as Keycloak's own JSON does, so an item read back can be sent back as it is. */
    private static final ObjectMapper JSON = new ObjectMapper().setSerializationInclusion(JsonInclude.Include.NON_NULL);

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
        ComponentsResource components = components(server, realm);
        for (JsonNode item : items(server, realm)) {
            components.component(item.get("id").asText()).remove();
        }
    }

    /** The realm's policy items, rules and settings, as the admin REST API returns them. */
    public static List<JsonNode> items(KeycloakServer server, String realm) {
        List<JsonNode> items = new ArrayList<>();
        for (ComponentRepresentation item : components(server, realm).query(realmId(server, realm), PAGE_TYPE)) {
            if (RULES.equals(item.getProviderId()) || SETTINGS.equals(item.getProviderId())) {
                items.add(JSON.valueToTree(item));
            }
        }
        return items;
    }

    /** Creates one item (parentId and type filled in); returns its id. Fails on a refusal. */
    public static String create(KeycloakServer server, String realm, ObjectNode component) {
        component.put("parentId", realmId(server, realm)).put("providerType", PAGE_TYPE);
        try (var created = components(server, realm).add(JSON.convertValue(component, ComponentRepresentation.class))) {
            return CreatedResponseUtil.getCreatedId(created);
        }
    }

    /**
     * A {@code classic-scope-semantics} page item (RFC 6749 scope semantics) for one client, as
     * the console saves it; {@link #create} fills in parentId and type.
     */
    public static ObjectNode classicScopes(String clientId, String semantics, String... defaultScopes) {
        ObjectNode item = JSON.createObjectNode().put("name", clientId).put("providerId", CLASSIC_SCOPES);
        ObjectNode config = item.putObject("config");
        config.putArray("clientId").add(clientId);
        config.putArray("semantics").add(semantics);
        ArrayNode defaults = config.putArray("defaultScopes");
        for (String scope : defaultScopes) {
            defaults.add(scope);
        }
        return item;
    }

    /** Changes the realm's settings item (which must exist) with {@code change} applied to its config. */
    public static void updateSettings(KeycloakServer server, String realm, Consumer<ObjectNode> change) {
        ObjectNode settings = (ObjectNode) items(server, realm).stream()
                .filter(item -> SETTINGS.equals(item.path("providerId").asText())).findFirst()
                .orElseThrow(() -> new AssertionError("realm " + realm + " has no " + SETTINGS + " item"));
        change.accept((ObjectNode) settings.get("config"));
        components(server, realm).component(settings.get("id").asText())
                .update(JSON.convertValue(settings, ComponentRepresentation.class));
    }

    /** The realm's internal id, the components' parentId. */
    public static String realmId(KeycloakServer server, String realm) {
        return server.admin().realm(realm).toRepresentation().getId();
    }

    private static ComponentsResource components(KeycloakServer server, String realm) {
        return server.admin().realm(realm).components();
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
