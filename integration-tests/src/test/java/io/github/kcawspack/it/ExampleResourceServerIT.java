package io.github.kcawspack.it;

import static io.github.kcawspack.it.DemoRealm.*;
import static io.github.kcawspack.it.harness.OAuthClient.form;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.kcawspack.it.fakests.FakeSts;
import io.github.kcawspack.it.fakests.StsBehaviour;
import io.github.kcawspack.it.harness.Browser;
import io.github.kcawspack.it.harness.Injected;
import io.github.kcawspack.it.harness.KeycloakExtension;
import io.github.kcawspack.it.harness.KeycloakServer;
import io.github.kcawspack.it.harness.OAuthClient;
import io.github.kcawspack.it.harness.OAuthClient.Answer;
import org.keycloak.admin.client.CreatedResponseUtil;
import org.keycloak.admin.client.resource.RealmResource;
import org.keycloak.admin.client.resource.UserResource;
import org.keycloak.representations.idm.ClientRepresentation;
import org.keycloak.representations.idm.UserRepresentation;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The API side of the replaced servers' tutorials: the example resource server
 * (examples/resource-server, its JAR started with java -jar as README says) in both of its
 * validation modes, offline against the realm's JWKS and by introspection as client
 * {@code demo-api}, called with tokens of the demo realm's grants.
 */
