package io.github.kcawspack.it;

import static io.github.kcawspack.it.harness.PolicyRealm.BOB;
import static io.github.kcawspack.it.harness.PolicyRealm.assertRefused;
import static io.github.kcawspack.it.harness.OAuthClient.form;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jwt.JWTClaimsSet;
import io.github.kcawspack.it.harness.KeycloakExtension;
import io.github.kcawspack.it.harness.KeycloakServer;
import io.github.kcawspack.it.harness.OAuthClient;
import io.github.kcawspack.it.harness.OAuthClient.Answer;
import io.github.kcawspack.it.harness.PolicyRealm;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 18: AWS-issued JWTs (STS GetWebIdentityToken) at the token endpoint with
 * {@code grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer} (RFC 7523), verified offline
 * against the configured issuer's JWKS (a local issuer shaped as AWS documents it), through the
 * same client switch, principal bindings, user links and restricted-scope policy as
 * {@code aws_identity}. Every refusal is {@code invalid_grant} with the event's reason. Keycloak's
 * own JWT authorization grant keeps working for an issuer that is not an AWS one. Bindings may
 * ask for the token's organization ID, OU path and principal tags. The issuer's keys are cached:
 * tokens with a cached key keep working while the issuer is down, a token whose key is not cached
 * gets 503 temporarily_unavailable then (with one fetch attempt per interval while it is down), a
 * rotated key is accepted after one refetch, and a flood of unknown kids fetches the key set at most
 * once per Keycloak's minimum interval.
 *
 * <p>Keycloak 26.5 has the JWT authorization grant (and so this path) only behind the preview
 * feature jwt-authorization-grant, off by default: there the class runs when the run switches it on
 * ({@code -Dkeycloak.it.features=jwt-authorization-grant}, as bin/test-compat's 26.5 JDK 17 cell
 * does) and is skipped otherwise, saying so.
 */
@ExtendWith(KeycloakExtension.class)
class AwsWebIdentityTokenIT {

    private static final String ACCOUNT = "111122223333";
    private static final String OTHER_ACCOUNT = "444455556666";
    /** An account whose only bindings have organization or tag conditions. */
    private static final String ORG_ACCOUNT = "777788889999";
    private static final String ORG_ID = "o-a1b2c3d4e5";
    private static final String OU = ORG_ID + "/r-ab12/ou-ab12-11111111/";
    /**
     * Keycloak's default minimum time between two fetches of one key set (public-key-storage
     * provider infinispan, minTimeBetweenRequests), which the pack also waits after a failed fetch;
     * the test server does not change it.
     */
    private static final Duration MIN_REFETCH_INTERVAL = Duration.ofSeconds(10);
    private static final String OTHER_CLIENT = "not-switched-on";
    /** Machine users: no password, no other link (aws_identity's rule: the user cannot remove its link). */
    private static final String WRITER_MACHINE = "deployer-writer";
    private static final String READER_MACHINE = "deployer-reader";

    private static KeycloakServer server;
    private static PolicyRealm realm;
    private static FakeAwsTokenIssuer aws;
    private static FakeAwsTokenIssuer orgAws;
    private static JwtBearerIssuer corporateIdp;
    private static AwsRealmConfig config;
    private static String audience;

