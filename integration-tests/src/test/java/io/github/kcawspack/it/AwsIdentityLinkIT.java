package io.github.kcawspack.it;

import static io.github.kcawspack.it.DemoRealm.BOB;
import static io.github.kcawspack.it.DemoRealm.BOB_PASSWORD;
import static io.github.kcawspack.it.DemoRealm.REALM;
import static io.github.kcawspack.it.DemoRealm.TESTCLIENT;
import static io.github.kcawspack.it.DemoRealm.TESTCLIENT_SECRET;
import static io.github.kcawspack.it.harness.OAuthClient.form;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.kcawspack.it.fakests.AwsRequestSigner;
import io.github.kcawspack.it.fakests.FakeSts;
import io.github.kcawspack.it.fakests.StsBehaviour;
import io.github.kcawspack.it.harness.Injected;
import io.github.kcawspack.it.harness.KeycloakExtension;
import io.github.kcawspack.it.harness.KeycloakServer;
import io.github.kcawspack.it.harness.OAuthClient;
import io.github.kcawspack.it.harness.OAuthClient.Answer;
import io.github.kcawspack.it.harness.TokenVerifier;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 14, cases 1 and 2, against the real server: the link between a user and an AWS principal
 * is Keycloak's federated identity link of the realm's identity provider "aws", which users cannot
 * write; only an administrator links an existing user; a re-created principal (same ARN, new unique
 * id) is refused until an administrator re-links it; groups and roles follow the admitting binding.
 */
@ExtendWith(KeycloakExtension.class)
class AwsIdentityLinkIT {

    private static final String ACCOUNT = AwsWorkload.ACCOUNT;
    private static final String USERS = "/admin/realms/" + REALM + "/users";

    @Injected
    KeycloakServer server;
    @Injected
    FakeSts sts;
    @Injected
    OAuthClient oauth;
    @Injected
    TokenVerifier tokens;
    private AwsWorkload workload;
    private AwsRealmConfig realmConfig;

    @BeforeAll
    static void enableEvents(KeycloakServer server) {
        OAuthClient.admin(server, "PUT", "/admin/realms/" + REALM + "/events/config",
                "{\"eventsEnabled\":true,\"eventsExpiration\":3600}");
    }

    @BeforeEach
    void connect() {
        workload = new AwsWorkload(server, sts);
        realmConfig = new AwsRealmConfig(server);
    }

    @BeforeEach
    void normalSts() {
        sts.setDefaultBehaviour(StsBehaviour.normal());
    }

    @Test
    void aUserWhoWritesTheArnAttributeOnItselfGetsNoAwsLogins() throws Exception {
        // The attack of issue 14, case 1: unmanaged attributes enabled, aws_arn not declared.
        sts.registerRole("ASIASTAFFTARGETEXMP1", "target/secret/EXAMPLEKEYEXAMPLEKEYEX", "IQoJtargetTOKEN", ACCOUNT,
                "staff-target", "s1", "AROASTAFFTARGETEXMP1");
        String arn = "arn:aws:iam::" + ACCOUNT + ":role/staff-target";
        String profile = admin("GET", USERS + "/profile", null);
        try {
            ObjectNode enabled = (ObjectNode) AwsRealmConfig.parse(profile);
            enabled.put("unmanagedAttributePolicy", "ENABLED");
            // The attack's realm does not declare the attributes that used to be the link.
            ArrayNode declared = (ArrayNode) enabled.get("attributes");
            for (int i = declared.size() - 1; i >= 0; i--) {
                if (List.of("aws_arn", "aws_unique_id", "aws_account", "aws_principal_type")
                        .contains(declared.get(i).path("name").asText())) {
                    declared.remove(i);
                }
            }
            admin("PUT", USERS + "/profile", enabled.toString());

            assertThat(bobSetsOwnAttribute("aws_arn", arn)).as("the account API takes the attribute").isEqualTo(204);
            String bobId = userId(BOB);

            Answer answer = workload.login(signer("ASIASTAFFTARGETEXMP1", "target/secret/EXAMPLEKEYEXAMPLEKEYEX",
                    "IQoJtargetTOKEN").sign());

            assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
            assertThat(tokens.verify(answer.text("access_token")).getSubject()).as("the role's logins never land on bob")
                    .isNotEqualTo(bobId);
            assertThat(realmRoles(bobId)).doesNotContain("writer");
            assertThat(groups(bobId)).doesNotContain("/staff");
        } finally {
            admin("PUT", USERS + "/profile", profile);
        }
    }