@ExtendWith(KeycloakExtension.class)
class ExampleResourceServerIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(240);

    private static ResourceServer offline;
    private static ResourceServer introspecting;

    @Injected
    KeycloakServer server;
    @Injected
    OAuthClient oauth;
    @Injected
    FakeSts sts;

    /** Both modes of the example, started side by side, as README's one command starts them. */
    @BeforeAll
    static void startTheExample(KeycloakServer server) throws IOException {
        offline = ResourceServer.start(server, "jwt");
        introspecting = ResourceServer.start(server, "introspection");
        offline.awaitReady();
        introspecting.awaitReady();
    }

    @AfterAll
    static void stopTheExample() {
        for (ResourceServer api : new ResourceServer[] {offline, introspecting}) {
            if (api != null) {
                api.close();
            }
        }
    }

    /** django-oauth-toolkit's tutorial, Step 5: a read token reads users, and nothing else. */
    @Test
    void aReadTokenMayListUsersButNotGroupsNorCreateUsers() {
        String token = passwordToken(API_CLIENT, API_CLIENT_SECRET, ALICE, ALICE_PASSWORD, "read");

        for (ResourceServer api : both()) {
            Answer users = api.get("/users/", token);
            assertThat(users.status()).as(api + " " + users).isEqualTo(200);
            assertThat(users.json().get(0).get("sub").asText()).isNotBlank();
            assertThat(api.get("/groups/", token).status()).as(api + ": groups needs scope groups").isEqualTo(403);
            Answer create = api.post("/users/", token);
            assertThat(create.status()).as(api + ": POST needs scope write").isEqualTo(403);
            assertThat(create.header("WWW-Authenticate")).contains("insufficient_scope");
            assertThat(api.get("/users/1/", token).status()).as(api + ": no other path").isEqualTo(403);
        }
    }

    @Test
    void aReadWriteGroupsTokenGetsEveryTutorialEndpoint() {
        String token = passwordToken(API_CLIENT, API_CLIENT_SECRET, ALICE, ALICE_PASSWORD, "read write groups");

        for (ResourceServer api : both()) {
            assertThat(api.get("/users/", token).status()).as(api.toString()).isEqualTo(200);
            Answer created = api.post("/users/", token);
            assertThat(created.status()).as(api + " " + created).isEqualTo(201);
            assertThat(created.text("username")).isEqualTo("foo");
            Answer groups = api.get("/groups/", token);
            assertThat(groups.status()).as(api + " " + groups).isEqualTo(200);
            assertThat(groups.json().findValuesAsText("name")).as(api.toString()).containsExactly("/staff");
        }
    }

    /** DJOAuth2's user_info endpoint needs its own scope. */
    @Test
    void userInfoNeedsTheUserInfoScope() {
        String userInfo = passwordToken(TESTCLIENT, TESTCLIENT_SECRET, ALICE, ALICE_PASSWORD, "user_info");
        String read = passwordToken(TESTCLIENT, TESTCLIENT_SECRET, ALICE, ALICE_PASSWORD, "read");

        for (ResourceServer api : both()) {
            Answer info = api.get("/api/user_info/", userInfo);
            assertThat(info.status()).as(api + " " + info).isEqualTo(200);
            assertThat(info.text("username")).isEqualTo(ALICE);
            assertThat(api.get("/api/user_info/", read).status()).as(api.toString()).isEqualTo(403);
        }
    }

    /**
     * A token whose scopes are none of the API's has no {@code demo-api} audience: both modes
     * refuse it as a bad token (401), not merely as lacking a scope.
     */
    @Test
    void aTokenForAnotherAudienceIsRefused() {
        String foo = passwordToken(TESTCLIENT, TESTCLIENT_SECRET, ALICE, ALICE_PASSWORD, "foo");
        assertThat(claims(foo).path("aud").toString()).doesNotContain(DEMO_API);

        for (ResourceServer api : both()) {
            assertThat(api.get("/users/", foo).status()).as(api.toString()).isEqualTo(401);
            assertThat(api.get("/users/", null).status()).as(api + " without a token").isEqualTo(401);
        }
    }

    /** Every grant of the demo realm that carries an API scope names demo-api as audience. */
    @Test
    void tokensOfEveryGrantCarryTheApiAudience() {
        List<String> tokens = new ArrayList<>();
        tokens.add(passwordToken(API_CLIENT, API_CLIENT_SECRET, BOB, BOB_PASSWORD, "read"));
        Answer password = oauth.token(form("grant_type", "password", "username", ALICE, "password", ALICE_PASSWORD, "scope", "read"),
                API_CLIENT + ":" + API_CLIENT_SECRET);
        Answer refreshed = oauth.token(form("grant_type", "refresh_token", "refresh_token", password.text("refresh_token")),
                API_CLIENT + ":" + API_CLIENT_SECRET);
        assertThat(refreshed.status()).as(refreshed.toString()).isEqualTo(200);
        tokens.add(refreshed.text("access_token"));
        Answer clientCredentials = oauth.token(form("grant_type", "client_credentials", "scope", "read"),
                TESTCLIENT + ":" + TESTCLIENT_SECRET);
        assertThat(clientCredentials.status()).as(clientCredentials.toString()).isEqualTo(200);
        tokens.add(clientCredentials.text("access_token"));

        for (String token : tokens) {
            assertThat(claims(token).path("aud").toString()).contains(DEMO_API);
            for (ResourceServer api : both()) {
                assertThat(api.get("/users/", token).status()).as(api.toString()).isEqualTo(200);
            }
        }
    }

    /** The browser grants: authorization code and implicit, in one browser session. */
    @Nested
    class BrowserGrants {
        @RegisterExtension
        final Browser browser = new Browser();

        @Test
        void authorizationCodeAndImplicitTokensCarryTheApiAudience() {
            browser.open(server.authorizationEndpoint(REALM) + "?" + OAuthClient.formEncode(Map.of(
                    "response_type", "token", "client_id", TESTCLIENT, "redirect_uri", TESTCLIENT_REDIRECT,
                    "scope", "read", "state", "implicit")));
            browser.signIn(BOB, BOB_PASSWORD);
            URI implicit = URI.create(browser.awaitUrl(url -> url.startsWith(TESTCLIENT_REDIRECT) && url.contains("#")));
            String implicitToken = OAuthClient.decodeParameters(implicit.getRawFragment()).get("access_token");

            // Same browser session: Keycloak signs bob in silently.
            browser.open(server.authorizationEndpoint(REALM) + "?" + OAuthClient.formEncode(Map.of(
                    "response_type", "code", "client_id", TESTCLIENT, "redirect_uri", TESTCLIENT_REDIRECT,
                    "scope", "read", "state", "code")));
            URI callback = URI.create(browser.awaitUrl(url -> url.startsWith(TESTCLIENT_REDIRECT) && url.contains("code=")));
            Answer exchanged = oauth.token(form("grant_type", "authorization_code",
                    "code", OAuthClient.decodeParameters(callback.getRawQuery()).get("code"), "redirect_uri", TESTCLIENT_REDIRECT),
                    TESTCLIENT + ":" + TESTCLIENT_SECRET);
            assertThat(exchanged.status()).as(exchanged.toString()).isEqualTo(200);

            for (String token : List.of(implicitToken, exchanged.text("access_token"))) {
                assertThat(claims(token).path("aud").toString()).contains(DEMO_API);
                for (ResourceServer api : both()) {
                    assertThat(api.get("/users/", token).status()).as(api.toString()).isEqualTo(200);
                    assertThat(api.get("/groups/", token).status()).as(api.toString()).isEqualTo(403);
                }
            }
        }
    }

    /**
     * aws_identity keeps no session (its user session is transient and named in no token):
     * Keycloak 26.7 introspects such a token as it does a client_credentials token, so both modes
     * accept it; and a revoked one is refused by introspection, as any other token.
     */
    @Test
    void anAwsIdentityTokenIsAcceptedByBothModesAndItsRevocationReachesIntrospection() {
        sts.setDefaultBehaviour(StsBehaviour.normal());
        AwsWorkload workload = new AwsWorkload(server, sts);
        Map<String, String> parameters = new LinkedHashMap<>(workload.deployer().sign().grantParameters());
        parameters.put("scope", "read");
        Answer login = workload.login(parameters);
        assertThat(login.status()).as(login.toString()).isEqualTo(200);
        String token = login.text("access_token");
        assertThat(claims(token).has("sid")).as("a transient session is named in no token").isFalse();

        for (ResourceServer api : both()) {
            assertThat(api.get("/users/", token).status()).as(api.toString()).isEqualTo(200);
        }
        Answer introspection = oauth.introspect(token, DEMO_API + ":" + DEMO_API_SECRET);
        assertThat(introspection.json().path("active").asBoolean()).as(introspection.toString()).isTrue();

        // Introspection without a stored session still asks whether the user may log in.
        UserResource user = demo().users().get(claims(token).get("sub").asText());
        enabled(user, false);
        try {
            assertThat(introspecting.get("/users/", token).status()).as("user disabled").isEqualTo(401);
            assertThat(offline.get("/users/", token).status()).as("offline validation cannot see it").isEqualTo(200);
        } finally {
            enabled(user, true);
        }
        assertThat(introspecting.get("/users/", token).status()).as("user enabled again").isEqualTo(200);

        Answer revoked = oauth.post(revocationEndpoint(), form("token", token, "client_id", AwsWorkload.CLIENT), null);
        assertThat(revoked.status()).as(revoked.toString()).isEqualTo(200);

        assertThat(introspecting.get("/users/", token).status()).isEqualTo(401);
        assertThat(offline.get("/users/", token).status()).as("offline validation cannot see a revocation").isEqualTo(200);
    }

    /**
     * RFC 7009 revocation of an access token: introspection refuses it at once; offline
     * validation, which asks Keycloak nothing, accepts it until it expires (README says so).
     */
    @Test
    void aRevokedTokenIsRefusedByIntrospectionOnly() {
        String token = passwordToken(API_CLIENT, API_CLIENT_SECRET, ALICE, ALICE_PASSWORD, "read");
        assertThat(introspecting.get("/users/", token).status()).isEqualTo(200);

        Answer revoked = oauth.post(revocationEndpoint(), form("token", token, "token_type_hint", "access_token"),
                API_CLIENT + ":" + API_CLIENT_SECRET);
        assertThat(revoked.status()).as(revoked.toString()).isEqualTo(200);

        assertThat(introspecting.get("/users/", token).status()).isEqualTo(401);
        assertThat(offline.get("/users/", token).status()).isEqualTo(200);
    }

    /**
     * A session ended by an administrator or by the user's logout: introspection refuses its
     * tokens at once, offline validation accepts them until they expire.
     */
    @Test
    void aTokenOfAnEndedSessionIsRefusedByIntrospectionOnly() {
        String signedOut = passwordToken(API_CLIENT, API_CLIENT_SECRET, ALICE, ALICE_PASSWORD, "read");
        Answer login = oauth.token(form("grant_type", "password", "username", ALICE, "password", ALICE_PASSWORD, "scope", "read"),
                API_CLIENT + ":" + API_CLIENT_SECRET);
        String loggedOut = login.text("access_token");
        for (String token : List.of(signedOut, loggedOut)) {
            assertThat(introspecting.get("/users/", token).status()).isEqualTo(200);
        }

        demo().deleteSession(claims(signedOut).get("sid").asText(), false);
        Answer logout = oauth.post(server.realmUrl(REALM) + "/protocol/openid-connect/logout",
                form("refresh_token", login.text("refresh_token")), API_CLIENT + ":" + API_CLIENT_SECRET);
        assertThat(logout.status()).as(logout.toString()).isEqualTo(204);

        for (String token : List.of(signedOut, loggedOut)) {
            assertThat(introspecting.get("/users/", token).status()).isEqualTo(401);
            assertThat(offline.get("/users/", token).status()).isEqualTo(200);
        }
    }

    /** An ID token is no access token, even of a login that asked for an API scope. */
    @Test
    void anIdTokenIsRefused() {
        Answer login = oauth.token(form("grant_type", "password", "username", ALICE, "password", ALICE_PASSWORD,
                "scope", "openid read"), TESTCLIENT + ":" + TESTCLIENT_SECRET);
        assertThat(login.status()).as(login.toString()).isEqualTo(200);

        for (ResourceServer api : both()) {
            assertThat(api.get("/users/", login.text("id_token")).status()).as(api.toString()).isEqualTo(401);
            assertThat(api.get("/users/", login.text("access_token")).status()).as(api.toString()).isEqualTo(200);
        }
    }

    /**
     * An expired token is refused by both modes. A test client with a 15-second access token
     * lifespan, and the offline mode started with no clock skew, keep the wait short.
     */
    @Test
    void anExpiredTokenIsRefusedByBothModes() throws InterruptedException {
        String clientId = "expiring-tokens-" + System.nanoTime();
        String secret = "expiring-tokens-secret";
        String id = createClientWithShortTokens(clientId, secret, 15);
        try {
            String token = passwordToken(clientId, secret, ALICE, ALICE_PASSWORD, "read");
            for (ResourceServer api : both()) {
                assertThat(api.get("/users/", token).status()).as(api + " before exp").isEqualTo(200);
            }

            Instant expiry = Instant.ofEpochSecond(claims(token).get("exp").asLong());
            while (!Instant.now().isAfter(expiry.plusSeconds(1))) {
                Thread.sleep(200);
            }

            for (ResourceServer api : both()) {
                assertThat(api.get("/users/", token).status()).as(api + " after exp").isEqualTo(401);
            }
        } finally {
            demo().clients().get(id).remove();
        }
    }

    private String createClientWithShortTokens(String clientId, String secret, int lifespanSeconds) {
        ClientRepresentation client = new ClientRepresentation();
        client.setClientId(clientId);
        client.setPublicClient(false);
        client.setSecret(secret);
        client.setStandardFlowEnabled(false);
        client.setDirectAccessGrantsEnabled(true);
        client.setAttributes(Map.of("access.token.lifespan", String.valueOf(lifespanSeconds)));
        String id;
        try (var created = demo().clients().create(client)) {
            id = CreatedResponseUtil.getCreatedId(created);
        }
        String readScope = demo().clientScopes().findAll().stream().filter(scope -> "read".equals(scope.getName()))
                .findFirst().orElseThrow().getId();
        demo().clients().get(id).addOptionalClientScope(readScope);
        return id;
    }

    private RealmResource demo() {
        return server.admin().realm(REALM);
    }

    private static void enabled(UserResource user, boolean enabled) {
        UserRepresentation representation = user.toRepresentation();
        representation.setEnabled(enabled);
        user.update(representation);
    }

    private String passwordToken(String clientId, String secret, String username, String password, String scope) {
        Answer answer = oauth.token(form("grant_type", "password", "username", username, "password", password, "scope", scope),
                clientId + ":" + secret);
        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        assertThat(answer.text("scope").split(" ")).as("granted as asked").contains(scope.split(" "));
        return answer.text("access_token");
    }

    private String revocationEndpoint() {
        return server.realmUrl(REALM) + "/protocol/openid-connect/revoke";
    }

    private static List<ResourceServer> both() {
        return List.of(offline, introspecting);
    }

    /** The token's payload, unverified: only to read what Keycloak put there. */
    private static JsonNode claims(String jwt) {
        return readJson(new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]), StandardCharsets.UTF_8));
    }

    private static JsonNode readJson(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One run of the example's JAR, in one validation mode, on a free port. */
    private static final class ResourceServer implements AutoCloseable {
        private final String mode;
        private final Process process;
        private final Path log;
        private final String baseUrl;
        private final OAuthClient http;

        private ResourceServer(String mode, Process process, Path log, int port, KeycloakServer keycloak) {
            this.mode = mode;
            this.process = process;
            this.log = log;
            this.baseUrl = "http://localhost:" + port;
            this.http = keycloak.oauth(REALM);
        }

        /**
         * {@code java -jar examples/resource-server/target/example-resource-server.jar}, README's
         * command, with the port, the realm and the mode as command-line properties.
         */
        static ResourceServer start(KeycloakServer keycloak, String mode) throws IOException {
            Path jar = Path.of(System.getProperty("example.resource.server.jar"));
            if (!Files.isRegularFile(jar)) {
                throw new IllegalStateException("No example resource server at " + jar + ": build examples/resource-server first");
            }
            int port = KeycloakServer.freePort();
            Path log = Path.of(System.getProperty("keycloak.it.workdir") + "-resource-server-" + mode + ".log");
            Files.createDirectories(log.getParent());
            Path java = Path.of(System.getProperty("java.home"), "bin", "java");
            Process process = new ProcessBuilder(java.toString(), "-jar", jar.toString(),
                    "--server.port=" + port,
                    "--demo-api.issuer=" + keycloak.realmUrl(REALM),
                    "--demo-api.validation=" + mode,
                    // the harness's Keycloak and this process share one clock
                    "--demo-api.clock-skew=0s")
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            return new ResourceServer(mode, process, log, port, keycloak);
        }

        /** Waits until the example answers an unauthenticated request with 401. */
        void awaitReady() throws IOException {
            Instant deadline = Instant.now().plus(STARTUP_TIMEOUT);
            while (Instant.now().isBefore(deadline)) {
                if (!process.isAlive()) {
                    throw new IllegalStateException(this + " exited: " + Files.readString(log));
                }
                try {
                    if (http.get(baseUrl + "/users/", null).status() == 401) {
                        return;
                    }
                } catch (IllegalStateException notYetListening) {
                    // connection refused until Tomcat is up
                }
                try {
                    Thread.sleep(500);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
            throw new IllegalStateException(this + " did not start within " + STARTUP_TIMEOUT + ": " + Files.readString(log));
        }

        Answer get(String path, String bearer) {
            return http.get(baseUrl + path, bearer);
        }

        /** django-oauth-toolkit's tutorial's POST: {@code -d "username=foo&password=bar"}. */
        Answer post(String path, String bearer) {
            return http.postWithBearer(baseUrl + path, form("username", "foo", "password", "bar"), bearer);
        }

        @Override
        public void close() {
            process.destroy();
            try {
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }

        @Override
        public String toString() {
            return "example resource server (" + mode + ")";
        }
    }
}