    @BeforeAll
    static void createRealm(KeycloakServer keycloak) {
        server = keycloak;
        PolicyRealm.assumeJwtBearerGrant(server);
        realm = PolicyRealm.create(server, "aws-web-identity", JwtBearerIssuer.CLIENT_ATTRIBUTES);
        audience = server.realmUrl(realm.name());
        config = new AwsRealmConfig(server);
        aws = FakeAwsTokenIssuer.start();

        config.addLinkProvider(realm.name());
        ObjectNode clientsItem = PolicyRealm.object().put("name", "app").put("providerId", "aws-identity-clients")
                .put("providerType", AwsRealmConfig.COMPONENT_TYPE);
        clientsItem.putObject("config").putArray("clientId").add(PolicyRealm.CLIENT);
        config.add(realm.name(), clientsItem);
        config.add(realm.name(), AwsRealmConfig.binding("roles of " + ACCOUNT, "priority", "10",
                "partition", "aws", "account", ACCOUNT, "type", "role", "namePattern", "*", "provisionUsers", "false"));
        config.add(realm.name(), AwsRealmConfig.binding("roles of " + OTHER_ACCOUNT, "priority", "20",
                "partition", "aws", "account", OTHER_ACCOUNT, "type", "role", "namePattern", "*", "provisionUsers", "false"));
        config.add(realm.name(), issuerItem(aws.issuer(), ACCOUNT, "3600"));
        realm.grantRealmRole(machineUser(WRITER_MACHINE), "writer");
        machineUser(READER_MACHINE);
        link(WRITER_MACHINE, "writer-role");
        link(READER_MACHINE, "reader-role");

        realm.createClient(PolicyRealm.object().put("clientId", OTHER_CLIENT).put("secret", "other-secret")
                .put("publicClient", false).put("standardFlowEnabled", false));

        corporateIdp = JwtBearerIssuer.register(server, realm);
        corporateIdp.link(BOB);

        orgAws = FakeAwsTokenIssuer.start();
        config.add(realm.name(), issuerItem(orgAws.issuer(), ORG_ACCOUNT, "3600"));
        config.add(realm.name(), AwsRealmConfig.binding("organization " + ORG_ID, "priority", "30",
                "account", ORG_ACCOUNT, "type", "role", "namePattern", "in-org-*", "provisionUsers", "false", "orgId", ORG_ID));
        config.add(realm.name(), AwsRealmConfig.binding("OU " + OU, "priority", "31",
                "account", ORG_ACCOUNT, "type", "role", "namePattern", "in-ou-*", "provisionUsers", "false", "ouPathPrefix", OU));
        config.add(realm.name(), AwsRealmConfig.binding("tagged", "priority", "32",
                "account", ORG_ACCOUNT, "type", "role", "namePattern", "tagged-*", "provisionUsers", "false",
                "principalTags", "[{\"key\":\"team\",\"value\":\"platform\"},{\"key\":\"cost center\",\"value\":\"42\"}]"));

        for (String role : new String[] {"in-org-app", "in-ou-app", "tagged-app"}) {
            machineUser(role + "-machine");
            link(role + "-machine", ORG_ACCOUNT, role);
        }
    }

    @AfterAll
    static void deleteRealm() {
        if (realm != null) {
            realm.close();
        }
        if (aws != null) {
            aws.close();
        }
        if (orgAws != null) {
            orgAws.close();
        }
    }

    private static ObjectNode issuerItem(String issuer, String account, String maxLifetime) {
        ObjectNode item = PolicyRealm.object().put("name", issuer).put("providerId", "aws-web-identity-issuers")
                .put("providerType", AwsRealmConfig.COMPONENT_TYPE);
        ObjectNode itemConfig = item.putObject("config");
        itemConfig.putArray("issuer").add(issuer);
        itemConfig.putArray("account").add(account);
        itemConfig.putArray("maxLifetimeSeconds").add(maxLifetime);
        return item;
    }

    private static String machineUser(String username) {
        return config.createMachineUser(realm.name(), username);
    }

    /** Links {@code username} to the role, leaving the unique id to be recorded ("*"), as an administrator does. */
    private static void link(String username, String role) {
        link(username, ACCOUNT, role);
    }

    private static void link(String username, String account, String role) {
        config.link(realm.name(), realm.userId(username), "arn:aws:iam::" + account + ":role/" + role, "*");
    }

    private static Answer exchange(String assertion, String scope) {
        return exchange(assertion, scope, PolicyRealm.CLIENT_BASIC);
    }

    private static Answer exchange(String assertion, String scope, String basic) {
        return realm.oauth().token(form("grant_type", PolicyRealm.JWT_BEARER_GRANT, "assertion", assertion, "scope", scope), basic);
    }

    /** 400 invalid_grant, and the newest LOGIN_ERROR-style event names {@code reason}. */
    private static void assertRefusedFor(Answer answer, String reason) {
        assertRefused(answer, "invalid_grant");
        JsonNode newest = realm.errorEvents("invalid_grant").get(0);
        assertThat(newest.path("details").path("reason").asText()).as(newest.toString()).isEqualTo(reason);
    }

    private static FakeAwsTokenIssuer.Token bobsToken() {
        return aws.token(ACCOUNT, "reader-role", audience);
    }

    @Test
    void theBoundUsersRoleGetsATokenNarrowedByThePolicy() throws Exception {
        Answer answer = exchange(bobsToken().serialize(), "read write");

        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        realm.assertIssuedWithoutWrite(answer);
        assertThat(PolicyRealm.words(answer.text("scope"))).contains("read");
        JWTClaimsSet claims = realm.tokens().verify(answer.text("access_token"));
        assertThat(claims.getSubject()).isEqualTo(realm.userId(READER_MACHINE));
        assertThat(answer.text("refresh_token")).as("no refresh token: a new AWS token is the way to renew").isNull();
    }

