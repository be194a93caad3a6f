package io.github.kcawspack.it;

import static io.github.kcawspack.it.DemoRealm.REALM;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.JWTClaimsSet;
import io.github.kcawspack.it.fakests.AwsRequestSigner;
import io.github.kcawspack.it.fakests.FakeSts;
import io.github.kcawspack.it.fakests.SignedStsRequest;
import io.github.kcawspack.it.fakests.StsBehaviour;
import io.github.kcawspack.it.harness.AdminRest;
import io.github.kcawspack.it.harness.Injected;
import io.github.kcawspack.it.harness.KeycloakExtension;
import io.github.kcawspack.it.harness.KeycloakServer;
import io.github.kcawspack.it.harness.OAuthClient;
import io.github.kcawspack.it.harness.OAuthClient.Answer;
import io.github.kcawspack.it.harness.TokenVerifier;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.keycloak.admin.client.resource.RealmResource;
import org.keycloak.representations.idm.GroupRepresentation;
import org.keycloak.representations.idm.RealmEventsConfigRepresentation;
import org.keycloak.representations.idm.UserRepresentation;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The security checklist of the aws_identity grant, case by case against the real server: the
 * error a client gets, and whether STS was asked at all (a request that shows its own fault must
 * cost no STS call). What STS's own faults give is in {@link AwsIdentityStsFaultsIT}.
 */
@ExtendWith(KeycloakExtension.class)
class AwsIdentityRejectionsIT {

    private static KeycloakServer server;
    private static FakeSts sts;
    private static AwsWorkload workload;
    @Injected
    OAuthClient oauth;
    @Injected
    TokenVerifier tokens;

    @BeforeAll
    static void connect(KeycloakServer keycloak, FakeSts fakeSts) throws Exception {
        server = keycloak;
        sts = fakeSts;
        workload = new AwsWorkload(server, sts);
        sts.registerRole("ASIAOTHERACCOUNTEXMP", "other/secret/EXAMPLEKEYEXAMPLEKEYEXA", "IQoJotherTOKEN",
                AwsWorkload.UNBOUND_ACCOUNT, "deployer", "s1", "AROAOTHERACCOUNTEXMP");
        sts.registerUser("AKIACIUSEREXAMPLE123", "ci/user/secret/EXAMPLEKEYEXAMPLEKEY", AwsWorkload.ACCOUNT, "ci-bot",
                "AIDACIUSEREXAMPLE123");
        sts.registerRole("ASIADISABLEDEXAMPLE1", "disabled/secret/EXAMPLEKEYEXAMPLEKEY", "IQoJdisabledTOKEN",
                AwsWorkload.ACCOUNT, "retired", "s1", "AROADISABLEDEXAMPLE1");
        sts.registerRole("ASIAEXPIREDEXAMPLE12", "expired/secret/EXAMPLEKEYEXAMPLEKEYE", "IQoJexpiredTOKEN",
                AwsWorkload.ACCOUNT, "deployer", "s2", "AROADEPLOYEREXAMPLE1");
        enableLoginEvents();
    }

    @BeforeEach
    void normalSts() {
        sts.setDefaultBehaviour(StsBehaviour.normal());
    }

