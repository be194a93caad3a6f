package io.github.kcawspack.it;

import static io.github.kcawspack.it.DemoRealm.API_CLIENT;
import static io.github.kcawspack.it.DemoRealm.API_CLIENT_SECRET;
import static io.github.kcawspack.it.DemoRealm.REALM;
import static io.github.kcawspack.it.DemoRealm.TESTCLIENT;
import static io.github.kcawspack.it.DemoRealm.TESTCLIENT_SECRET;
import static io.github.kcawspack.it.harness.OAuthClient.form;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.github.kcawspack.it.harness.Injected;
import io.github.kcawspack.it.harness.KeycloakExtension;
import io.github.kcawspack.it.harness.KeycloakServer;
import io.github.kcawspack.it.harness.OAuthClient;
import io.github.kcawspack.it.harness.OAuthClient.Answer;
import io.github.kcawspack.it.harness.PolicyRealm;
import io.github.kcawspack.it.harness.Users;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.ExtendWith;
import org.keycloak.admin.client.CreatedResponseUtil;
import org.keycloak.admin.client.resource.ClientResource;
import org.keycloak.admin.client.resource.RealmResource;
import org.keycloak.representations.idm.ClientRepresentation;
import org.keycloak.representations.idm.RealmRepresentation;

/**
 * Issue 17: every failed client authentication gets one answer, whether the client exists or not
 * (RFC 6749 section 5.2): 401, {@code {"error":"invalid_client","error_description":"Invalid
 * client or Invalid client credentials"}}, and {@code WWW-Authenticate: Basic realm="<realm>"}
 * whenever the request used the Authorization header; and {@code unauthorized_client} is 400.
 * Secret cases run against the demo realm's clients; the two JWT methods against clients of a
 * realm made here ({@value #JWT_REALM}), which the demo realm does not have.
 */
@ExtendWith(KeycloakExtension.class)
class ClientAuthenticationErrorsIT {

    static final String DESCRIPTION = "Invalid client or Invalid client credentials";
    static final String JWT_REALM = "client-auth-errors";
    static final String SECRET_JWT_CLIENT = "secret-jwt-app";
    /** HS256 needs at least 256 bits of key. */
    static final String SECRET_JWT_SECRET = "secret-jwt-app-secret-0123456789abcdefghijklmnop";
    static final String PRIVATE_KEY_JWT_CLIENT = "private-key-jwt-app";
    static final String ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

    /** A client whose tokens are switched to certificate-bound (RFC 8705) after they were issued. */
    static final String BOUND_CLIENT = "bound-app";
    static final String BOUND_SECRET = "bound-app-secret";
    static final String BOUND_USER = "carol";
    static final String BOUND_PASSWORD = "carol-it-password";

    @Injected
    KeycloakServer server;
    @Injected
    OAuthClient demo;
    private OAuthClient jwtRealm;
    private static RSAKey clientKey;

    @BeforeAll
    static void createJwtClients(KeycloakServer server) throws JOSEException {
        // Keycloak reads only keys marked for signatures from a client's JWKS
        clientKey = new RSAKeyGenerator(2048).keyID("it-" + UUID.randomUUID())
                .keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.RS256).generate();