    @Test
    void anEs384TokenOfTheWriterRoleGetsWrite() {
        Answer answer = exchange(aws.token(ACCOUNT, "writer-role", audience).es384().serialize(), "read write");

        realm.assertIssuedWithWrite(answer);
    }

    @Test
    void aTokenWorksOnce() {
        String token = bobsToken().serialize();
        assertThat(exchange(token, "read").status()).isEqualTo(200);

        assertRefusedFor(exchange(token, "read"), "jti_replayed");
    }

    @Test
    void anIssuerThatIsNotConfiguredIsKeycloaksAndRefused() {
        Answer answer = exchange(bobsToken().issuer("https://attacker.tokens.sts.global.api.aws").serialize(), "read");

        assertRefused(answer, "invalid_grant");
    }

    @Test
    void algNoneIsRefused() {
        assertRefusedFor(exchange(bobsToken().unsigned(), "read"), "alg_not_allowed");
    }

    @Test
    void hs256KeyedWithThePublicKeyIsRefused() {
        assertRefusedFor(exchange(bobsToken().hmacWithPublicKey().serialize(), "read"), "alg_not_allowed");
    }

    @Test
    void anUnknownKidIsRefused() {
        assertRefusedFor(exchange(bobsToken().kid("not-a-key-of-this-issuer").serialize(), "read"), "key_unknown");
    }

    @Test
    void anotherRealmsAudienceIsRefused() {
        assertRefusedFor(exchange(bobsToken().audience(server.realmUrl("master")).serialize(), "read"), "audience_mismatch");
    }

    @Test
    void anExpiredTokenIsRefused() {
        Instant anHourAgo = Instant.now().minus(Duration.ofHours(1));
        assertRefusedFor(exchange(bobsToken().issuedAt(anHourAgo).serialize(), "read"), "expired");
    }

    @Test
    void aTokenIssuedInTheFutureIsRefused() {
        Instant inAnHour = Instant.now().plus(Duration.ofHours(1));
        assertRefusedFor(exchange(bobsToken().issuedAt(inAnHour).serialize(), "read"), "issued_in_future");
    }

    @Test
    void aLifetimeOverTheMaximumIsRefused() {
        assertRefusedFor(exchange(bobsToken().lifetime(Duration.ofHours(2)).serialize(), "read"), "lifetime_too_long");
    }

    @Test
    void aSubjectOfAnotherAccountIsRefusedThoughABindingAdmitsIt() {
        Answer answer = exchange(aws.token(OTHER_ACCOUNT, "reader-role", audience).serialize(), "read");

        assertRefusedFor(answer, "account_mismatch");
    }

    @Test
    void subjectAndAwsAccountDisagreeingIsRefused() {
        assertRefusedFor(exchange(bobsToken().awsAccount(OTHER_ACCOUNT).serialize(), "read"), "aws_account_mismatch");
    }

    @Test
    void anAssumedRoleSessionAsSubjectIsRefused() {
        String session = "arn:aws:sts::" + ACCOUNT + ":assumed-role/reader-role/session";
        assertRefusedFor(exchange(bobsToken().subject(session).serialize(), "read"), "principal_unsupported");
    }

    @Test
    void anOversizeTokenIsRefused() {
        String padded = bobsToken().jti("x".repeat(20_000)).serialize();
        Answer answer = exchange(padded, "read");

        assertThat(answer.status()).as(answer.toString()).isEqualTo(400);
        assertThat(answer.json().has("access_token")).isFalse();
    }

    @Test
    void aClientNotSwitchedOnIsRefused() {
        Answer answer = exchange(bobsToken().serialize(), "read", OTHER_CLIENT + ":other-secret");

        assertRefused(answer, "unauthorized_client");
    }

    @Test
    void aUserLinkedWithAUniqueIdIsReachedOnlyThroughAwsIdentity() {
        String carol = machineUser("carol");
        config.link(realm.name(), carol, "arn:aws:iam::" + ACCOUNT + ":role/carol-role", "AROACAROLEXAMPLE1");

        assertRefusedFor(exchange(aws.token(ACCOUNT, "carol-role", audience).serialize(), "read"), "unique_id_unverifiable");
    }

    @Test
    void keycloaksOwnJwtAuthorizationGrantStillWorksForItsIdentityProvider() {
        Answer answer = corporateIdp.token("ext-" + BOB, "read");

        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        realm.assertIssuedWithoutWrite(answer);
    }