    static Stream<Arguments> requestsThatShowTheirOwnFault() {
        return Stream.of(
                refused("extra body parameter", "invalid_request",
                        s -> s.body("Action=GetCallerIdentity&Version=2011-06-15&Action=AssumeRole").sign().grantParameters()),
                refused("case-variant body parameter", "invalid_request",
                        s -> s.body("Action=GetCallerIdentity&Version=2011-06-15&action=AssumeRole").sign().grantParameters()),
                refused("Content-Length smuggled in headers", "invalid_request",
                        s -> s.unsignedHeader("Content-Length", "0").sign().grantParameters()),
                refused("Transfer-Encoding smuggled in headers", "invalid_request",
                        s -> s.unsignedHeader("Transfer-Encoding", "chunked").sign().grantParameters()),
                refused("header outside the allowlist", "invalid_request",
                        s -> s.signedHeader("X-Amz-Target", "AWSSecurityTokenServiceV20110615.AssumeRole").sign().grantParameters()),
                refused("CR LF in a header value", "invalid_request",
                        s -> withHeadersJson(s.sign(), json -> json.replace("\"X-Amz-Date\":\"", "\"X-Amz-Date\":\"\\r\\nX-Evil: 1\\r\\n"))),
                refused("same header twice in another case", "invalid_request",
                        s -> withHeadersJson(s.sign(), json -> json.replaceFirst("\\{", "{\"host\":\"sts.us-east-1.amazonaws.com\","))),
                refused("Host of another endpoint", "invalid_request",
                        s -> s.host("sts.amazonaws.com").sign().grantParameters()),
                refused("signed for another region than requested", "invalid_grant",
                        s -> withRegion(s.sign(), "eu-west-1")),
                refused("signed for another service", "invalid_grant",
                        s -> withHeadersJson(s.sign(), json -> json.replace("/sts/aws4_request", "/iam/aws4_request"))),
                refused("another signing algorithm", "invalid_request",
                        s -> withHeadersJson(s.sign(), json -> json.replace("AWS4-HMAC-SHA256", "AWS4-ECDSA-P256-SHA256"))),
                refused("signed 20 minutes ago", "invalid_grant",
                        s -> s.clock(Clock.fixed(Instant.now().minus(Duration.ofMinutes(20)), ZoneOffset.UTC)).sign().grantParameters()),
                refused("signed 10 minutes in the future", "invalid_grant",
                        s -> s.clock(Clock.fixed(Instant.now().plus(Duration.ofMinutes(10)), ZoneOffset.UTC)).sign().grantParameters()),
                refused("no audience", "invalid_grant",
                        s -> workload.deployerWithoutAudience().sign().grantParameters()),
                refused("audience added after signing", "invalid_grant",
                        s -> workload.deployerWithoutAudience().unsignedHeader("X-Keycloak-Audience", server.realmUrl(REALM))
                                .sign().grantParameters()),
                refused("signed for another realm", "invalid_grant",
                        s -> s.audience(server.realmUrl("master")).sign().grantParameters()),
                refused("missing post_body", "invalid_request",
                        s -> without(s.sign().grantParameters(), "post_body")),
                refused("headers_json not JSON", "invalid_request",
                        s -> withHeadersJson(s.sign(), json -> "Host: sts.us-east-1.amazonaws.com")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("requestsThatShowTheirOwnFault")
    void refusedWithoutAskingSts(String description, String error, Function<AwsRequestSigner, Map<String, String>> request) {
        Map<String, String> parameters = request.apply(workload.deployer());
        long stsCalls = sts.requestCount();

        Answer answer = workload.login(parameters);

        assertThat(answer.status()).as(answer.toString()).isEqualTo(400);
        assertThat(answer.text("error")).isEqualTo(error);
        assertThat(answer.text("error_description")).isNotBlank();
        assertThat(answer.text("access_token")).isNull();
        assertThat(sts.requestCount()).as("STS calls").isEqualTo(stsCalls);
    }

    @Test
    void anIamUserIsMappedByItsUserArn() throws Exception {
        Answer answer = workload.login(workload.signer("AKIACIUSEREXAMPLE123", "ci/user/secret/EXAMPLEKEYEXAMPLEKEY", null).sign());

        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        JWTClaimsSet claims = tokens.verify(answer.text("access_token"));
        assertThat(claims.getStringClaim("aws_arn")).isEqualTo("arn:aws:iam::123456789012:user/ci-bot");
    }

    @Test
    void theMatchingBindingGivesItsGroupsAndRoles() throws Exception {
        sts.registerRole("ASIASTAFFEXAMPLE0001", "staff/secret/EXAMPLEKEYEXAMPLEKEYEX", "IQoJstaffTOKEN",
                AwsWorkload.ACCOUNT, "staff-builder", "s1", "AROASTAFFEXAMPLE0001");

        Answer answer = workload.login(workload.signer("ASIASTAFFEXAMPLE0001", "staff/secret/EXAMPLEKEYEXAMPLEKEYEX", "IQoJstaffTOKEN").sign());

        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        JWTClaimsSet claims = tokens.verify(answer.text("access_token"));
        @SuppressWarnings("unchecked")
        Map<String, Object> realmAccess = (Map<String, Object>) claims.getClaim("realm_access");
        assertThat(realmAccess.get("roles").toString()).contains("writer");
        String user = demo().users().searchByUsername("aws-role-staff-builder-123456789012", true).get(0).getId();
        assertThat(demo().users().get(user).groups()).extracting(GroupRepresentation::getPath).contains("/staff");
        // The catch-all binding after it gives neither.
        Answer deployer = workload.login(workload.deployer().sign());
        Map<?, ?> deployerAccess = (Map<?, ?>) tokens.verify(deployer.text("access_token")).getClaim("realm_access");
        assertThat(String.valueOf(deployerAccess)).doesNotContain("writer");
    }

    @Test
    void anAccountNoBindingNamesIsRefused() {
        Answer answer = workload.login(workload.signer("ASIAOTHERACCOUNTEXMP", "other/secret/EXAMPLEKEYEXAMPLEKEYEXA", "IQoJotherTOKEN").sign());

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.text("error")).isEqualTo("invalid_grant");
    }

    @Test
    void aDisabledUserGetsNoToken() throws Exception {
        AwsRequestSigner retired = workload.signer("ASIADISABLEDEXAMPLE1", "disabled/secret/EXAMPLEKEYEXAMPLEKEY", "IQoJdisabledTOKEN");
        assertThat(workload.login(retired.sign()).status()).as("first login provisions the user").isEqualTo(200);
        disableUser("aws-role-retired-123456789012");

        Answer answer = workload.login(retired.sign());

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.text("error")).isEqualTo("invalid_grant");
        assertThat(answer.text("access_token")).isNull();
    }

    @Test
    void expiredAwsCredentialsAreInvalidGrant() {
        sts.expireCredentials("ASIAEXPIREDEXAMPLE12");

        Answer answer = workload.login(workload.signer("ASIAEXPIREDEXAMPLE12", "expired/secret/EXAMPLEKEYEXAMPLEKEYE", "IQoJexpiredTOKEN").sign());

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.text("error")).isEqualTo("invalid_grant");
        assertThat(answer.raw().body()).doesNotContain("ExpiredToken");
    }

