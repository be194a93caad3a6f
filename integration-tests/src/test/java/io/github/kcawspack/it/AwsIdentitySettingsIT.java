package io.github.kcawspack.it;

import static io.github.kcawspack.it.DemoRealm.REALM;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.kcawspack.it.fakests.AwsRequestSigner;
import io.github.kcawspack.it.fakests.FakeSts;
import io.github.kcawspack.it.harness.Injected;
import io.github.kcawspack.it.harness.KeycloakExtension;
import io.github.kcawspack.it.harness.KeycloakServer;
import io.github.kcawspack.it.harness.OAuthClient.Answer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.keycloak.admin.client.resource.UserResource;
import org.keycloak.representations.idm.AuthenticationExecutionInfoRepresentation;
import org.keycloak.representations.idm.ComponentRepresentation;
import org.keycloak.representations.idm.EventRepresentation;
import org.keycloak.representations.idm.UserRepresentation;

/**
 * The realm settings as admin-console items, through the admin REST API and realm import: an
 * invalid binding is refused on save with its message, a realm exported by earlier versions (its
 * settings as JSON strings in the flow step's configuration) imports, is migrated with a log line
 * and logs the same principal in to the same user with the same roles and groups, and an export
 * of the new form re-imported with its items in another order keeps the binding order.
 */
@ExtendWith(KeycloakExtension.class)
class AwsIdentitySettingsIT {

    private static final String STAFF_KEY = "ASIASTAFFSETTINGSEX1";
    private static final String STAFF_SECRET = "staff/settings/EXAMPLEKEYEXAMPLEKEY";
    private static final String STAFF_TOKEN = "IQoJstaffSETTINGStoken";

    @Injected
    KeycloakServer server;
    private AwsRealmConfig config;

    @BeforeAll
    static void registerTheStaffRole(FakeSts sts) {
        sts.registerRole(STAFF_KEY, STAFF_SECRET, STAFF_TOKEN, AwsWorkload.ACCOUNT, "staff-settings", "run-7",
                "AROASTAFFSETTINGSEX1");
    }

    @BeforeEach
    void connect() {
        config = new AwsRealmConfig(server);
    }

    @Test
    void anInvalidBindingSavedThroughAdminRestIsRefusedWithItsMessage() {
        AwsRealmConfig.Reply reply = config.create(REALM, AwsRealmConfig.binding("typo", "priority", "40",
                "account", "12345", "type", "role", "namePattern", "deploy-*"));

        assertThat(reply.status()).as(reply.toString()).isEqualTo(400);
        assertThat(AwsRealmConfig.parse(reply.body()).path("errorMessage").asText())
                .isEqualTo("Account ID must be exactly 12 digits (no wildcards)");
        assertThat(config.items(REALM)).extracting(item -> item.path("name").asText()).doesNotContain("typo");
    }

    /** README: the organization and tag conditions are validated on save, each with its message. */
    @Test
    void organizationAndTagConditionsWithBadValuesAreRefusedOnSave() {
        Map<String, String> refusals = new LinkedHashMap<>();
        refusals.put("orgId=o-123", "Organization ID must be an AWS Organizations ID: o- and 10 to 32 lower-case "
                + "letters or digits");
        refusals.put("ouPathPrefix=o-a1b2c3d4e5/r-ab12/ou-ab12-11111111", "OU path prefix must be an OU path as AWS "
                + "writes it: o-<org>/r-<root>/ and any number of ou-<root>-<ou>/, ending with /");
        refusals.put("principalTags=[{\"key\":\"aws:team\",\"value\":\"x\"}]", "Principal tags must have keys of 1 "
                + "to 128 letters, digits, spaces or _.:/=+-@, none starting with aws:");
        refusals.put("principalTags=[{\"key\":\"team\",\"value\":\"" + "v".repeat(257) + "\"}]", "Principal tags "
                + "must have values of 0 to 256 letters, digits, spaces or _.:/=+-@");
        refusals.forEach((field, message) -> {
            String[] keyValue = field.split("=", 2);
            AwsRealmConfig.Reply reply = config.create(REALM, AwsRealmConfig.binding("bad " + keyValue[0], "priority", "41",
                    "account", AwsWorkload.ACCOUNT, "type", "role", "namePattern", "org-*", keyValue[0], keyValue[1]));

            assertThat(reply.status()).as(field + ": " + reply).isEqualTo(400);
            assertThat(AwsRealmConfig.parse(reply.body()).path("errorMessage").asText()).isEqualTo(message);
        });
        assertThat(config.items(REALM)).extracting(item -> item.path("name").asText()).noneMatch(n -> n.startsWith("bad "));
    }

