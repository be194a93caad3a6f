package io.github.kcawspack.it;

import static io.github.kcawspack.it.PolicyRealm.BOB;
import static io.github.kcawspack.it.PolicyRealm.BOB_PASSWORD;
import static io.github.kcawspack.it.PolicyRealm.CLIENT;
import static io.github.kcawspack.it.PolicyRealm.CLIENT_BASIC;
import static io.github.kcawspack.it.PolicyRealm.REDIRECT;
import static io.github.kcawspack.it.PolicyRealm.assertRefused;
import static io.github.kcawspack.it.harness.OAuthClient.admin;
import static io.github.kcawspack.it.harness.OAuthClient.form;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jwt.JWTClaimsSet;
import io.github.kcawspack.it.fakests.FakeSts;
import io.github.kcawspack.it.harness.Browser;
import io.github.kcawspack.it.harness.CibaChannel;
import io.github.kcawspack.it.harness.KeycloakExtension;
import io.github.kcawspack.it.harness.KeycloakServer;
import io.github.kcawspack.it.harness.OAuthClient;
import io.github.kcawspack.it.harness.OAuthClient.Answer;
import io.github.kcawspack.it.harness.TokenVerifier;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;

/**
 * Issue 13's enumeration: the running server is asked which grant types it has registered (the
 * admin server-info endpoint, SPI oauth2-grant-type), and for each one, with a restricted-scope
 * policy active (write only for realm role writer), a client drives that grant as a client would
 * and gets either a token without write or a refusal. The list is the server's, not this
 * class's: a grant type this class has no driver for (one a future Keycloak or another JAR
 * brings) fails here until someone writes its driver. The test-only grant type
 * (test-providers/unknown-grant-type) is among them, so the list is never only Keycloak's own.
 */
@ExtendWith(KeycloakExtension.class)
class EveryGrantTypeIT {

    private static KeycloakServer server;
    private static PolicyRealm realm;
    private static CibaChannel channel;
    private static FakeSts sts;
    private static JwtBearerIssuer jwtIssuer;

    @RegisterExtension
    final Browser browser = new Browser();

    @BeforeAll
    static void createRealm(KeycloakServer keycloak, CibaChannel ciba, FakeSts fakeSts) {
        server = keycloak;
        channel = ciba;
        sts = fakeSts;
        Map<String, String> attributes = new HashMap<>(JwtBearerIssuer.CLIENT_ATTRIBUTES);
        attributes.put(DeviceFlow.ENABLED_ATTRIBUTE, "true");
        attributes.put(CibaFlow.ENABLED_ATTRIBUTE, "true");
        attributes.put("standard.token.exchange.enabled", "true");
        realm = PolicyRealm.create(server, "every-grant-policy", attributes);
        jwtIssuer = JwtBearerIssuer.register(server, realm);
        jwtIssuer.link(BOB);
    }

    @AfterAll
    static void deleteRealm() {
        realm.close();
    }

    /** The ids of every grant type the running server has registered, from its admin server-info endpoint. */
    static List<String> registeredGrantTypes(KeycloakServer server) {
        JsonNode providers = new OAuthClient(server, "master")
                .get(server.baseUrl() + "/admin/serverinfo", OAuthClient.adminToken(server)).json()
                .path("providers").path("oauth2-grant-type").path("providers");
        assertThat(providers.isObject()).as("server-info lists the providers of SPI oauth2-grant-type").isTrue();
        List<String> ids = new ArrayList<>();
        providers.fieldNames().forEachRemaining(ids::add);
        return ids;
    }

    @TestFactory
    Stream<DynamicTest> everyGrantTypeTheServerRegistersGivesATokenWithoutWriteOrARefusal() {
        List<String> registered = registeredGrantTypes(server);
        assertThat(registered).as("the server's list, which must include the JARs the tests installed")
                .contains("password", "authorization_code", "aws_identity", PolicyRealm.TEST_ONLY_GRANT);
        Map<String, Runnable> drivers = drivers();
        return registered.stream().sorted().map(grantType -> dynamicTest(grantType, () -> {
            Runnable driver = drivers.get(grantType);
            if (driver == null) {
                fail("The server registers grant type '%s', which %s cannot drive: add a driver that proves a token"
                        + " without the withheld scope or a refusal (400 invalid_scope or unauthorized_client) under a"
                        + " restricted-scope policy", grantType, getClass().getSimpleName());
            }
            realm.enablePolicy(PolicyRealm.WRITE_NEEDS_WRITER);
            try {
                driver.run();
            } catch (AssertionError e) {
                throw new AssertionError("grant type " + grantType + ": " + e.getMessage(), e);
            }
        }));
    }

