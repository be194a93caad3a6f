package io.github.kcawspack.it;

import static io.github.kcawspack.it.DemoRealm.*;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.kcawspack.it.harness.Injected;
import io.github.kcawspack.it.harness.KeycloakExtension;
import io.github.kcawspack.it.harness.KeycloakServer;
import io.github.kcawspack.it.harness.OAuthClient;
import io.github.kcawspack.it.harness.OAuthClient.Answer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.keycloak.representations.idm.ClientRepresentation;
import org.keycloak.representations.idm.ClientScopeRepresentation;
import org.keycloak.representations.idm.ProtocolMapperRepresentation;
import org.keycloak.representations.idm.RealmRepresentation;

/** What an operator sees of the imported demo realm: its settings, its theme, its clients. */
@ExtendWith(KeycloakExtension.class)
class DemoRealmIT {

    @Injected
    KeycloakServer server;
    @Injected
    OAuthClient oauth;

    @Test
    void lifetimesMatchTheClassicSettings() {
        RealmRepresentation realm = server.admin().realm(REALM).toRepresentation();

        assertThat(realm.getAccessTokenLifespan()).isEqualTo(3600);
        assertThat(realm.getAccessTokenLifespanForImplicitFlow()).isEqualTo(3600);
        assertThat(realm.getSsoSessionIdleTimeout()).isEqualTo(1209600);
        assertThat(realm.getClientSessionIdleTimeout()).isEqualTo(1209600);
        // RFC 6749 section 4.1.2 recommends at most 10 minutes; one minute is plenty for a redirect.
        assertThat(realm.getAccessCodeLifespan()).isEqualTo(60);
    }

    @Test
    void loginPagesComeFromThePackTheme() {
        Answer page = oauth.get(server.authorizationEndpoint(REALM)
                + "?response_type=code&client_id=" + WEB_APP + "&redirect_uri=" + WEB_APP_REDIRECT, null);

        assertThat(page.status()).isEqualTo(200);
        assertThat(page.json().get("non_json_body").asText()).contains("/login/aws-pack/");
    }

    @Test
    void clientsAreConfiguredAsDocumented() {
        JsonNode apiClient = client(API_CLIENT);
        assertThat(apiClient.get("publicClient").asBoolean()).isFalse();
        assertThat(apiClient.get("directAccessGrantsEnabled").asBoolean()).isTrue();
        assertThat(apiClient.get("standardFlowEnabled").asBoolean()).isFalse();
        assertThat(names(apiClient.get("optionalClientScopes"))).containsExactlyInAnyOrder("read", "write", "groups");

        JsonNode testclient = client(TESTCLIENT);
        assertThat(testclient.get("implicitFlowEnabled").asBoolean()).isTrue();
        assertThat(testclient.get("serviceAccountsEnabled").asBoolean()).isTrue();
        assertThat(names(testclient.get("redirectUris"))).containsExactly(TESTCLIENT_REDIRECT);
        assertThat(names(testclient.get("defaultClientScopes"))).as("foo bar qux are RFC 6749 defaults, optional in Keycloak")
                .contains("basic", "roles").doesNotContain("foo", "bar", "qux");
        assertThat(names(testclient.get("optionalClientScopes"))).contains("foo", "bar", "qux");

        JsonNode webApp = client(WEB_APP);
        assertThat(webApp.get("consentRequired").asBoolean()).isTrue();
        assertThat(webApp.get("directAccessGrantsEnabled").asBoolean()).isFalse();
        assertThat(webApp.get("implicitFlowEnabled").asBoolean()).isFalse();
        assertThat(names(webApp.get("redirectUris"))).containsExactly(WEB_APP_REDIRECT);

        JsonNode awsWorkload = client(AwsWorkload.CLIENT);
        assertThat(awsWorkload.get("directAccessGrantsEnabled").asBoolean()).as("aws_identity needs no password grant").isFalse();
        assertThat(awsWorkload.path("authenticationFlowBindingOverrides").path("direct_grant").isMissingNode()).isTrue();
    }

    @Test
    void awsWorkloadAcceptsNoPasswordGrant() {
        Answer answer = oauth.token(OAuthClient.form(
                "grant_type", "password", "client_id", AwsWorkload.CLIENT, "username", ALICE, "password", ALICE_PASSWORD));
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.text("error")).isEqualTo("unauthorized_client");
        assertThat(answer.text("access_token")).isNull();
    }

    @Test
    void webAppAcceptsNoPasswordGrant() {
        Answer answer = oauth.token(OAuthClient.form(
                "grant_type", "password", "username", ALICE, "password", ALICE_PASSWORD),
                WEB_APP + ":" + WEB_APP_SECRET);
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.text("error")).isEqualTo("unauthorized_client");
    }

    /** demo-api is a resource server: it gets no token of its own, it only introspects. */
    @Test
    void theDemoApiHasNoFlowsOfItsOwn() {
        JsonNode demoApi = client(DEMO_API);
        assertThat(demoApi.get("publicClient").asBoolean()).isFalse();
        for (String flow : List.of("standardFlowEnabled", "implicitFlowEnabled", "directAccessGrantsEnabled", "serviceAccountsEnabled")) {
            assertThat(demoApi.get(flow).asBoolean()).as(flow).isFalse();
        }
        String basic = DEMO_API + ":" + DEMO_API_SECRET;
        for (Answer answer : List.of(
                oauth.token(OAuthClient.form("grant_type", "client_credentials"), basic),
                oauth.token(OAuthClient.form("grant_type", "password", "username", ALICE, "password", ALICE_PASSWORD), basic))) {
            assertThat(answer.status()).as(answer.toString()).isEqualTo(400);
            assertThat(answer.text("error")).isEqualTo("unauthorized_client");
        }
    }

    /** Every scope of the API, and only those, puts demo-api into the access token's audience. */
    @Test
    void theApiScopesNameTheDemoApiAsAudience() {
        for (ClientScopeRepresentation scope : server.admin().realm(REALM).clientScopes().findAll()) {
            String name = scope.getName();
            List<String> audiences = new ArrayList<>();
            (scope.getProtocolMappers() == null ? List.<ProtocolMapperRepresentation>of() : scope.getProtocolMappers()).forEach(mapper -> {
                if (mapper.getProtocolMapper().equals("oidc-audience-mapper")
                        && "true".equals(mapper.getConfig().get("access.token.claim"))
                        && "true".equals(mapper.getConfig().get("introspection.token.claim"))) {
                    audiences.add(String.valueOf(mapper.getConfig().get("included.client.audience")));
                }
            });
            if (List.of("read", "write", "groups", "user_info", "deploy").contains(name)) {
                assertThat(audiences).as(name).containsExactly(DEMO_API);
            } else {
                assertThat(audiences).as(name).doesNotContain(DEMO_API);
            }
        }
    }

    /** The client as the admin API lists it (Keycloak's admin client's representation, as JSON). */
    private JsonNode client(String clientId) {
        List<ClientRepresentation> found = server.admin().realm(REALM).clients().findByClientId(clientId);
        assertThat(found).hasSize(1);
        return new ObjectMapper().setSerializationInclusion(JsonInclude.Include.NON_NULL).valueToTree(found.get(0));
    }

    private static List<String> names(JsonNode array) {
        List<String> names = new ArrayList<>();
        array.forEach(node -> names.add(node.asText()));
        return names;
    }
}
