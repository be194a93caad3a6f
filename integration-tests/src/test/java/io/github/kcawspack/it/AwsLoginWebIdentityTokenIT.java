package io.github.kcawspack.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.github.kcawspack.it.fakests.FakeSts;
import io.github.kcawspack.it.fakests.ReceivedRequest;
import io.github.kcawspack.it.harness.KeycloakExtension;
import io.github.kcawspack.it.harness.KeycloakServer;
import io.github.kcawspack.it.harness.PolicyRealm;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The CLI's {@code --method web-identity-token}, run as a user runs it (the JAR with java, AWS
 * credentials in the environment): the AWS SDK's STS client calls GetWebIdentityToken on a local
 * STS simulator ({@link FakeSts}, reached the SDK's way with {@code AWS_ENDPOINT_URL_STS}), which
 * verifies the SigV4 signature and the parameters as STS does and returns a token minted by the
 * account's issuer ({@link FakeAwsTokenIssuer}, configured in the realm); the CLI exchanges it
 * with the jwt-bearer grant at the real Keycloak.
 *
 * <p>Keycloak 26.5 has the JWT authorization grant only behind the preview feature
 * jwt-authorization-grant, off by default: there the class runs when the run switches it on
 * ({@code -Dkeycloak.it.features=jwt-authorization-grant}, as bin/test-compat's 26.5 JDK 17 cell
 * does) and is skipped otherwise, saying so.
 */
@ExtendWith(KeycloakExtension.class)
class AwsLoginWebIdentityTokenIT {

    private static final Path ROOT = Path.of(System.getProperty("project.root", "..")).toAbsolutePath().normalize();
    private static final String ACCOUNT = "111122223333";
    private static final String MACHINE_USER = "cli-deployer";
    private static final String KEY = "ASIACLIWEBIDENTITY01";
    private static final String SECRET = "cli/web/identity/EXAMPLEKEYEXAMPLEKEY";
    private static final String SESSION_TOKEN = "IQoJcliWEBidentitySESSIONtoken";
    private static final String UNBOUND_KEY = "ASIACLIUNBOUNDROLE01";
    private static final String UNBOUND_SECRET = "cli/unbound/EXAMPLEKEYEXAMPLEKEYEXA";
    private static final String UNBOUND_SESSION_TOKEN = "IQoJcliUNBOUNDsessionTOKEN";

    private static KeycloakServer server;
    private static PolicyRealm realm;
    private static FakeAwsTokenIssuer aws;
    private static FakeSts sts;
    private static String audience;
    /** Every JWT the simulator handed out: none may show up in the CLI's output. */
    private static final List<String> minted = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void setUp(KeycloakServer keycloak) {
        server = keycloak;
        PolicyRealm.assumeJwtBearerGrant(server);
        realm = PolicyRealm.create(server, "aws-cli-web-identity", Map.of());
        audience = server.realmUrl(realm.name());
        aws = FakeAwsTokenIssuer.start();

        sts = FakeSts.start();
        // The SDK signs the endpoint it is given, here the simulator's own address.
        sts.expectHost("127.0.0.1:" + sts.port());
        sts.registerRole(KEY, SECRET, SESSION_TOKEN, ACCOUNT, "deployer-role", "ci", "AROACLIDEPLOYER00001");
        sts.registerRole(UNBOUND_KEY, UNBOUND_SECRET, UNBOUND_SESSION_TOKEN, ACCOUNT, "unbound-role", "ci",
                "AROACLIUNBOUND000001");
        sts.issueWebIdentityTokensWith(AwsLoginWebIdentityTokenIT::mint);

        AwsRealmConfig config = new AwsRealmConfig(server);
        config.addLinkProvider(realm.name());
        ObjectNode clientsItem = PolicyRealm.object().put("name", "app").put("providerId", "aws-identity-clients")
                .put("providerType", AwsRealmConfig.COMPONENT_TYPE);
        clientsItem.putObject("config").putArray("clientId").add(PolicyRealm.CLIENT);
        config.add(realm.name(), clientsItem);
        config.add(realm.name(), AwsRealmConfig.binding("deployers of " + ACCOUNT, "priority", "10",
                "partition", "aws", "account", ACCOUNT, "type", "role", "namePattern", "deployer-*",
                "provisionUsers", "false"));
        ObjectNode issuerItem = PolicyRealm.object().put("name", aws.issuer()).put("providerId", "aws-web-identity-issuers")
                .put("providerType", AwsRealmConfig.COMPONENT_TYPE);
        issuerItem.putObject("config").putArray("issuer").add(aws.issuer());
        ((ObjectNode) issuerItem.get("config")).putArray("account").add(ACCOUNT);
        config.add(realm.name(), issuerItem);

        String machineUser = config.createMachineUser(realm.name(), MACHINE_USER);
        // Linked with the unique id left open ("*"), as this path requires (README, AWS-issued JWTs).
        config.link(realm.name(), machineUser, "arn:aws:iam::" + ACCOUNT + ":role/deployer-role", "*");
    }

    /** The account's issuer, configured in the realm, signs what STS was asked for. */
    private static String mint(String principalArn, String account, List<String> audiences, String algorithm,
            Instant issuedAt, Duration lifetime) {
        FakeAwsTokenIssuer.Token token = aws.token(account, "unused", audiences.get(0)).subject(principalArn)
                .audience(audiences.toArray(String[]::new)).issuedAt(issuedAt).lifetime(lifetime);
        String jwt = ("ES384".equals(algorithm) ? token.es384() : token).serialize();
        minted.add(jwt);
        return jwt;
    }

    @AfterAll
    static void tearDown() {
        if (realm != null) {
            realm.close();
        }
        if (sts != null) {
            sts.close();
        }
        if (aws != null) {
            aws.close();
        }
    }

    @BeforeEach
    void forgetRequests() {
        sts.reset();
    }

    @Test
    void theCliGetsAnAwsIssuedJwtAndExchangesItForATokenOfTheBoundRole() throws Exception {
        Run run = cli(KEY, SECRET, SESSION_TOKEN, "--method", "web-identity-token", "--region", "us-east-1",
                "--scope", "read");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        JsonNode response = new ObjectMapper().readTree(run.stdout());
        JWTClaimsSet claims = realm.tokens().verify(response.get("access_token").asText());
        assertThat(claims.getSubject()).isEqualTo(realm.userId(MACHINE_USER));
        assertThat(PolicyRealm.words(response.get("scope").asText())).contains("read");

        ReceivedRequest call = onlyStsCall();
        assertThat(sts.verifiedCount()).as("the SDK's SigV4 signature verified").isEqualTo(1);
        assertThat(form(call)).containsExactlyInAnyOrderEntriesOf(Map.of(
                "Action", "GetWebIdentityToken", "Version", "2011-06-15", "Audience.member.1", audience,
                "SigningAlgorithm", "RS256", "DurationSeconds", "300"));
        assertThat(call.single("Authorization")).contains("/us-east-1/sts/aws4_request");
        assertThat(minted).isNotEmpty();
        assertNoSecretPrinted(run);
    }

    @Test
    void es384AndAShorterLifetimeAreAskedOfStsAsChosen() throws Exception {
        Run run = cli(KEY, SECRET, SESSION_TOKEN, "--method", "web-identity-token", "--region", "eu-west-1",
                "--signing-algorithm", "ES384", "--duration-seconds", "120", "--print", "access-token");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(realm.tokens().verify(run.stdout().strip()).getSubject()).isEqualTo(realm.userId(MACHINE_USER));
        Map<String, String> form = form(onlyStsCall());
        assertThat(form).containsEntry("SigningAlgorithm", "ES384").containsEntry("DurationSeconds", "120");
        String jwt = minted.get(minted.size() - 1);
        assertThat(SignedJWT.parse(jwt).getHeader().getAlgorithm().getName()).isEqualTo("ES384");
        assertNoSecretPrinted(run);
    }

    @Test
    void aRoleWithoutABindingIsRefusedWithExitCode1AndTheTokenIsNotPrinted() throws Exception {
        Run run = cli(UNBOUND_KEY, UNBOUND_SECRET, UNBOUND_SESSION_TOKEN, "--method", "web-identity-token",
                "--region", "us-east-1");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
        assertThat(run.stderr()).startsWith("invalid_grant");
        assertThat(run.stdout()).isEmpty();
        assertThat(sts.verifiedCount()).as("STS did issue the token; Keycloak refused it").isEqualTo(1);
        assertNoSecretPrinted(run);
    }

    @Test
    void anAccountWithoutOutboundFederationIsAClearErrorWithExitCode1() throws Exception {
        sts.issueWebIdentityTokensWith(null);
        Run run;
        try {
            run = cli(KEY, SECRET, SESSION_TOKEN, "--method", "web-identity-token", "--region", "us-east-1");
        } finally {
            sts.issueWebIdentityTokensWith(AwsLoginWebIdentityTokenIT::mint);
        }

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
        assertThat(run.stderr()).contains("STS refused GetWebIdentityToken (HTTP 403 OutboundWebIdentityFederationDisabledException)")
                .contains("enable outbound identity federation");
        assertThat(run.stdout()).isEmpty();
        assertNoSecretPrinted(run);
    }

    @Test
    void withoutARegionTheCliRefusesToRunAndCallsNoSts() throws Exception {
        Run run = cli(KEY, SECRET, SESSION_TOKEN, "--method", "web-identity-token");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
        assertThat(run.stderr()).contains("no AWS region").contains("regional STS endpoint");
        assertThat(sts.requestCount()).isZero();
    }

    private static ReceivedRequest onlyStsCall() {
        List<ReceivedRequest> requests = sts.requests();
        assertThat(requests).as("one call to STS").hasSize(1);
        return requests.get(0);
    }

    private static Map<String, String> form(ReceivedRequest request) {
        Map<String, String> form = new LinkedHashMap<>();
        for (String pair : request.bodyAsString().split("&")) {
            int equals = pair.indexOf('=');
            form.put(URLDecoder.decode(pair.substring(0, equals), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
        }
        return form;
    }

    private static void assertNoSecretPrinted(Run run) {
        String output = run.stdout() + run.stderr();
        assertThat(output).doesNotContain(SECRET).doesNotContain(SESSION_TOKEN).doesNotContain(UNBOUND_SECRET)
                .doesNotContain(UNBOUND_SESSION_TOKEN).doesNotContain(PolicyRealm.CLIENT_SECRET);
        for (String jwt : minted) {
            assertThat(output).doesNotContain(jwt).doesNotContain(jwt.substring(jwt.lastIndexOf('.') + 1));
        }
    }

    private record Run(int exitCode, String stdout, String stderr) {
    }

    /** The CLI JAR with java, as a user runs it, with only these AWS credentials and the simulator as STS. */
    private static Run cli(String key, String secret, String sessionToken, String... options)
            throws IOException, InterruptedException {
        Path jar = ROOT.resolve("clients/aws-login/target/aws-pack-aws-login.jar");
        assertThat(jar).as("built by the reactor before these tests").exists();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", jar.toString(), "--keycloak", server.baseUrl(), "--realm", realm.name(),
                "--client-id", PolicyRealm.CLIENT, "--client-secret", PolicyRealm.CLIENT_SECRET));
        command.addAll(List.of(options));
        Path out = Files.createTempFile("aws-login-out", ".txt");
        Path err = Files.createTempFile("aws-login-err", ".txt");
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        Map<String, String> env = builder.environment();
        // Only these credentials: nothing from the machine running the tests may leak in.
        env.keySet().removeIf(name -> name.startsWith("AWS_"));
        env.put("AWS_ACCESS_KEY_ID", key);
        env.put("AWS_SECRET_ACCESS_KEY", secret);
        env.put("AWS_SESSION_TOKEN", sessionToken);
        env.put("AWS_CONFIG_FILE", "/dev/null");
        env.put("AWS_SHARED_CREDENTIALS_FILE", "/dev/null");
        env.put("AWS_EC2_METADATA_DISABLED", "true");
        // The SDK's own service-specific endpoint setting: the CLI has no test switch of its own.
        env.put("AWS_ENDPOINT_URL_STS", sts.baseUrl());
        Process process = builder.start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the CLI did not finish in 60 s: " + command);
        }
        try {
            return new Run(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
