package io.github.kcawspack.it;

import static io.github.kcawspack.it.DemoRealm.REALM;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.kcawspack.it.fakests.FakeSts;
import io.github.kcawspack.it.harness.Injected;
import io.github.kcawspack.it.harness.KeycloakExtension;
import io.github.kcawspack.it.harness.KeycloakServer;
import io.github.kcawspack.it.harness.TokenVerifier;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The two documented clients, run as a user runs them: AWS credentials in the environment, the
 * CLI JAR with java, the Python example with Debian's botocore. Each signs with its own SDK;
 * the fake STS verifies what Keycloak forwards.
 */
@ExtendWith(KeycloakExtension.class)
class AwsLoginClientsIT {

    private static final Path ROOT = Path.of(System.getProperty("project.root", "..")).toAbsolutePath().normalize();
    private static final String KEY = "ASIACLIENTSEXAMPLE01";
    private static final String SECRET = "clients/secret/EXAMPLEKEYEXAMPLEKEYE";
    private static final String TOKEN = "IQoJclientsSESSIONtokenEXAMPLE";

    @Injected
    KeycloakServer server;
    @Injected
    FakeSts sts;
    @Injected
    TokenVerifier tokens;

    @BeforeAll
    static void registerTheBuilderRole(FakeSts sts) {
        sts.registerRole(KEY, SECRET, TOKEN, AwsWorkload.ACCOUNT, "builder", "cli", "AROABUILDEREXAMPLE01");
    }

    @Test
    void theJavaCliPrintsATokenForTheRole() throws Exception {
        Path jar = ROOT.resolve("clients/aws-login/target/aws-pack-aws-login.jar");
        assertThat(jar).as("built by the reactor before these tests").exists();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();

        Run run = run(List.of(java, "-jar", jar.toString(), "--keycloak", server.baseUrl(), "--realm", REALM,
                "--client-id", AwsWorkload.CLIENT, "--region", "us-east-1", "--scope", "read"));

        assertTokenForBuilder(run);
    }

    @Test
    void thePythonExampleWithBotocorePrintsATokenForTheRole() throws Exception {
        assertThat(new File("/usr/bin/python3")).as("Debian's python3 (bin/test installs python3-botocore)").exists();

        Run run = run(List.of("/usr/bin/python3", ROOT.resolve("clients/python/aws_identity_login.py").toString(),
                "--keycloak", server.baseUrl(), "--realm", REALM, "--client-id", AwsWorkload.CLIENT,
                "--region", "us-east-1", "--scope", "read"));

        assertTokenForBuilder(run);
    }

    @Test
    void aRefusalIsReportedOnStderrWithExitCode1() throws Exception {
        Path jar = ROOT.resolve("clients/aws-login/target/aws-pack-aws-login.jar");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();

        Run run = run(List.of(java, "-jar", jar.toString(), "--keycloak", server.baseUrl(), "--realm", REALM,
                "--client-id", AwsWorkload.CLIENT, "--region", "us-east-1", "--audience", server.realmUrl("master")));

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.stderr()).contains("invalid_grant");
        assertThat(run.stdout()).doesNotContain("access_token");
    }

    private void assertTokenForBuilder(Run run) throws Exception {
        assertThat(run.exitCode()).as(run.toString()).isZero();
        JsonNode response = new ObjectMapper().readTree(run.stdout());
        assertThat(response.get("scope").asText()).isEqualTo("read");
        var claims = tokens.verify(response.get("access_token").asText());
        assertThat(claims.getStringClaim("aws_arn")).isEqualTo("arn:aws:iam::" + AwsWorkload.ACCOUNT + ":role/builder");
        assertThat(run.stderr()).doesNotContain(SECRET).doesNotContain(TOKEN);
    }

    private record Run(int exitCode, String stdout, String stderr) {
    }

    private static Run run(List<String> command) throws IOException, InterruptedException {
        Path out = Files.createTempFile("aws-login-out", ".txt");
        Path err = Files.createTempFile("aws-login-err", ".txt");
        ProcessBuilder builder = new ProcessBuilder(new ArrayList<>(command))
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        Map<String, String> env = builder.environment();
        // Only these credentials: nothing from the machine running the tests may leak in.
        env.keySet().removeIf(name -> name.startsWith("AWS_"));
        env.put("AWS_ACCESS_KEY_ID", KEY);
        env.put("AWS_SECRET_ACCESS_KEY", SECRET);
        env.put("AWS_SESSION_TOKEN", TOKEN);
        env.put("AWS_CONFIG_FILE", "/dev/null");
        env.put("AWS_SHARED_CREDENTIALS_FILE", "/dev/null");
        env.put("AWS_EC2_METADATA_DISABLED", "true");
        Process process = builder.start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("client did not finish in 60 s: " + command);
        }
        try {
            return new Run(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