    @Test
    void anAdministratorLinksAnExistingMachineUserThroughTheAdminApi() {
        sts.registerRole("ASIALINKEDBOTEXAMPL1", "linked/secret/EXAMPLEKEYEXAMPLEKEYEX", "IQoJlinkedTOKEN", ACCOUNT,
                "linked-bot", "s1", "AROALINKEDBOTEXAMPL1");
        String userId = createUser("it-linked-bot");
        // What the admin console's "Link account" posts; "*" leaves the unique id to the next login.
        link(userId, "arn:aws:iam::" + ACCOUNT + ":role/linked-bot", "*");
        // A fresh signer for each login: one signer signs the same request twice within a second (a replay).
        Supplier<AwsRequestSigner> bot = () -> signer("ASIALINKEDBOTEXAMPL1", "linked/secret/EXAMPLEKEYEXAMPLEKEYEX",
                "IQoJlinkedTOKEN");

        Answer answer = workload.login(bot.get().sign());

        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        assertThat(tokens.verify(answer.text("access_token")).getSubject()).isEqualTo(userId);
        assertThat(linkOf(userId).get("userName").asText()).as("the first login records the unique id")
                .isEqualTo("AROALINKEDBOTEXAMPL1");

        // A user with a password could remove its own link in the account console: refused.
        admin("PUT", USERS + "/" + userId + "/reset-password",
                "{\"type\":\"password\",\"value\":\"it-linked-bot-password-1\",\"temporary\":false}");
        Answer withPassword = workload.login(bot.get().sign());
        assertThat(withPassword.status()).isEqualTo(400);
        assertThat(withPassword.text("error")).isEqualTo("invalid_grant");
        assertThat(lastLoginErrorReason("arn:aws:iam::" + ACCOUNT + ":role/linked-bot")).isEqualTo("link_removable_by_user");

        for (JsonNode credential : AwsRealmConfig.parse(admin("GET", USERS + "/" + userId + "/credentials", null))) {
            admin("DELETE", USERS + "/" + userId + "/credentials/" + credential.get("id").asText(), null);
        }
        assertThat(workload.login(bot.get().sign()).status()).isEqualTo(200);
    }

    @Test
    void aRecreatedRoleIsRefusedUntilAnAdministratorReLinksItAndLosesWhatItsPinnedBindingGave() {
        // Issue 14, case 2: a pinned binding first, the demo realm's broad one after it.
        String arn = "arn:aws:iam::" + ACCOUNT + ":role/rotor";
        sts.registerRole("ASIAROTORFIRSTEXMPL1", "rotor/first/EXAMPLEKEYEXAMPLEKEYEXA", "IQoJrotorFirstTOKEN", ACCOUNT,
                "rotor", "s1", "AROAROTORFIRSTEXMPL1");
        // Priority 1: tried before the demo realm's bindings (10, 20, 30).
        String pinned = realmConfig.add(REALM, AwsRealmConfig.binding("it-rotor-pinned", "priority", "1",
                "account", ACCOUNT, "type", "role", "namePattern", "rotor", "uniqueId", "AROAROTORFIRSTEXMPL1",
                "provisionUsers", "true", "roles", "writer", "groups", "/staff"));
        try {
            Answer first = workload.login(signer("ASIAROTORFIRSTEXMPL1", "rotor/first/EXAMPLEKEYEXAMPLEKEYEXA",
                    "IQoJrotorFirstTOKEN").sign());
            assertThat(first.status()).as(first.toString()).isEqualTo(200);
            String userId = userId("aws-role-rotor-" + ACCOUNT);
            assertThat(realmRoles(userId)).contains("writer");
            assertThat(groups(userId)).contains("/staff");

            // The role is deleted and re-created under the same name: a new unique id.
            sts.registerRole("ASIAROTORSECONDEXMP2", "rotor/second/EXAMPLEKEYEXAMPLEKEYEX", "IQoJrotorSecondTOKEN", ACCOUNT,
                    "rotor", "s2", "AROAROTORSECONDEXMP2");
            Supplier<AwsRequestSigner> recreated = () -> signer("ASIAROTORSECONDEXMP2",
                    "rotor/second/EXAMPLEKEYEXAMPLEKEYEX", "IQoJrotorSecondTOKEN");

            Answer refused = workload.login(recreated.get().sign());

            assertThat(refused.status()).as(refused.toString()).isEqualTo(400);
            assertThat(refused.text("error")).isEqualTo("invalid_grant");
            assertThat(refused.raw().body()).doesNotContain("AROA");
            assertThat(lastLoginErrorReason(arn)).isEqualTo("principal_recreated");
            assertThat(linkOf(userId).get("userName").asText()).as("the recorded unique id is not overwritten")
                    .isEqualTo("AROAROTORFIRSTEXMPL1");
            assertThat(realmRoles(userId)).as("nothing changed on a refusal").contains("writer");

            // README's re-link: remove the link, link again with the new unique id.
            admin("DELETE", USERS + "/" + userId + "/federated-identity/aws", null);
            link(userId, arn, "AROAROTORSECONDEXMP2");
            Answer relinked = workload.login(recreated.get().sign());

            assertThat(relinked.status()).as(relinked.toString()).isEqualTo(200);
            assertThat(tokens.verify(relinked.text("access_token")).getSubject()).isEqualTo(userId);
            assertThat(realmRoles(userId)).as("admitted by the broad binding, which gives no role").doesNotContain("writer");
            assertThat(groups(userId)).doesNotContain("/staff");
        } finally {
            realmConfig.remove(REALM, pinned);
        }
    }

