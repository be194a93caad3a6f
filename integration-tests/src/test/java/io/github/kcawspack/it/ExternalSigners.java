package io.github.kcawspack.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Signers that run outside the test JVM, as a workload runs them: only the given AWS credentials
 * in the environment, nothing from the machine.
 *
 * <ul>
 * <li>{@link #node}: the Node.js signers of {@code integration-tests/src/test/node} (the AWS SDK
 * for JavaScript v3 and {@code aws4}, exact versions in its package-lock.json), installed once per
 * build directory with {@code npm ci} into {@code integration-tests/target/node-signers}. Node.js
 * (20 or newer, as the SDK requires) and npm must be installed (bin/test installs Debian's when
 * missing): without them these tests fail, they are never skipped.</li>
 * <li>{@link #botocore}: {@code integration-tests/src/test/python/sign_headers_with_botocore.py}
 * with Debian's python3 and botocore, for a header set given header by header.</li>
 * </ul>
 */
final class ExternalSigners {

    private static final Path ROOT = Path.of(System.getProperty("project.root", "..")).toAbsolutePath().normalize();
    private static final Path SOURCE = ROOT.resolve("integration-tests/src/test/node");
    private static final Path DIR = ROOT.resolve("integration-tests/target/node-signers");
    /** The package-lock.json that node_modules was installed from, written after npm ci succeeded. */
    private static final String STAMP = "node_modules/.installed-package-lock.json";
    private static final int MINIMUM_NODE_MAJOR = 20;
    private static final ObjectMapper JSON = new ObjectMapper();

    private static boolean installed;

    private ExternalSigners() {
    }

    /** The version {@code node --version} prints; fails the test, with what to install, without node. */
    static synchronized String requireNode() {
        Run version;
        try {
            version = run(List.of("node", "--version"), DIR.getParent(), null, Map.of(), 30);
        } catch (IOException e) {
            throw new AssertionError("Node.js is not installed (no `node` on PATH): the signer interop tests need"
                    + " Node.js " + MINIMUM_NODE_MAJOR + "+ and npm; bin/test installs Debian's nodejs and npm", e);
        }
        String text = version.stdout().trim();
        if (version.exitCode() != 0 || !text.matches("v\\d+\\..*")) {
            throw new AssertionError("`node --version` failed: " + version);
        }
        int major = Integer.parseInt(text.substring(1, text.indexOf('.')));
        if (major < MINIMUM_NODE_MAJOR) {
            throw new AssertionError("Node.js " + text + " is too old: the AWS SDK for JavaScript v3 needs "
                    + MINIMUM_NODE_MAJOR + " or newer");
        }
        return text;
    }

    /**
     * Copies the package (package.json, package-lock.json, the scripts) into the build directory
     * and runs {@code npm ci} there unless node_modules was already installed from this lock file.
     */
    static synchronized Path install() {
        if (installed) {
            return DIR;
        }
        requireNode();
        try {
            Files.createDirectories(DIR);
            try (Stream<Path> files = Files.list(SOURCE)) {
                for (Path file : files.filter(Files::isRegularFile).toList()) {
                    Files.copy(file, DIR.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            byte[] lock = Files.readAllBytes(SOURCE.resolve("package-lock.json"));
            Path stamp = DIR.resolve(STAMP);
            if (!Files.exists(stamp) || !Arrays.equals(lock, Files.readAllBytes(stamp))) {
                Run npm;
                try {
                    npm = run(List.of("npm", "ci", "--no-audit", "--no-fund", "--ignore-scripts"), DIR, null, Map.of(), 600);
                } catch (IOException e) {
                    throw new AssertionError("npm is not installed (no `npm` on PATH): the signer interop tests install"
                            + " their pinned signers with npm ci; bin/test installs Debian's nodejs and npm", e);
                }
                if (npm.exitCode() != 0) {
                    throw new AssertionError("npm ci in " + DIR + " failed: " + npm);
                }
                Files.write(stamp, lock);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the Node.js signers in " + DIR, e);
        }
        installed = true;
        return DIR;
    }

    /**
     * Runs {@code node <script> <arguments>} with these AWS credentials as the only AWS settings
     * and returns the JSON object it prints.
     */
    static JsonNode node(String script, String accessKeyId, String secretKey, String sessionToken, String... arguments) {
        Path dir = install();
        List<String> command = new ArrayList<>(List.of("node", script));
        command.addAll(List.of(arguments));
        return signerOutput(command, dir, null, credentials(accessKeyId, secretKey, sessionToken));
    }

    /**
     * Signs POST https://{host}/ with botocore, the request's headers before signing being exactly
     * {@code headers} (names as given); returns {region, post_body, headers_json}.
     */
    static JsonNode botocore(String region, String host, String body, Map<String, String> headers,
                             String accessKeyId, String secretKey, String sessionToken) {
        Path python = Path.of("/usr/bin/python3");
        if (!Files.isExecutable(python)) {
            throw new AssertionError("Debian's /usr/bin/python3 with python3-botocore is needed (bin/test installs it)");
        }
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("region", region);
        spec.put("host", host);
        spec.put("body", body);
        spec.put("headers", headers);
        String script = ROOT.resolve("integration-tests/src/test/python/sign_headers_with_botocore.py").toString();
        try {
            return signerOutput(List.of(python.toString(), script), DIR.getParent(), JSON.writeValueAsString(spec),
                    credentials(accessKeyId, secretKey, sessionToken));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, String> credentials(String accessKeyId, String secretKey, String sessionToken) {
        return Map.of("AWS_ACCESS_KEY_ID", accessKeyId, "AWS_SECRET_ACCESS_KEY", secretKey, "AWS_SESSION_TOKEN", sessionToken);
    }

    private static JsonNode signerOutput(List<String> command, Path dir, String stdin, Map<String, String> env) {
        try {
            Run run = run(command, dir, stdin, env, 60);
            if (run.exitCode() != 0) {
                throw new AssertionError(String.join(" ", command) + " failed: " + run);
            }
            return JSON.readTree(run.stdout());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command, e);
        }
    }

    record Run(int exitCode, String stdout, String stderr) {
        @Override
        public String toString() {
            return "exit code " + exitCode + "\n--- stdout\n" + tail(stdout) + "\n--- stderr\n" + tail(stderr);
        }

        private static String tail(String text) {
            return text.length() <= 4000 ? text : "..." + text.substring(text.length() - 4000);
        }
    }

    private static Run run(List<String> command, Path dir, String stdin, Map<String, String> awsEnvironment,
                           int timeoutSeconds) throws IOException {
        Files.createDirectories(dir);
        Path in = Files.createTempFile("signer-in", ".json");
        Path out = Files.createTempFile("signer-out", ".txt");
        Path err = Files.createTempFile("signer-err", ".txt");
        try {
            Files.writeString(in, stdin == null ? "" : stdin, StandardCharsets.UTF_8);
            ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
                    .redirectInput(in.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile());
            Map<String, String> env = builder.environment();
            // Only the given credentials: nothing from the machine running the tests may leak in.
            env.keySet().removeIf(name -> name.startsWith("AWS_"));
            env.putAll(awsEnvironment);
            env.put("AWS_CONFIG_FILE", "/dev/null");
            env.put("AWS_SHARED_CREDENTIALS_FILE", "/dev/null");
            env.put("AWS_EC2_METADATA_DISABLED", "true");
            Process process = builder.start();
            try {
                if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    throw new AssertionError(String.join(" ", command) + " did not finish in " + timeoutSeconds + " s");
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while running " + command, e);
            }
            return new Run(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(in);
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