    @Test
    void aSecondBindingWithATakenPriorityIsRefused() {
        AwsRealmConfig.Reply reply = config.create(REALM, AwsRealmConfig.binding("same priority", "priority", "10",
                "account", AwsWorkload.ACCOUNT, "type", "role", "namePattern", "other-*"));

        assertThat(reply.status()).as(reply.toString()).isEqualTo(400);
        assertThat(AwsRealmConfig.parse(reply.body()).path("errorMessage").asText())
                .isEqualTo("Priority 10 is already used by another binding of this realm: give each binding its own "
                        + "priority (lowest is tried first)");
    }

    @Test
    void invalidRealmSettingsAreRefusedWithTheirMessage() {
        ObjectNode settings = AwsRealmConfig.binding("second settings", "maxAgeSeconds", "-5");
        settings.put("providerId", AwsRealmConfig.SETTINGS_PAGE);

        AwsRealmConfig.Reply reply = config.create(REALM, settings);

        assertThat(reply.status()).as(reply.toString()).isEqualTo(400);
        assertThat(AwsRealmConfig.parse(reply.body()).path("errorMessage").asText())
                .isEqualTo("Maximum request age (seconds) must be a whole number from 1 to 86400");
    }

    @Test
    void aRealmExportedWithJsonSettingsImportsAndLogsTheSamePrincipalInAsBefore() throws Exception {
        String legacy = resource("/legacy/demo-realm-with-json-settings.json");
        assertThat(legacy).contains("\"bindings\": \"[{\\\"account\\\"");
        config.importRealm("legacy", legacy);

        assertThat(server.logTail(2000)).contains("Realm legacy: moved the aws_identity settings of its authentication "
                + "flow to the admin console pages aws-identity-settings (1 item) and aws-principal-bindings "
                + "(3 bindings, priorities 10 to 30 in their former order)");
        List<JsonNode> items = config.items("legacy");
        assertThat(items).filteredOn(item -> item.path("providerId").asText().equals(AwsRealmConfig.BINDINGS_PAGE))
                .extracting(item -> item.path("config").path("priority").get(0).asText() + " "
                        + item.path("config").path("namePattern").get(0).asText() + " "
                        + item.path("config").path("type").get(0).asText())
                .containsExactlyInAnyOrder("10 staff-* role", "20 * role", "30 * user");
        assertThat(server.admin().realm("legacy").flows().getExecutions("aws identity"))
                .extracting(AuthenticationExecutionInfoRepresentation::getAuthenticationConfig)
                .as("the flow step no longer holds settings").allMatch(config -> config == null);

        assertThat(server.logTail(2000)).as("the link store this version needs is added").contains(
                "Realm legacy: added the identity provider aws (aws-principal-links, disabled)");
        assertThat(loginAsStaff("legacy")).isEqualTo(loginAsStaff(REALM));
    }