    @Test
    void theIssuerPageRefusesAnAccountThatIsNotTwelveDigits() {
        AwsRealmConfig.Reply reply = config.create(realm.name(), issuerItem("https://example.tokens.sts.global.api.aws", "12345", "300"));

        assertThat(reply.status()).as(reply.toString()).isEqualTo(400);
        assertThat(reply.body()).contains("account");
    }

    @Test
    void theIssuerPageRefusesPlainHttpOffLoopback() {
        AwsRealmConfig.Reply reply = config.create(realm.name(), issuerItem("http://example.tokens.sts.global.api.aws", ACCOUNT, "300"));

        assertThat(reply.status()).as(reply.toString()).isEqualTo(400);
    }

    @Test
    void aTamperedSignatureIsRefused() {
        String token = bobsToken().serialize();
        String[] parts = token.split("\\.");
        String otherSignature = aws.token(ACCOUNT, "writer-role", audience).serialize().split("\\.")[2];

        assertRefusedFor(exchange(parts[0] + "." + parts[1] + "." + otherSignature, "read"), "signature_invalid");
    }

    @Test
    void inRejectModeAWithheldScopeIsRefusedWithInvalidScope() {
        realm.policy("""
                {"mode": "reject", "rules": [{"scope": "write", "realmRoles": ["writer"]}]}""");
        try {
            assertRefused(exchange(bobsToken().serialize(), "read write"), "invalid_scope");
        } finally {
            realm.policy(PolicyRealm.FILTER_WRITE_FOR_WRITERS);
        }
    }

    @Test
    void theEventNamesTheRoleAndAccount() {
        assertThat(exchange(bobsToken().serialize(), "read").status()).isEqualTo(200);

        // The event type is Keycloak's JWT authorization grant's: JWT_AUTHORIZATION_GRANT from 26.6,
        // LOGIN on 26.5 (where that type does not exist and the events API refuses it with 500).
        String type = server.isAtLeast(26, 6) ? "JWT_AUTHORIZATION_GRANT" : "LOGIN";
        Map<String, String> details = realm.realm().getEvents(List.of(type), null, null, null, null, null, 0, 20)
                .get(0).getDetails();
        assertThat(details).containsEntry("grant_type", PolicyRealm.JWT_BEARER_GRANT)
                .containsEntry("aws_arn", "arn:aws:iam::" + ACCOUNT + ":role/reader-role")
                .containsEntry("aws_account", ACCOUNT);
    }

    @Test
    void theIssuerPageRefusesASecondItemForTheSameIssuer() {
        AwsRealmConfig.Reply reply = config.create(realm.name(), issuerItem(aws.issuer(), ACCOUNT, "300"));

        assertThat(reply.status()).as(reply.toString()).isEqualTo(400);
        assertThat(reply.body()).contains("already");
    }

    private static FakeAwsTokenIssuer.Token orgToken(String role) {
        return orgAws.token(ORG_ACCOUNT, role, audience).orgId(ORG_ID).ouPath(OU).principalTags(Map.of());
    }

    @Test
    void aBindingWithAnOrganizationIdAdmitsThatOrganizationsPrincipalsOnly() throws Exception {
        Answer member = exchange(orgToken("in-org-app").serialize(), "read");
        assertThat(member.status()).as(member.toString()).isEqualTo(200);
        assertThat(realm.tokens().verify(member.text("access_token")).getSubject()).isEqualTo(realm.userId("in-org-app-machine"));

        assertRefusedFor(exchange(orgToken("in-org-app").orgId("o-z9y8x7w6v5").serialize(), "read"), "no_binding");
        assertRefusedFor(exchange(orgToken("in-org-app").orgId(null).serialize(), "read"), "no_binding");
    }

    @Test
    void aBindingWithAnOuPathPrefixAdmitsThatOuAndTheOusUnderIt() {
        assertThat(exchange(orgToken("in-ou-app").serialize(), "read").status()).isEqualTo(200);
        Answer nested = exchange(orgToken("in-ou-app").ouPath(OU + "ou-ab12-22222222/").serialize(), "read");
        assertThat(nested.status()).as(nested.toString()).isEqualTo(200);

        assertRefusedFor(exchange(orgToken("in-ou-app").ouPath(ORG_ID + "/r-ab12/ou-ab12-33333333/").serialize(), "read"),
                "no_binding");
        assertRefusedFor(exchange(orgToken("in-ou-app").ouPath(ORG_ID + "/r-ab12/ou-ab12-111111112/").serialize(), "read"),
                "no_binding");
        assertRefusedFor(exchange(orgToken("in-ou-app").ouPath(ORG_ID + "/r-ab12/").serialize(), "read"), "no_binding");
        assertRefusedFor(exchange(orgToken("in-ou-app").ouPath(null).serialize(), "read"), "no_binding");
    }