    @Test
    void whatABindingGaveGoesWhenAnotherBindingAdmitsTheNextLoginButWhatAnAdministratorGaveStays() {
        sts.registerRole("ASIAMOVEREXAMPLEKEY1", "mover/secret/EXAMPLEKEYEXAMPLEKEYEXA", "IQoJmoverTOKEN", ACCOUNT,
                "mover", "s1", "AROAMOVEREXAMPLEKEY1");
        String userId = createUser("it-mover");
        link(userId, "arn:aws:iam::" + ACCOUNT + ":role/mover", "AROAMOVEREXAMPLEKEY1");
        admin("PUT", USERS + "/" + userId + "/groups/" + groupId("staff"), null);
        Supplier<AwsRequestSigner> mover = () -> signer("ASIAMOVEREXAMPLEKEY1", "mover/secret/EXAMPLEKEYEXAMPLEKEYEXA",
                "IQoJmoverTOKEN");
        String moverBinding = realmConfig.add(REALM, AwsRealmConfig.binding("it-mover", "priority", "1",
                "account", ACCOUNT, "type", "role", "namePattern", "mover", "roles", "writer", "groups", "/staff"));
        boolean removed = false;
        try {
            assertThat(workload.login(mover.get().sign()).status()).isEqualTo(200);
            assertThat(realmRoles(userId)).contains("writer");

            realmConfig.remove(REALM, moverBinding);
            removed = true;
            Answer answer = workload.login(mover.get().sign());

            assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
            assertThat(realmRoles(userId)).as("the binding's role goes with the binding").doesNotContain("writer");
            assertThat(groups(userId)).as("the group an administrator gave stays").contains("/staff");
        } finally {
            if (!removed) {
                realmConfig.remove(REALM, moverBinding);
            }
        }
    }

    @Test
    void aRealmWhereUsersCouldEditTheMembershipRecordFailsClosed() {
        sts.registerRole("ASIASTAFFRECORDEXMP1", "record/secret/EXAMPLEKEYEXAMPLEKEYEX", "IQoJrecordTOKEN", ACCOUNT,
                "staff-record", "s1", "AROASTAFFRECORDEXMP1");
        String profile = admin("GET", USERS + "/profile", null);
        try {
            ObjectNode editable = (ObjectNode) AwsRealmConfig.parse(profile);
            for (JsonNode attribute : editable.get("attributes")) {
                if ("aws_granted_roles".equals(attribute.path("name").asText())) {
                    ((ArrayNode) attribute.get("permissions").get("edit")).add("user");
                }
            }
            admin("PUT", USERS + "/profile", editable.toString());

            Answer answer = workload.login(signer("ASIASTAFFRECORDEXMP1", "record/secret/EXAMPLEKEYEXAMPLEKEYEX",
                    "IQoJrecordTOKEN").sign());

            assertThat(answer.status()).as(answer.toString()).isEqualTo(500);
            assertThat(answer.text("error")).isEqualTo("server_error");
            assertThat(lastLoginErrorReason("arn:aws:iam::" + ACCOUNT + ":role/staff-record")).isEqualTo("record_user_writable");
        } finally {
            admin("PUT", USERS + "/profile", profile);
        }
    }