    /**
     * How a client drives each grant type this class knows, and what it must get from bob's (or
     * a non-writer's) request for {@code read write}. Keyed by grant type id; a grant type the
     * server does not register is simply not run.
     */
    private Map<String, Runnable> drivers() {
        Map<String, Runnable> drivers = new LinkedHashMap<>();
        drivers.put("password", () -> realm.assertIssuedWithoutWrite(realm.password(BOB, BOB_PASSWORD, "read write")));
        drivers.put("client_credentials", () -> realm.assertIssuedWithoutWrite(realm.clientCredentials("read write")));
        drivers.put("authorization_code", () -> realm.assertIssuedWithoutWrite(authorizationCode(BOB, BOB_PASSWORD, "openid read write")));
        drivers.put("refresh_token", () -> {
            String writer = realm.newWriter();
            Answer first = realm.password(realm.username(writer), "writer-password", "read write");
            realm.assertIssuedWithWrite(first);
            realm.revokeRealmRole(writer, "writer");
            realm.assertIssuedWithoutWrite(realm.refresh(first.text("refresh_token")));
        });
        drivers.put(PolicyRealm.TOKEN_EXCHANGE_GRANT, () -> {
            String bobsToken = realm.password(BOB, BOB_PASSWORD, "read").text("access_token");
            realm.assertIssuedWithoutWrite(realm.tokenExchange(bobsToken, "read write"));
        });
        drivers.put(PolicyRealm.DEVICE_GRANT, () -> {
            browser.restart();
            assertRefused(DeviceFlow.approvedToken(server, realm, browser, BOB, BOB_PASSWORD, "openid read write", "every-grant-device"),
                    "invalid_scope");
        });
        drivers.put(PolicyRealm.CIBA_GRANT, () ->
                assertRefused(CibaFlow.approvedToken(server, realm, channel, BOB, "openid read write"), "invalid_scope"));
        drivers.put(PolicyRealm.JWT_BEARER_GRANT, () ->
                assertRefused(jwtIssuer.token("ext-" + BOB, "read write"), "invalid_scope"));
        drivers.put("aws_identity", this::awsIdentityInTheDemoRealm);
        drivers.put(PolicyRealm.UMA_GRANT, () -> {
            realm.disablePolicy();
            try {
                Answer unrestricted = umaTicket();
                assertThat(unrestricted.status()).as("without a policy the driver gets an RPT (it reaches token issuance): %s",
                        unrestricted).isEqualTo(200);
            } finally {
                realm.enablePolicy(PolicyRealm.WRITE_NEEDS_WRITER);
            }
            assertRefused(umaTicket(), "unauthorized_client");
        });
        drivers.put(PolicyRealm.TEST_ONLY_GRANT, () -> assertRefused(realm.oauth().token(
                form("grant_type", PolicyRealm.TEST_ONLY_GRANT, "scope", "read write"), CLIENT_BASIC), "unauthorized_client"));
        // No driver for PolicyRealm.PRE_AUTHORIZED_CODE_GRANT: Keycloak registers it only with the
        // experimental OID4VCI feature, which the tests' server leaves off; a server that has it
        // fails above until a driver that obtains a real pre-authorized code exists.
        return drivers;
    }

    /** testclient-like authorization code flow in the browser (no consent), code exchanged by the client. */
    private Answer authorizationCode(String username, String password, String scope) {
        browser.restart();
        browser.open(server.authorizationEndpoint(realm.name()) + "?" + OAuthClient.formEncode(Map.of(
                "response_type", "code", "client_id", CLIENT, "redirect_uri", REDIRECT, "scope", scope,
                "state", "every-grant", "nonce", UUID.randomUUID().toString())));
        browser.signIn(username, password);
        Map<String, String> callback = OAuthClient.decodeParameters(URI.create(
                browser.awaitUrl(url -> url.startsWith(REDIRECT) && url.contains("code="))).getRawQuery());
        return realm.oauth().token(form("grant_type", "authorization_code", "code", callback.get("code"),
                "redirect_uri", REDIRECT), CLIENT_BASIC);
    }

    /**
     * aws_identity needs an AWS binding and the fake STS, which the demo realm has: the deployer
     * role's user (no realm role writer) asks for read and write under the demo realm's policy.
     */
    private void awsIdentityInTheDemoRealm() {
        AwsWorkload workload = new AwsWorkload(server, sts);
        Map<String, String> parameters = new LinkedHashMap<>(workload.deployer().sign().grantParameters());
        parameters.put("scope", "read write");
        Answer answer = workload.login(parameters);

        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        assertThat(PolicyRealm.scopes(answer.text("scope"))).contains("read").doesNotContain("write");
        JWTClaimsSet claims = new TokenVerifier(server, DemoRealm.REALM).verify(answer.text("access_token"));
        assertThat(claims.getClaims()).doesNotContainKey("api_write");
    }

    /**
     * A UMA 2.0 grant (Keycloak's authorization services): bob's access token presented to a
     * resource server whose one permission every user of the realm satisfies, asking for an RPT
     * for that resource.
     */
    private Answer umaTicket() {
        String resourceServer = "uma-resource-server";
        if (!realm.clientExists(resourceServer)) {
            ObjectNode client = PolicyRealm.object().put("clientId", resourceServer).put("secret", "uma-secret")
                    .put("publicClient", false).put("serviceAccountsEnabled", true).put("authorizationServicesEnabled", true);
            String id = realm.createClient(client);
            String authz = realm.path("/clients/" + id + "/authz/resource-server");
            // one resource, one permission on it that any user of the realm satisfies
            String resourceId = PolicyRealm.json(admin(server, "POST", authz + "/resource",
                    "{\"name\": \"it-resource\", \"uris\": [\"/it/*\"]}")).get("_id").asText();
            String roleId = PolicyRealm.json(admin(server, "GET", realm.path("/roles/default-roles-" + realm.name()), null))
                    .get("id").asText();
            String policyId = PolicyRealm.json(admin(server, "POST", authz + "/policy/role",
                    "{\"name\": \"every-user\", \"logic\": \"POSITIVE\", \"roles\": [{\"id\": \"" + roleId + "\"}]}"))
                    .get("id").asText();
            admin(server, "POST", authz + "/permission/resource", "{\"name\": \"every-user-may\", \"resources\": [\""
                    + resourceId + "\"], \"policies\": [\"" + policyId + "\"]}");
        }
        String bobsToken = realm.password(BOB, BOB_PASSWORD, "read").text("access_token");
        return realm.oauth().postWithBearer(server.tokenEndpoint(realm.name()),
                form("grant_type", PolicyRealm.UMA_GRANT, "audience", resourceServer, "permission", "it-resource"), bobsToken);
    }
}
