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
import io.github.kcawspack.it.harness.AdminRest;
import io.github.kcawspack.it.harness.Injected;
import io.github.kcawspack.it.harness.KeycloakExtension;
import io.github.kcawspack.it.harness.KeycloakServer;
import io.github.kcawspack.it.harness.OAuthClient;
import io.github.kcawspack.it.harness.OAuthClient.Answer;
import io.github.kcawspack.it.harness.TokenVerifier;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.keycloak.admin.client.CreatedResponseUtil;
import org.keycloak.admin.client.resource.UserResource;
import org.keycloak.representations.idm.CredentialRepresentation;
import org.keycloak.representations.idm.EventRepresentation;
import org.keycloak.representations.idm.FederatedIdentityRepresentation;
import org.keycloak.representations.idm.GroupRepresentation;
import org.keycloak.representations.idm.RealmEventsConfigRepresentation;
import org.keycloak.representations.idm.RoleRepresentation;
import org.keycloak.representations.idm.UserRepresentation;

/**
 * Issue 14, cases 1 and 2, against the real server: the link between a user and an AWS principal
 * is Keycloak's federated identity link of the realm's identity provider "aws", which users cannot
 * write; only an administrator links an existing user; a re-created principal (same ARN, new unique
 * id) is refused until an administrator re-links it; groups and roles follow the admitting binding.
 */
@ExtendWith(KeycloakExtension.class)
class AwsIdentityLinkIT {

    private static final String ACCOUNT = AwsWorkload.ACCOUNT;
    /** The user profile's path: by hand ({@link AdminRest}), see {@link #profile}. */
    private static final String PROFILE = "/admin/realms/" + REALM + "/users/profile";

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
        RealmEventsConfigRepresentation events = server.admin().realm(REALM).getRealmEventsConfig();
        events.setEventsEnabled(true);
        events.setEventsExpiration(3600L);
        server.admin().realm(REALM).updateRealmEventsConfig(events);
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
        String profile = profile("GET", null);
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
            profile("PUT", enabled.toString());

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
            profile("PUT", profile);
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
        assertThat(linkOf(userId).getUserName()).as("the first login records the unique id")
                .isEqualTo("AROALINKEDBOTEXAMPL1");

        // A user with a password could remove its own link in the account console: refused.
        CredentialRepresentation password = new CredentialRepresentation();
        password.setType(CredentialRepresentation.PASSWORD);
        password.setValue("it-linked-bot-password-1");
        password.setTemporary(false);
        user(userId).resetPassword(password);
        Answer withPassword = workload.login(bot.get().sign());
        assertThat(withPassword.status()).isEqualTo(400);
        assertThat(withPassword.text("error")).isEqualTo("invalid_grant");
        assertThat(lastLoginErrorReason("arn:aws:iam::" + ACCOUNT + ":role/linked-bot")).isEqualTo("link_removable_by_user");

        for (CredentialRepresentation credential : user(userId).credentials()) {
            user(userId).removeCredential(credential.getId());
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
            assertThat(linkOf(userId).getUserName()).as("the recorded unique id is not overwritten")
                    .isEqualTo("AROAROTORFIRSTEXMPL1");
            assertThat(realmRoles(userId)).as("nothing changed on a refusal").contains("writer");

            // README's re-link: remove the link, link again with the new unique id.
            user(userId).removeFederatedIdentity("aws");
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
        user(userId).joinGroup(groupId("staff"));
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
        String profile = profile("GET", null);
        try {
            ObjectNode editable = (ObjectNode) AwsRealmConfig.parse(profile);
            for (JsonNode attribute : editable.get("attributes")) {
                if ("aws_granted_roles".equals(attribute.path("name").asText())) {
                    ((ArrayNode) attribute.get("permissions").get("edit")).add("user");
                }
            }
            profile("PUT", editable.toString());

            Answer answer = workload.login(signer("ASIASTAFFRECORDEXMP1", "record/secret/EXAMPLEKEYEXAMPLEKEYEX",
                    "IQoJrecordTOKEN").sign());

            assertThat(answer.status()).as(answer.toString()).isEqualTo(500);
            assertThat(answer.text("error")).isEqualTo("server_error");
            assertThat(lastLoginErrorReason("arn:aws:iam::" + ACCOUNT + ":role/staff-record")).isEqualTo("record_user_writable");
        } finally {
            profile("PUT", profile);
        }
    }