    @Test
    void aBindingWithPrincipalTagsAdmitsOnlyThoseExactValues() {
        Answer tagged = exchange(orgToken("tagged-app")
                .principalTags(Map.of("team", "platform", "cost center", "42", "env", "prod")).serialize(), "read");
        assertThat(tagged.status()).as(tagged.toString()).isEqualTo(200);

        assertRefusedFor(exchange(orgToken("tagged-app").principalTags(Map.of("team", "Platform", "cost center", "42"))
                .serialize(), "read"), "no_binding");
        assertRefusedFor(exchange(orgToken("tagged-app").principalTags(Map.of("team", "platform")).serialize(), "read"),
                "no_binding");
    }

    /** A configured issuer of ACCOUNT for one test, removed after it; its keys are cached under its own URL. */
    private static String configure(FakeAwsTokenIssuer issuer) {
        return config.add(realm.name(), issuerItem(issuer.issuer(), ACCOUNT, "3600"));
    }

    @Test
    void tokensSignedWithACachedKeyAreAcceptedWhileTheIssuerIsDown() {
        try (FakeAwsTokenIssuer issuer = FakeAwsTokenIssuer.start()) {
            String item = configure(issuer);
            try {
                assertThat(exchange(issuer.token(ACCOUNT, "reader-role", audience).serialize(), "read").status()).isEqualTo(200);
                int fetches = issuer.jwksFetches();
                issuer.down();

                Answer whileDown = exchange(issuer.token(ACCOUNT, "reader-role", audience).serialize(), "read");

                assertThat(whileDown.status()).as(whileDown.toString()).isEqualTo(200);
                assertThat(issuer.jwksFetches()).as("the cached key was used, nothing fetched").isEqualTo(fetches);
            } finally {
                config.remove(realm.name(), item);
            }
        }
    }

    @Test
    void withNoCachedKeyAnIssuerThatIsDownIsTemporarilyUnavailable() {
        try (FakeAwsTokenIssuer issuer = FakeAwsTokenIssuer.start()) {
            String item = configure(issuer);
            try {
                issuer.down();

                Answer answer = exchange(issuer.token(ACCOUNT, "reader-role", audience).serialize(), "read");

                assertThat(answer.status()).as(answer.toString()).isEqualTo(503);
                assertThat(answer.text("error")).isEqualTo("temporarily_unavailable");
                assertThat(answer.json().has("access_token")).isFalse();
                assertThat(answer.raw().body()).doesNotContain(FakeAwsTokenIssuer.OUTAGE_BODY).doesNotContain("503");
                JsonNode event = realm.errorEvents("temporarily_unavailable").get(0);
                assertThat(event.path("details").path("reason").asText()).as(event.toString()).isEqualTo("jwks_unavailable");
                assertThat(event.toString()).doesNotContain(FakeAwsTokenIssuer.OUTAGE_BODY);

                issuer.up();
                // A failed fetch holds the next one back for the retry interval: wait it out (a lower
                // bound, so the outcome does not depend on this machine's speed).
                sleepUntil(issuer.lastDiscoveryFetch().plus(MIN_REFETCH_INTERVAL).plusSeconds(1));
                Answer afterwards = exchange(issuer.token(ACCOUNT, "reader-role", audience).serialize(), "read");
                assertThat(afterwards.status()).as("the issuer is back: %s", afterwards).isEqualTo(200);
            } finally {
                config.remove(realm.name(), item);
            }
        }
    }