        RealmRepresentation realm = new RealmRepresentation();
        realm.setRealm(JWT_REALM);
        realm.setEnabled(true);
        server.admin().realms().create(realm);
        RealmResource created = server.admin().realm(JWT_REALM);
        ClientRepresentation secretJwtClient = serviceClient(SECRET_JWT_CLIENT, "client-secret-jwt");
        secretJwtClient.setSecret(SECRET_JWT_SECRET);
        create(created, secretJwtClient);
        ClientRepresentation privateKeyClient = serviceClient(PRIVATE_KEY_JWT_CLIENT, "client-jwt");
        privateKeyClient.setAttributes(Map.of(
                "use.jwks.url", "false",
                "use.jwks.string", "true",
                "jwks.string", new JWKSet(clientKey.toPublicJWK()).toString()));
        create(created, privateKeyClient);
        ClientRepresentation boundClient = new ClientRepresentation();
        boundClient.setClientId(BOUND_CLIENT);
        boundClient.setEnabled(true);
        boundClient.setPublicClient(false);
        boundClient.setSecret(BOUND_SECRET);
        boundClient.setDirectAccessGrantsEnabled(true);
        boundClient.setStandardFlowEnabled(false);
        create(created, boundClient);
        Users.create(created, BOUND_USER, BOUND_PASSWORD, "Carol", "Bound");
    }

    @AfterAll
    static void deleteJwtRealm(KeycloakServer server) {
        server.admin().realm(JWT_REALM).remove();
    }

    @BeforeEach
    void connect() {
        jwtRealm = server.oauth(JWT_REALM);
    }

    @Test
    void unknownClientInBasicGetsTheWrongSecretAnswer() {
        Answer wrongSecret = demo.token(form("grant_type", "client_credentials"), TESTCLIENT + ":wrong-secret");
        Answer unknownClient = demo.token(form("grant_type", "client_credentials"), "no-such-client:wrong-secret");

        assertInvalidClient(wrongSecret, true);
        assertInvalidClient(unknownClient, true);
        assertThat(wrongSecret.raw().body()).doesNotContain("wrong-secret");
    }

    @Test
    void unknownClientInTheBodyGetsTheWrongSecretAnswer() {
        Answer wrongSecret = demo.token(form(
                "grant_type", "client_credentials", "client_id", TESTCLIENT, "client_secret", "wrong-secret"));
        Answer unknownClient = demo.token(form(
                "grant_type", "client_credentials", "client_id", "no-such-client", "client_secret", "wrong-secret"));

        assertInvalidClient(wrongSecret, false);
        assertInvalidClient(unknownClient, false);
    }

    @Test
    void basicValueThatIsNotBase64IsInvalidClientWithAChallenge() {
        Answer answer = demo.postWithAuthorization(server.tokenEndpoint(REALM),
                form("grant_type", "client_credentials"), "Basic !!!not-base64!!!");

        assertInvalidClient(answer, true);
    }

    @Test
    void basicValueWithoutColonIsInvalidClientWithAChallenge() {
        Answer answer = demo.postWithAuthorization(server.tokenEndpoint(REALM), form("grant_type", "client_credentials"),
                "Basic " + Base64.getEncoder().encodeToString(TESTCLIENT.getBytes(StandardCharsets.UTF_8)));

        assertInvalidClient(answer, true);
    }

    @Test
    void clientSecretJwtFailuresAreInvalidClient() throws JOSEException {
        assertThat(jwtClientCredentials(secretSigned(SECRET_JWT_CLIENT, SECRET_JWT_SECRET)).status())
                .as("the client is set up right: a correct assertion gets a token").isEqualTo(200);

        Answer wrongSecret = jwtClientCredentials(secretSigned(SECRET_JWT_CLIENT, SECRET_JWT_SECRET.replace('s', 'z')));
        Answer unknownClient = jwtClientCredentials(secretSigned("no-such-client", SECRET_JWT_SECRET));

        assertInvalidClient(wrongSecret, false);
        assertInvalidClient(unknownClient, false);
    }

    @Test
    void privateKeyJwtFailuresAreInvalidClient() throws JOSEException {
        assertThat(jwtClientCredentials(keySigned(PRIVATE_KEY_JWT_CLIENT, clientKey)).status())
                .as("the client is set up right: a correct assertion gets a token").isEqualTo(200);

        RSAKey otherKey = new RSAKeyGenerator(2048).keyID(clientKey.getKeyID()).generate();
        Answer wrongKey = jwtClientCredentials(keySigned(PRIVATE_KEY_JWT_CLIENT, otherKey));
        Answer unknownClient = jwtClientCredentials(keySigned("no-such-client", clientKey));

        assertInvalidClient(wrongKey, false);
        assertInvalidClient(unknownClient, false);
    }

    /**
     * Every endpoint of the running server's discovery document that authenticates clients, with
     * a wrong secret and with an unknown client, both in the Basic header: the two answers are
     * the same everywhere. They are RFC 6749 section 5.2's answer everywhere but at two endpoints
     * whose Keycloak code rewrites any client-authentication failure after the authenticators ran
     * (README, "RFC 6749 client-authentication errors"): PAR answers 401 {@code invalid_request}
     * "Authentication failed." (so does introspection before Keycloak 26.7) and CIBA's
     * backchannel endpoint drops the challenge header.
     */
    @TestFactory
    Stream<DynamicTest> everyEndpointThatAuthenticatesClientsAnswersAlike() {
        JsonNode discovery = demo.get(server.realmUrl(REALM) + "/.well-known/openid-configuration", null).json();
        List<String> endpoints = new ArrayList<>();
        for (String name : List.of("token_endpoint", "introspection_endpoint", "revocation_endpoint",
                "device_authorization_endpoint", "pushed_authorization_request_endpoint",
                "backchannel_authentication_endpoint")) {
            if (discovery.hasNonNull(name)) {
                endpoints.add(name);
            }
        }
        assertThat(endpoints).as("the server offers at least these").contains("token_endpoint", "introspection_endpoint",
                "revocation_endpoint");
        Map<String, String> request = form("grant_type", "client_credentials", "token", "not-a-token",
                "response_type", "code", "redirect_uri", DemoRealm.TESTCLIENT_REDIRECT, "scope", "openid",
                "login_hint", "alice");
        return endpoints.stream().map(name -> dynamicTest(name, () -> {
            String url = discovery.get(name).asText();
            Answer wrongSecret = demo.post(url, request, TESTCLIENT + ":wrong-secret");
            Answer unknownClient = demo.post(url, request, "no-such-client:wrong-secret");
            assertSameAnswer(unknownClient, wrongSecret);
            if (name.equals("pushed_authorization_request_endpoint")
                    || name.equals("introspection_endpoint") && !server.isAtLeast(26, 7)) {
                assertThat(wrongSecret.status()).isEqualTo(401);
                assertThat(wrongSecret.text("error")).as(wrongSecret.toString()).isEqualTo("invalid_request");
            } else if (name.equals("backchannel_authentication_endpoint")) {
                assertThat(wrongSecret.status()).isEqualTo(401);
                assertThat(wrongSecret.text("error")).as(wrongSecret.toString()).isEqualTo("invalid_client");
                assertThat(wrongSecret.text("error_description")).isEqualTo(DESCRIPTION);
            } else {
                assertInvalidClient(wrongSecret, true);
                assertInvalidClient(unknownClient, true);
            }
        }));
    }

    /**
     * A public client at the introspection endpoint (the demo realm's {@value AwsWorkload#CLIENT}):
     * it can never introspect (RFC 7662 section 2.1; a public client has no credentials), and
     * Keycloak answered it 403 "Client not allowed." where an unknown client id gets 401, which told
     * which client ids exist. Now both get the same status, body and header, in the Basic header and
     * in the body: RFC 6749 section 5.2's answer on 26.7, the endpoint's own rewrite before 26.7.
     */
    @Test
    void publicClientAtIntrospectionGetsTheUnknownClientAnswer() {
        String introspection = server.tokenEndpoint(REALM) + "/introspect";
        Answer publicBasic = demo.post(introspection, form("token", "not-a-token"), AwsWorkload.CLIENT + ":any-secret");
        Answer unknownBasic = demo.post(introspection, form("token", "not-a-token"), "no-such-client:any-secret");
        Answer publicBody = demo.post(introspection, form("token", "not-a-token", "client_id", AwsWorkload.CLIENT), null);
        Answer unknownBody = demo.post(introspection, form("token", "not-a-token", "client_id", "no-such-client"), null);

        assertSameAnswer(publicBasic, unknownBasic);
        assertSameAnswer(publicBody, unknownBody);
        assertThat(publicBasic.status()).as(publicBasic.toString()).isEqualTo(401);
        if (server.isAtLeast(26, 7)) {
            assertInvalidClient(publicBasic, true);
            assertInvalidClient(publicBody, false);
        }
    }

    /**
     * The revocation and PAR endpoints serve public clients (RFC 7009 section 2.1, RFC 9126 section
     * 2), so a public client's request there is not a failed client authentication and keeps
     * Keycloak's answer: revoking a token that is none is 200 (RFC 7009 section 2.2), and PAR
     * judges the authorization request (this client has no code flow), neither 401.
     */
    @Test
    void publicClientsStillRevokeAndPushAuthorizationRequests() {
        JsonNode discovery = demo.get(server.realmUrl(REALM) + "/.well-known/openid-configuration", null).json();

        Answer revoke = demo.post(discovery.get("revocation_endpoint").asText(),
                form("token", "not-a-token", "client_id", AwsWorkload.CLIENT), null);
        Answer par = demo.post(discovery.get("pushed_authorization_request_endpoint").asText(), form(
                "client_id", AwsWorkload.CLIENT, "response_type", "code", "redirect_uri", DemoRealm.TESTCLIENT_REDIRECT,
                "scope", "openid"), null);

        assertThat(revoke.status()).as(revoke.toString()).isEqualTo(200);
        assertThat(par.status()).as(par.toString()).isNotEqualTo(401);
        assertThat(par.text("error")).as(par.toString()).isNotEqualTo("invalid_client");
    }

    @Test
    void clientCredentialsWithoutAServiceAccountIsUnauthorizedClientWith400() {
        Answer answer = demo.token(form("grant_type", "client_credentials"), API_CLIENT + ":" + API_CLIENT_SECRET);

        assertThat(answer.status()).as(answer.toString()).isEqualTo(400);
        assertThat(answer.text("error")).isEqualTo("unauthorized_client");
    }

    /**
     * Every grant type the server registers, asked for by a client that authenticates correctly:
     * whatever the grant answers, {@code unauthorized_client} comes with 400 (RFC 6749 section 5.2).
     * Not the tests' own grant (test-providers/unknown-grant-type): it is Keycloak's client
     * credentials grant under another id, which the pack does not replace, so it still says 401.
     */
    @TestFactory
    Stream<DynamicTest> noGrantAnswersUnauthorizedClientWith401() {
        return server.grantTypes().stream().sorted()
                .filter(grantType -> !grantType.equals(PolicyRealm.TEST_ONLY_GRANT))
                .map(grantType -> dynamicTest(grantType, () -> {
            for (String client : List.of(API_CLIENT + ":" + API_CLIENT_SECRET, TESTCLIENT + ":" + TESTCLIENT_SECRET)) {
                Answer answer = demo.token(form("grant_type", grantType, "scope", "openid"), client);
                if ("unauthorized_client".equals(answer.text("error"))) {
                    assertThat(answer.status()).as(client.split(":")[0] + " " + answer).isEqualTo(400);
                }
            }
        }));
    }

    /**
     * A client that authenticated correctly but may not use what it asks for, at the endpoints
     * beside the token endpoint: README ("RFC 6749 client-authentication errors") lists these as
     * Keycloak's own answers, which the pack does not replace. The device authorization endpoint
     * says 400 {@code unauthorized_client}; PAR says 401 {@code unauthorized_client} for a response
     * type the client may not use (web-app has no implicit flow); CIBA's backchannel endpoint
     * turns its own 400 {@code invalid_grant} for a client without CIBA into a 401.
     */
    @Test
    void authenticatedClientsThatMayNotUseAFlowBesideTheTokenEndpoint() {
        JsonNode discovery = demo.get(server.realmUrl(REALM) + "/.well-known/openid-configuration", null).json();

        Answer device = demo.post(discovery.get("device_authorization_endpoint").asText(), form("scope", "openid"),
                TESTCLIENT + ":" + TESTCLIENT_SECRET);
        assertThat(device.status()).as(device.toString()).isEqualTo(400);
        assertThat(device.text("error")).isEqualTo("unauthorized_client");

        Answer par = demo.post(discovery.get("pushed_authorization_request_endpoint").asText(), form(
                "response_type", "token", "redirect_uri", DemoRealm.WEB_APP_REDIRECT, "scope", "openid"),
                DemoRealm.WEB_APP + ":" + DemoRealm.WEB_APP_SECRET);
        assertThat(par.status()).as(par.toString()).isEqualTo(401);
        assertThat(par.text("error")).isEqualTo("unauthorized_client");

        Answer ciba = demo.post(discovery.get("backchannel_authentication_endpoint").asText(), form(
                "scope", "openid", "login_hint", DemoRealm.ALICE), TESTCLIENT + ":" + TESTCLIENT_SECRET);
        assertThat(ciba.status()).as(ciba.toString()).isEqualTo(401);
        assertThat(ciba.text("error")).isEqualTo("invalid_grant");
    }

    /**
     * The mTLS-free refresh: a refresh of a certificate-bound token (RFC 8705) without the client
     * certificate it is bound to. Keycloak answers 401 {@code unauthorized_client}; the pack's
     * refresh grant makes it 400 (RFC 6749 section 5.2). The token is issued before the client is
     * switched to certificate-bound tokens, since a bound token cannot be issued without TLS.
     */
    @Test
    void refreshWithoutTheBoundCertificateIsUnauthorizedClientWith400() {
        Answer first = jwtRealm.token(form("grant_type", "password", "username", BOUND_USER, "password", BOUND_PASSWORD),
                BOUND_CLIENT + ":" + BOUND_SECRET);
        assertThat(first.status()).as(first.toString()).isEqualTo(200);
        ClientResource client = server.admin().realm(JWT_REALM).clients()
                .get(server.admin().realm(JWT_REALM).clients().findByClientId(BOUND_CLIENT).get(0).getId());
        ClientRepresentation bound = client.toRepresentation();
        Map<String, String> attributes = new HashMap<>(bound.getAttributes());
        attributes.put("tls.client.certificate.bound.access.tokens", "true");
        bound.setAttributes(attributes);
        client.update(bound);

        Answer refreshed = jwtRealm.token(form("grant_type", "refresh_token", "refresh_token", first.text("refresh_token")),
                BOUND_CLIENT + ":" + BOUND_SECRET);

        assertThat(refreshed.status()).as(refreshed.toString()).isEqualTo(400);
        assertThat(refreshed.text("error")).isEqualTo("unauthorized_client");
        assertThat(refreshed.text("access_token")).isNull();
    }

    static void assertSameAnswer(Answer actual, Answer expected) {
        assertThat(actual.status()).as(actual.toString()).isEqualTo(expected.status());
        assertThat(actual.raw().body()).isEqualTo(expected.raw().body());
        assertThat(actual.header("WWW-Authenticate")).isEqualTo(expected.header("WWW-Authenticate"));
    }

    static void assertInvalidClient(Answer answer, boolean challenged) {
        assertThat(answer.status()).as(answer.toString()).isEqualTo(401);
        assertThat(answer.json().get("error").asText()).as(answer.toString()).isEqualTo("invalid_client");
        assertThat(answer.json().get("error_description").asText()).as(answer.toString()).isEqualTo(DESCRIPTION);
        List<String> fields = new ArrayList<>();
        answer.json().fieldNames().forEachRemaining(fields::add);
        assertThat(fields).containsExactlyInAnyOrder("error", "error_description");
        if (challenged) {
            assertThat(answer.header("WWW-Authenticate")).as(answer.toString()).isEqualTo("Basic realm=\"" + REALM + "\"");
        } else {
            assertThat(answer.header("WWW-Authenticate")).as(answer.toString()).isNull();
        }
    }

    private Answer jwtClientCredentials(String assertion) {
        return jwtRealm.token(form("grant_type", "client_credentials",
                "client_assertion_type", ASSERTION_TYPE, "client_assertion", assertion));
    }

    private JWTClaimsSet claims(String clientId) {
        Date now = new Date();
        return new JWTClaimsSet.Builder().issuer(clientId).subject(clientId)
                .audience(server.realmUrl(JWT_REALM)).jwtID(UUID.randomUUID().toString())
                .issueTime(now).expirationTime(new Date(now.getTime() + 60_000)).build();
    }

    private String secretSigned(String clientId, String secret) throws JOSEException {
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims(clientId));
        jwt.sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
        return jwt.serialize();
    }

    private String keySigned(String clientId, RSAKey key) throws JOSEException {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), claims(clientId));
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }

    private static ClientRepresentation serviceClient(String clientId, String authenticator) {
        ClientRepresentation client = new ClientRepresentation();
        client.setClientId(clientId);
        client.setEnabled(true);
        client.setPublicClient(false);
        client.setServiceAccountsEnabled(true);
        client.setStandardFlowEnabled(false);
        client.setClientAuthenticatorType(authenticator);
        return client;
    }

    /** Creates {@code client}; the admin client's answer other than 201 fails the test. */
    private static void create(RealmResource realm, ClientRepresentation client) {
        try (var created = realm.clients().create(client)) {
            CreatedResponseUtil.getCreatedId(created);
        }
    }
}
