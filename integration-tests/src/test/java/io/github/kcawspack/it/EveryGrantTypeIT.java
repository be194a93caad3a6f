package io.github.kcawspack.it;

import static io.github.kcawspack.it.harness.PolicyRealm.BOB;
import static io.github.kcawspack.it.harness.PolicyRealm.PASSWORD;
import static io.github.kcawspack.it.harness.PolicyRealm.CLIENT;
import static io.github.kcawspack.it.harness.PolicyRealm.CLIENT_BASIC;
import static io.github.kcawspack.it.harness.PolicyRealm.REDIRECT;
import static io.github.kcawspack.it.harness.PolicyRealm.assertRefused;
import static io.github.kcawspack.it.harness.OAuthClient.form;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jwt.JWTClaimsSet;
import io.github.kcawspack.it.fakests.FakeSts;
import io.github.kcawspack.it.harness.Browser;
import io.github.kcawspack.it.harness.CibaChannel;
import io.github.kcawspack.it.harness.Injected;
import io.github.kcawspack.it.harness.KeycloakExtension;
import io.github.kcawspack.it.harness.KeycloakServer;
import io.github.kcawspack.it.harness.OAuthClient;
import io.github.kcawspack.it.harness.OAuthClient.Answer;
import io.github.kcawspack.it.harness.PolicyRealm;
import io.github.kcawspack.it.harness.TokenVerifier;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import jakarta.ws.rs.core.Response;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.keycloak.admin.client.resource.AuthorizationResource;
import org.keycloak.representations.idm.ClientRepresentation;
import org.keycloak.representations.idm.authorization.Logic;
import org.keycloak.representations.idm.authorization.ResourcePermissionRepresentation;
import org.keycloak.representations.idm.authorization.ResourceRepresentation;
import org.keycloak.representations.idm.authorization.RolePolicyRepresentation;

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
@PolicyRealm.Options(prefix = "every-grant-policy", loginTheme = "aws-pack", clientAttributes = {
        DeviceFlow.ENABLED_ATTRIBUTE + "=true", CibaFlow.ENABLED_ATTRIBUTE + "=true", "standard.token.exchange.enabled=true"})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EveryGrantTypeIT {

    @Injected
    KeycloakServer server;
    @Injected
    PolicyRealm realm;
    @Injected
    CibaChannel channel;
    @Injected
    FakeSts sts;
    /** The demo realm's verifier, for the aws_identity driver. */
    @Injected
    TokenVerifier demoTokens;
    private JwtBearerIssuer jwtIssuer;

    @RegisterExtension
    final Browser browser = new Browser();

    /** One identity provider for the JWT authorization grant (its alias is fixed): registered once for the class. */
    @BeforeAll
    void registerJwtIssuer() {
        jwtIssuer = JwtBearerIssuer.register(server, realm);
        jwtIssuer.link(BOB);
    }

    @TestFactory
    Stream<DynamicTest> everyGrantTypeTheServerRegistersGivesATokenWithoutWriteOrARefusal() {
        List<String> registered = server.grantTypes();
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
            realm.policy(PolicyRealm.FILTER_WRITE_FOR_WRITERS);
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
        drivers.put("password", () -> realm.assertIssuedWithoutWrite(realm.password(BOB, "read write")));
        drivers.put("client_credentials", () -> realm.assertIssuedWithoutWrite(realm.clientCredentials("read write")));
        drivers.put("authorization_code", () -> realm.assertIssuedWithoutWrite(authorizationCode(BOB, PASSWORD, "openid read write")));
        drivers.put("refresh_token", () -> {
            String writer = realm.createWriter("writer");
            Answer first = realm.password(writer, "read write");
            realm.assertIssuedWithWrite(first);
            realm.revokeRealmRole(realm.userId(writer), PolicyRealm.WRITER);
            realm.assertIssuedWithoutWrite(realm.refresh(first.text("refresh_token")));
        });
        drivers.put(PolicyRealm.TOKEN_EXCHANGE_GRANT, () -> {
            String bobsToken = realm.password(BOB, "read").text("access_token");
            realm.assertIssuedWithoutWrite(realm.tokenExchange(bobsToken, "read write"));
        });
        drivers.put(PolicyRealm.DEVICE_GRANT, () -> {
            browser.restart();
            assertRefused(DeviceFlow.approvedToken(server, realm, browser, BOB, PASSWORD, "openid read write", "every-grant-device"),
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
                realm.policy(PolicyRealm.FILTER_WRITE_FOR_WRITERS);
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
        assertThat(PolicyRealm.words(answer.text("scope"))).contains("read").doesNotContain("write");
        JWTClaimsSet claims = demoTokens.verify(answer.text("access_token"));
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
            ClientRepresentation client = new ClientRepresentation();
            client.setClientId(resourceServer);
            client.setSecret("uma-secret");
            client.setPublicClient(false);
            client.setServiceAccountsEnabled(true);
            client.setAuthorizationServicesEnabled(true);
            AuthorizationResource authz = realm.realm().clients().get(realm.createClient(client)).authorization();
            // one resource, one permission on it that any user of the realm satisfies
            ResourceRepresentation resource = new ResourceRepresentation("it-resource", Set.of(), "/it/*", null);
            String resourceId = createdId(authz.resources().create(resource));
            RolePolicyRepresentation everyUser = new RolePolicyRepresentation();
            everyUser.setName("every-user");
            everyUser.setLogic(Logic.POSITIVE);
            everyUser.addRole(realm.realm().roles().get("default-roles-" + realm.name()).toRepresentation().getId());
            String policyId = createdId(authz.policies().role().create(everyUser));
            ResourcePermissionRepresentation permission = new ResourcePermissionRepresentation();
            permission.setName("every-user-may");
            permission.addResource(resourceId);
            permission.addPolicy(policyId);
            createdId(authz.permissions().resource().create(permission));
        }
        String bobsToken = realm.password(BOB, "read").text("access_token");
        return realm.oauth().postWithBearer(server.tokenEndpoint(realm.name()),
                form("grant_type", PolicyRealm.UMA_GRANT, "audience", resourceServer, "permission", "it-resource"), bobsToken);
    }

    /** The id of what an authorization-services call created (its answer's JSON carries it); fails on a refusal. */
    private static String createdId(Response created) {
        try (created) {
            assertThat(created.getStatus()).as("created").isEqualTo(201);
            JsonNode body = PolicyRealm.json(created.readEntity(String.class));
            return body.has("_id") ? body.get("_id").asText() : body.get("id").asText();
        }
    }
}
