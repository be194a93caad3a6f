package io.github.kcawspack.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jwt.JWTClaimsSet;
import io.github.kcawspack.it.harness.KeycloakServer;
import io.github.kcawspack.it.harness.TokenVerifier;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * README's "Trying aws_identity without AWS", as a newcomer runs it: {@code bin/run-keycloak
 * --local-sts} in one terminal, then the lines README shows in a second one, read from README
 * itself (the block after the {@code local-sts-try-out} marker), with only the port changed. The
 * launcher skips its build step ({@code RUN_KEYCLOAK_NO_BUILD}): inside {@code mvn verify} a second
 * build would rewrite the classes this suite is loading, and the build that just ran is the one it
 * would make.
 *
 * <p>Its Keycloak is the launcher's own ({@code server/target/keycloak}, the build's version) on
 * ports and a dev database of its own ({@code KC_DB_URL_PATH}), beside the suite's server; the
 * compatibility rows leave this class out.
 */
class LocalTryOutIT {

    private static final Path ROOT = Path.of(System.getProperty("project.root", "..")).toAbsolutePath().normalize();
    private static final Duration START_BOUND = Duration.ofMinutes(10);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path work;

    private static Process launcher;
    private static Path launcherOutput;
    private static int httpPort;

    @BeforeAll
    static void runKeycloakWithTheStsSimulator() throws Exception {
        httpPort = KeycloakServer.freePort();
        launcherOutput = work.resolve("run-keycloak.log");
        ProcessBuilder builder = new ProcessBuilder("bin/run-keycloak", "--local-sts")
                .directory(ROOT.toFile())
                .redirectErrorStream(true)
                .redirectOutput(launcherOutput.toFile());
        builder.environment().put("KC_HTTP_PORT", Integer.toString(httpPort));
        builder.environment().put("KC_HTTP_MANAGEMENT_PORT", Integer.toString(KeycloakServer.freePort()));
        builder.environment().put("KC_DB_URL_PATH", work.resolve("db").toString());
        builder.environment().put("RUN_KEYCLOAK_NO_BUILD", "1");
        launcher = builder.start();

        Instant deadline = Instant.now().plus(START_BOUND);
        while (!launcherLog().contains("Keycloak is ready")) {
            if (!launcher.isAlive() || Instant.now().isAfter(deadline)) {
                throw new AssertionError("bin/run-keycloak --local-sts did not get ready:\n" + tail(launcherLog()));
            }
            Thread.sleep(1000);
        }
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (launcher == null) {
            return;
        }
        List<ProcessHandle> descendants = launcher.descendants().toList();
        launcher.destroy(); // SIGTERM: the launcher stops Keycloak and the simulator itself
        if (!launcher.waitFor(60, TimeUnit.SECONDS)) {
            launcher.destroyForcibly();
        }
        descendants.forEach(ProcessHandle::destroyForcibly);
    }

    @Test
    void readmesTryOutLinesGetTokensForTheSimulatorsRoleWithBothClients() throws Exception {
        String commands = readmeTryOutBlock().replace("http://localhost:8080", "http://localhost:" + httpPort);
        Process shell = new ProcessBuilder("bash", "-euo", "pipefail", "-c", commands)
                .directory(ROOT.toFile())
                .redirectErrorStream(false)
                .start();
        String out = new String(shell.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(shell.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(shell.waitFor(5, TimeUnit.MINUTES)).isTrue();
        assertThat(shell.exitValue()).as("README's lines, stdout:%n%s%nstderr:%n%s", out, err).isZero();

        List<JsonNode> responses = new ArrayList<>();
        for (String line : out.split("\n")) {
            // Maven's quiet mode still writes colour resets (ESC[0m), without a newline, before the CLI's output.
            line = line.replaceAll("\u001B\\[[0-9;]*m", "");
            if (line.startsWith("{")) {
                responses.add(JSON.readTree(line));
            }
        }
        assertThat(responses).as("one token response per client, stdout:%n%s", out).hasSize(2);
        TokenVerifier tokens = new TokenVerifier("http://localhost:" + httpPort + "/realms/demo");
        JWTClaimsSet java = tokens.verify(responses.get(0).path("access_token").asText());
        JWTClaimsSet python = tokens.verify(responses.get(1).path("access_token").asText());
        for (JWTClaimsSet claims : List.of(java, python)) {
            assertThat(claims.getStringClaim("aws_arn")).isEqualTo("arn:aws:iam::123456789012:role/deployer");
        }
        assertThat(python.getSubject()).as("the user the first login provisioned").isEqualTo(java.getSubject());
        assertThat(Arrays.asList(java.getStringClaim("scope").split(" "))).as("README: the Java line gets deploy")
                .contains("read", "deploy");
        assertThat(Arrays.asList(python.getStringClaim("scope").split(" "))).contains("read").doesNotContain("deploy");
    }

    @Test
    void theServerSaysItForwardsToASimulatorNotToAws() throws IOException {
        assertThat(launcherLog()).containsPattern(
                "WARN .*aws_identity forwards every signed request to http://127\\.0\\.0\\.1:[0-9]+ over plain HTTP, not to AWS STS");
    }

    /** The fenced block after README's marker, its continuation lines joined as bash would. */
    private static String readmeTryOutBlock() throws IOException {
        List<String> lines = Files.readAllLines(ROOT.resolve("README.md"));
        int marker = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith("<!-- local-sts-try-out")) {
                marker = i;
            }
        }
        assertThat(marker).as("README's try-out marker").isNotNegative();
        assertThat(lines.get(marker + 1)).isEqualTo("```bash");
        List<String> block = new ArrayList<>();
        for (int i = marker + 2; !lines.get(i).equals("```"); i++) {
            block.add(lines.get(i));
        }
        return block.stream().collect(Collectors.joining("\n")) + "\n";
    }

    private static String launcherLog() throws IOException {
        return Files.readString(launcherOutput);
    }

    private static String tail(String text) {
        String[] lines = text.split("\n");
        return String.join("\n", Arrays.copyOfRange(lines, Math.max(0, lines.length - 60), lines.length));
    }
}