    private AwsRequestSigner signer(String key, String secret, String token) {
        return workload.signer(key, secret, token);
    }

    private int bobSetsOwnAttribute(String name, String value) throws IOException, InterruptedException {
        Answer login = oauth.token(form("grant_type", "password", "username", BOB,
                "password", BOB_PASSWORD, "scope", "openid"), TESTCLIENT + ":" + TESTCLIENT_SECRET);
        assertThat(login.status()).as(login.toString()).isEqualTo(200);
        String token = login.text("access_token");
        String account = server.realmUrl(REALM) + "/account";
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> current = http.send(HttpRequest.newBuilder(URI.create(account))
                .header("Authorization", "Bearer " + token).header("Accept", "application/json").build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(current.statusCode()).as(current.body()).isEqualTo(200);
        ObjectNode representation = (ObjectNode) AwsRealmConfig.parse(current.body());
        ObjectNode attributes = representation.has("attributes") && representation.get("attributes").isObject()
                ? (ObjectNode) representation.get("attributes") : representation.putObject("attributes");
        attributes.putArray(name).add(value);
        return http.send(HttpRequest.newBuilder(URI.create(account))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(representation.toString())).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    private String createUser(String username) {
        admin("POST", USERS, "{\"username\":\"" + username + "\",\"enabled\":true}");
        return userId(username);
    }

    private void link(String userId, String arn, String uniqueId) {
        admin("POST", USERS + "/" + userId + "/federated-identity/aws",
                "{\"identityProvider\":\"aws\",\"userId\":\"" + arn + "\",\"userName\":\"" + uniqueId + "\"}");
    }

    private JsonNode linkOf(String userId) {
        for (JsonNode link : AwsRealmConfig.parse(admin("GET", USERS + "/" + userId + "/federated-identity", null))) {
            if ("aws".equals(link.path("identityProvider").asText())) {
                return link;
            }
        }
        throw new AssertionError("user " + userId + " has no aws link");
    }

    private String userId(String username) {
        JsonNode users = AwsRealmConfig.parse(admin("GET", USERS + "?exact=true&username=" + username, null));
        assertThat(users).as("user " + username).hasSize(1);
        return users.get(0).get("id").asText();
    }

    private String groupId(String name) {
        JsonNode groups = AwsRealmConfig.parse(admin("GET", "/admin/realms/" + REALM + "/groups?exact=true&search=" + name, null));
        return groups.get(0).get("id").asText();
    }

    private List<String> realmRoles(String userId) {
        List<String> names = new ArrayList<>();
        AwsRealmConfig.parse(admin("GET", USERS + "/" + userId + "/role-mappings/realm", null))
                .forEach(role -> names.add(role.get("name").asText()));
        return names;
    }

    private List<String> groups(String userId) {
        List<String> paths = new ArrayList<>();
        AwsRealmConfig.parse(admin("GET", USERS + "/" + userId + "/groups", null))
                .forEach(group -> paths.add(group.get("path").asText()));
        return paths;
    }

    /** The reason of the newest LOGIN_ERROR event about {@code arn}. */
    private String lastLoginErrorReason(String arn) {
        JsonNode events = AwsRealmConfig.parse(admin("GET", "/admin/realms/" + REALM
                + "/events?type=LOGIN_ERROR&client=" + AwsWorkload.CLIENT + "&max=50", null));
        for (JsonNode event : events) {
            if (arn.equals(event.path("details").path("aws_arn").asText())) {
                return event.path("details").path("reason").asText();
            }
        }
        throw new AssertionError("no LOGIN_ERROR event for " + arn + " in " + events);
    }

    private String admin(String method, String path, String json) {
        return OAuthClient.admin(server, method, path, json);
    }
}