    @Test
    void anOldRealmWithInvalidJsonSettingsIsNotMigratedAndRefusesEveryLogin() throws Exception {
        String legacy = resource("/legacy/demo-realm-with-json-settings.json");
        String broken = legacy.replaceFirst("\\\\\"account\\\\\": \\\\\"123456789012\\\\\"",
                "\\\\\"account\\\\\": \\\\\"12345\\\\\"");
        assertThat(broken).as("one binding of the realm file made invalid").isNotEqualTo(legacy);
        ObjectNode realm = (ObjectNode) AwsRealmConfig.parse(broken);
        realm.put("eventsEnabled", true);
        config.importRealm("legacybroken", realm.toString());

        assertThat(server.logTail(2000)).contains("Realm legacybroken: the aws_identity settings in its authentication "
                + "flow are invalid (bindings[0].account: must be exactly 12 digits (no wildcards)); they were not moved");
        assertThat(config.items("legacybroken")).isEmpty();
        assertThat(server.admin().realm("legacybroken").flows().getExecutions("aws identity"))
                .extracting(AuthenticationExecutionInfoRepresentation::getAuthenticationConfig)
                .as("nothing configured is lost").anyMatch(config -> config != null);

        Answer answer = staffLogin("legacybroken", server.realmUrl("legacybroken"));

        assertThat(answer.status()).as(answer.toString()).isEqualTo(500);
        assertThat(answer.text("error")).isEqualTo("server_error");
        assertThat(answer.text("access_token")).isNull();
        List<EventRepresentation> events = server.admin().realm("legacybroken").getEvents(null, "aws-workload", null, null, null, null, null, null);
        assertThat(events).anySatisfy(event -> assertThat(event.getDetails()).containsEntry("reason", "no_bindings"));
        assertThat(events).anySatisfy(event -> assertThat(event.getDetails()).extractingByKey("aws_identity_settings_error").asString()
                .startsWith("no principal bindings configured (admin console page aws-principal-bindings)"));
    }

    @Test
    void anExportReImportedWithItsItemsInAnotherOrderKeepsTheBindingOrder() throws Exception {
        // By hand (AdminRest): the export is re-imported as the server wrote it, which the 26.0 admin
        // client's RealmRepresentation would cut down to the fields it knows.
        ObjectNode export = (ObjectNode) AwsRealmConfig.parse(config.send("POST", "/admin/realms/" + REALM
                + "/partial-export?exportClients=true&exportGroupsAndRoles=true", null).body());
        // Keys are exported masked and cannot be imported; the new realm generates its own.
        ObjectNode components = (ObjectNode) export.path("components");
        components.retain(AwsRealmConfig.COMPONENT_TYPE, "org.keycloak.userprofile.UserProfileProvider");
        ArrayNode items = (ArrayNode) export.path("components").path(AwsRealmConfig.COMPONENT_TYPE);
        List<JsonNode> shuffled = new ArrayList<>();
        items.forEach(shuffled::add);
        assertThat(shuffled).extracting(item -> item.path("providerId").asText()).contains(AwsRealmConfig.BINDINGS_PAGE);
        // Reversed: the catch-all bindings (20, 30) now come before the staff binding (10).
        Collections.reverse(shuffled);
        items.removeAll();
        items.addAll(shuffled);
        config.importRealm("shuffled", export.toString());

        Map<String, Object> staff = loginAsStaff("shuffled");

        assertThat(staff.get("realmRoles").toString()).as("the staff binding (priority 10) still decides").contains("writer");
        assertThat(staff).isEqualTo(loginAsStaff(REALM));
    }

