package io.github.kcawspack.it;

import static io.github.kcawspack.it.DemoRealm.REALM;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.kcawspack.it.harness.KeycloakServer;
import io.github.kcawspack.it.harness.OAuthClient;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * The demo realm's aws_identity settings (the configuration of the "aws identity" flow's AWS
 * identity step), read and changed through the admin REST API as an administrator would. Tests
 * that change them restore the original when done, since the server is shared by the whole run.
 */
final class AwsRealmConfig {

    static final String FLOW = "aws identity";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final KeycloakServer server;

    AwsRealmConfig(KeycloakServer server) {
        this.server = server;
    }

    /** The authenticator config representation ({id, alias, config}). */
    ObjectNode read() {
        String executions = OAuthClient.admin(server, "GET", "/admin/realms/" + REALM + "/authentication/flows/"
                + URLEncoder.encode(FLOW, StandardCharsets.UTF_8).replace("+", "%20") + "/executions", null);
        for (JsonNode execution : parse(executions)) {
            if ("aws-identity".equals(execution.path("providerId").asText()) && execution.hasNonNull("authenticationConfig")) {
                return (ObjectNode) parse(OAuthClient.admin(server, "GET", "/admin/realms/" + REALM
                        + "/authentication/config/" + execution.get("authenticationConfig").asText(), null));
            }
        }
        throw new AssertionError("no configured aws-identity step in flow " + FLOW);
    }

    /** PUTs the representation back; throws AssertionError with the server's answer when refused. */
    void write(ObjectNode representation) {
        OAuthClient.admin(server, "PUT", "/admin/realms/" + REALM + "/authentication/config/"
                + representation.get("id").asText(), representation.toString());
    }

    /** The representation with one more binding appended to the bindings list. */
    static ObjectNode withBinding(ObjectNode representation, String bindingJson) {
        ObjectNode copy = representation.deepCopy();
        ObjectNode config = (ObjectNode) copy.get("config");
        ArrayNode bindings = (ArrayNode) parse(config.get("bindings").asText());
        bindings.add(parse(bindingJson));
        config.put("bindings", bindings.toString());
        return copy;
    }

    /** The representation with one more binding put first, where it wins over every other. */
    static ObjectNode withFirstBinding(ObjectNode representation, String bindingJson) {
        ObjectNode copy = representation.deepCopy();
        ObjectNode config = (ObjectNode) copy.get("config");
        ArrayNode bindings = (ArrayNode) parse(config.get("bindings").asText());
        bindings.insert(0, parse(bindingJson));
        config.put("bindings", bindings.toString());
        return copy;
    }

    static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