    private AwsRequestSigner signer(String key, String secret, String token) {
        return workload.signer(key, secret, token);
    }

    private int bobSetsOwnAttribute(String name, String value) {
        Answer login = oauth.token(form("grant_type", "password", "username", BOB,
                "password", BOB_PASSWORD, "scope", "openid"), TESTCLIENT + ":" + TESTCLIENT_SECRET);
        assertThat(login.status()).as(login.toString()).isEqualTo(200);
        String token = login.text("access_token");
        String account = server.realmUrl(REALM) + "/account";
        Answer current = oauth.json("GET", account, token, null);
        assertThat(current.status()).as(current.toString()).isEqualTo(200);
        ObjectNode representation = (ObjectNode) current.json();
        ObjectNode attributes = representation.has("attributes") && representation.get("attributes").isObject()
                ? (ObjectNode) representation.get("attributes") : representation.putObject("attributes");
        attributes.putArray(name).add(value);
        return oauth.json("POST", account, token, representation.toString()).status();
    }

    private String createUser(String username) {
        UserRepresentation user = new UserRepresentation();
        user.setUsername(username);
        user.setEnabled(true);
        try (var created = server.admin().realm(REALM).users().create(user)) {
            return CreatedResponseUtil.getCreatedId(created);
        }
    }

    private void link(String userId, String arn, String uniqueId) {
        FederatedIdentityRepresentation link = new FederatedIdentityRepresentation();
        link.setIdentityProvider("aws");
        link.setUserId(arn);
        link.setUserName(uniqueId);
        try (var created = user(userId).addFederatedIdentity("aws", link)) {
            assertThat(created.getStatus()).as("linking " + userId + " to " + arn).isEqualTo(204);
        }
    }

    private FederatedIdentityRepresentation linkOf(String userId) {
        return user(userId).getFederatedIdentity().stream().filter(link -> "aws".equals(link.getIdentityProvider()))
                .findFirst().orElseThrow(() -> new AssertionError("user " + userId + " has no aws link"));
    }

    private UserResource user(String userId) {
        return server.admin().realm(REALM).users().get(userId);
    }

    private String userId(String username) {
        List<UserRepresentation> users = server.admin().realm(REALM).users().searchByUsername(username, true);
        assertThat(users).as("user " + username).hasSize(1);
        return users.get(0).getId();
    }

    private String groupId(String name) {
        return server.admin().realm(REALM).groups().groups(name, true, 0, 10, true).get(0).getId();
    }

    private List<String> realmRoles(String userId) {
        return user(userId).roles().realmLevel().listAll().stream().map(RoleRepresentation::getName).toList();
    }

    private List<String> groups(String userId) {
        return user(userId).groups().stream().map(GroupRepresentation::getPath).toList();
    }

    /** The reason of the newest LOGIN_ERROR event about {@code arn}. */
    private String lastLoginErrorReason(String arn) {
        List<EventRepresentation> events = server.admin().realm(REALM)
                .getEvents(List.of("LOGIN_ERROR"), AwsWorkload.CLIENT, null, null, null, null, null, 50);
        for (EventRepresentation event : events) {
            if (event.getDetails() != null && arn.equals(event.getDetails().get("aws_arn"))) {
                return event.getDetails().get("reason");
            }
        }
        throw new AssertionError("no LOGIN_ERROR event for " + arn + " in " + events.size() + " events");
    }

    /**
     * The demo realm's user profile configuration, read or written as JSON by hand ({@link AdminRest}):
     * the test changes one field and restores the whole document, which the 26.0 admin client's
     * UPConfig would cut down to the fields it knows.
     */
    private String profile(String method, String json) {
        AdminRest.Answer answer = server.adminRest().call(method, PROFILE, json);
        assertThat(answer.status()).as(method + " " + PROFILE + ": " + answer).isBetween(200, 299);
        return answer.body();
    }
}