    /**
     * The pack keeps each realm's settings as last read and reads them again when an item changed:
     * a binding edited, removed or added on the console applies to the very next login, and so
     * does a realm setting.
     */
    @Test
    void aBindingOrSettingChangedOnTheConsoleAppliesToTheNextLogin() throws Exception {
        config.importRealm("changing", resource("/legacy/demo-realm-with-json-settings.json"));
        assertThat(loginAsStaff("changing").get("realmRoles").toString()).contains("writer");
        List<ComponentRepresentation> bindings = server.admin().realm("changing").components()
                .query(config.realmId("changing"), AwsRealmConfig.COMPONENT_TYPE).stream()
                .filter(item -> item.getProviderId().equals(AwsRealmConfig.BINDINGS_PAGE)).toList();
        assertThat(bindings).hasSize(3);

        for (ComponentRepresentation binding : bindings) {
            binding.getConfig().putSingle("namePattern", "nobody-*");
            server.admin().realm("changing").components().component(binding.getId()).update(binding);
        }
        assertThat(staffLogin("changing", server.realmUrl("changing")).text("error")).as("no binding admits the staff role now")
                .isEqualTo("invalid_grant");

        ComponentRepresentation staff = bindings.stream()
                .filter(binding -> binding.getConfig().getFirst("priority").equals("10")).findFirst().orElseThrow();
        staff.getConfig().putSingle("namePattern", "staff-*");
        server.admin().realm("changing").components().component(staff.getId()).update(staff);
        assertThat(loginAsStaff("changing").get("realmRoles").toString()).contains("writer");

        config.remove("changing", staff.getId());
        assertThat(staffLogin("changing", server.realmUrl("changing")).text("error")).isEqualTo("invalid_grant");

        String again = config.add("changing", AwsRealmConfig.binding("staff again", "priority", "10",
                "account", AwsWorkload.ACCOUNT, "type", "role", "namePattern", "staff-*", "roles", "writer"));
        assertThat(loginAsStaff("changing").get("realmRoles").toString()).contains("writer");

        // A realm setting: an audience other than the realm's own is accepted only once it is listed.
        String otherAudience = "https://sso.example.test/realms/changing";
        assertThat(staffLogin("changing", otherAudience).text("error")).isEqualTo("invalid_grant");
        ComponentRepresentation settings = server.admin().realm("changing").components()
                .query(config.realmId("changing"), AwsRealmConfig.COMPONENT_TYPE).stream()
                .filter(item -> item.getProviderId().equals(AwsRealmConfig.SETTINGS_PAGE)).findFirst().orElseThrow();
        settings.getConfig().putSingle("extraAudiences", otherAudience);
        server.admin().realm("changing").components().component(settings.getId()).update(settings);
        assertThat(staffLogin("changing", otherAudience).status()).isEqualTo(200);
        config.remove("changing", again);
    }

    /**
     * Imports {@code realmJson} through the admin REST API as realm {@code name}, every id replaced
     * by a fresh one (ids are unique across realms), references to it included.
     */

    /** The staff role's aws_identity request to {@code realm}, signed for {@code audience}, and the answer. */
    private Answer staffLogin(String realm, String audience) {
        Map<String, String> form = new LinkedHashMap<>(AwsRequestSigner.forRegion("us-east-1")
                .credentials(STAFF_KEY, STAFF_SECRET, STAFF_TOKEN)
                .signedHeader("amz-sdk-invocation-id", UUID.randomUUID().toString())
                .audience(audience).sign().grantParameters());
        form.put("grant_type", "aws_identity");
        form.put("client_id", AwsWorkload.CLIENT);
        return server.oauth(realm).token(form);
    }

    /** Logs the staff role in to {@code realm}; returns what its user is: name, roles, groups. */
    private Map<String, Object> loginAsStaff(String realm) throws Exception {
        Answer answer = staffLogin(realm, server.realmUrl(realm));
        assertThat(answer.status()).as(realm + ": " + answer).isEqualTo(200);

        var claims = server.tokens(realm).verify(answer.text("access_token"));
        // The user the binding provisions (the demo client's tokens carry no profile claims).
        String username = "aws-role-staff-settings-" + AwsWorkload.ACCOUNT;
        List<UserRepresentation> found = server.admin().realm(realm).users().searchByUsername(username, true);
        assertThat(found).as("user " + username + " in " + realm).isNotEmpty();
        UserResource user = server.admin().realm(realm).users().get(found.get(0).getId());
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("username", username);
        facts.put("aws_arn", claims.getStringClaim("aws_arn"));
        TreeSet<String> roles = new TreeSet<>();
        user.roles().realmLevel().listAll()
                // Every realm's default role is named after the realm.
                .forEach(r -> roles.add(r.getName().startsWith("default-roles-") ? "default-roles-*" : r.getName()));
        facts.put("realmRoles", roles);
        TreeSet<String> groups = new TreeSet<>();
        user.groups().forEach(g -> groups.add(g.getPath()));
        facts.put("groups", groups);
        return facts;
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = AwsIdentitySettingsIT.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("no test resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