    @Test
    void eventsNameThePrincipalAndReasonButNeverTheSignatureOrToken() throws Exception {
        SignedStsRequest signed = workload.deployer().sign();
        assertThat(workload.login(signed).status()).isEqualTo(200);
        assertThat(workload.login(signed).text("error")).isEqualTo("invalid_grant");
        String signature = signed.headers().get("Authorization").replaceAll(".*Signature=", "");

        // By hand (AdminRest): every byte the admin API lists is searched for secrets, including
        // fields the 26.0 admin client's EventRepresentation would not read.
        AdminRest.Answer listed = server.adminRest().call("GET", "/admin/realms/demo/events?client=aws-workload&max=200", null);
        assertThat(listed.status()).as(listed.toString()).isEqualTo(200);
        String events = listed.json().toString();

        assertThat(events).contains("arn:aws:iam::123456789012:role/deployer", "\"aws_account\":\"123456789012\"",
                "\"reason\":\"replayed\"", "\"grant_type\":\"aws_identity\"");
        assertThat(events).doesNotContain(signature).doesNotContain(AwsWorkload.DEPLOYER_TOKEN)
                .doesNotContain(AwsWorkload.DEPLOYER_KEY);
    }

    private static Arguments refused(String description, String error, Function<AwsRequestSigner, Map<String, String>> request) {
        return Arguments.of(description, error, request);
    }

    private static Map<String, String> withHeadersJson(SignedStsRequest signed, Function<String, String> change) {
        Map<String, String> parameters = new LinkedHashMap<>(signed.grantParameters());
        parameters.put("headers_json", change.apply(parameters.get("headers_json")));
        return parameters;
    }

    private static Map<String, String> withRegion(SignedStsRequest signed, String region) {
        Map<String, String> parameters = new LinkedHashMap<>(signed.grantParameters());
        parameters.put("region", region);
        // the Host must match the requested region, or the host check answers first
        parameters.put("headers_json", parameters.get("headers_json").replace("sts.us-east-1.", "sts." + region + "."));
        return parameters;
    }

    private static Map<String, String> without(Map<String, String> parameters, String name) {
        Map<String, String> copy = new LinkedHashMap<>(parameters);
        copy.remove(name);
        return copy;
    }

    private static void enableLoginEvents() {
        RealmEventsConfigRepresentation events = demo().getRealmEventsConfig();
        events.setEventsEnabled(true);
        events.setEventsExpiration(3600L);
        demo().updateRealmEventsConfig(events);
    }

    private void disableUser(String username) {
        List<UserRepresentation> users = demo().users().searchByUsername(username, true);
        assertThat(users).hasSize(1);
        UserRepresentation user = users.get(0);
        user.setEnabled(false);
        demo().users().get(user.getId()).update(user);
    }

    private static RealmResource demo() {
        return server.admin().realm(DemoRealm.REALM);
    }
}