    /**
     * Keycloak's key storage records only fetches that succeed: while the issuer is down, each
     * token with a kid that is not cached would try a fetch. The pack tries one per interval and
     * answers the others 503 at once; keys it has cached keep working.
     */
    @Test
    void whileTheIssuerIsDownUnknownKidsTryOneFetchPerIntervalAndCachedKeysStillWork() {
        try (FakeAwsTokenIssuer issuer = FakeAwsTokenIssuer.start()) {
            String item = configure(issuer);
            try {
                assertThat(exchange(issuer.token(ACCOUNT, "reader-role", audience).serialize(), "read").status()).isEqualTo(200);
                issuer.down();
                // Past Keycloak's own minimum interval since the successful fetch, it would refetch
                // for every unknown kid.
                sleepUntil(issuer.lastJwksFetch().plus(MIN_REFETCH_INTERVAL).plusSeconds(1));
                int attemptsBefore = issuer.discoveryFetches();
                long start = System.nanoTime();

                for (int i = 0; i < 20; i++) {
                    Answer answer = exchange(issuer.token(ACCOUNT, "reader-role", audience).kid("unknown-" + i).serialize(),
                            "read");
                    assertThat(answer.status()).as(answer.toString()).isEqualTo(503);
                    assertThat(answer.text("error")).isEqualTo("temporarily_unavailable");
                }

                // However slow this machine is, each further attempt needs a whole interval since the one before.
                Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
                long intervals = elapsed.toMillis() / MIN_REFETCH_INTERVAL.toMillis();
                assertThat(issuer.discoveryFetches() - attemptsBefore).as("fetch attempts in %s for 20 unknown kids", elapsed)
                        .isBetween(1, 1 + (int) intervals);
                JsonNode event = realm.errorEvents("temporarily_unavailable").get(0);
                assertThat(event.path("details").path("reason").asText()).as(event.toString()).isEqualTo("jwks_unavailable");
                int attemptsAfter = issuer.discoveryFetches();
                Answer cached = exchange(issuer.token(ACCOUNT, "reader-role", audience).serialize(), "read");
                assertThat(cached.status()).as("the cached key still works: %s", cached).isEqualTo(200);
                assertThat(issuer.discoveryFetches()).as("without a fetch").isEqualTo(attemptsAfter);
            } finally {
                config.remove(realm.name(), item);
            }
        }
    }

    @Test
    void aFloodOfUnknownKidsFetchesTheKeySetAtMostOncePerMinimumInterval() {
        try (FakeAwsTokenIssuer issuer = FakeAwsTokenIssuer.start()) {
            String item = configure(issuer);
            try {
                long start = System.nanoTime();
                assertThat(exchange(issuer.token(ACCOUNT, "reader-role", audience).serialize(), "read").status()).isEqualTo(200);
                assertThat(issuer.jwksFetches()).isEqualTo(1);

                for (int i = 0; i < 30; i++) {
                    assertRefusedFor(exchange(issuer.token(ACCOUNT, "reader-role", audience).kid("unknown-" + i).serialize(),
                            "read"), "key_unknown");
                }

                // However slow this machine is, each refetch needs a whole interval since the one before.
                Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
                long intervals = elapsed.toMillis() / MIN_REFETCH_INTERVAL.toMillis();
                assertThat(issuer.jwksFetches() - 1).as("refetches in %s for 30 unknown kids", elapsed)
                        .isLessThanOrEqualTo((int) intervals);
            } finally {
                config.remove(realm.name(), item);
            }
        }
    }

    @Test
    void aTokenSignedWithARotatedKeyIsAcceptedAfterOneRefetch() {
        try (FakeAwsTokenIssuer issuer = FakeAwsTokenIssuer.start()) {
            String item = configure(issuer);
            try {
                assertThat(exchange(issuer.token(ACCOUNT, "reader-role", audience).serialize(), "read").status()).isEqualTo(200);
                issuer.rotate();
                // Keycloak refetches no sooner than its minimum interval after the last fetch: wait it
                // out (a lower bound, so the outcome does not depend on this machine's speed).
                sleepUntil(issuer.lastJwksFetch().plus(MIN_REFETCH_INTERVAL).plusSeconds(1));
                int before = issuer.jwksFetches();

                Answer rotated = exchange(issuer.token(ACCOUNT, "reader-role", audience).serialize(), "read");

                assertThat(rotated.status()).as(rotated.toString()).isEqualTo(200);
                assertThat(issuer.jwksFetches()).as("one refetch").isEqualTo(before + 1);
                assertThat(exchange(issuer.token(ACCOUNT, "reader-role", audience).serialize(), "read").status()).isEqualTo(200);
                assertThat(issuer.jwksFetches()).as("the new key is cached").isEqualTo(before + 1);
            } finally {
                config.remove(realm.name(), item);
            }
        }
    }

    private static void sleepUntil(Instant moment) {
        Duration wait = Duration.between(Instant.now(), moment);
        if (!wait.isNegative()) {
            try {
                Thread.sleep(wait.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}
