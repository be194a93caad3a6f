package io.github.kcawspack.awslogin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.regions.providers.AwsRegionProvider;

/**
 * The CLI without the process around it: AWS credentials and region sources, clock, HTTP client
 * and output streams come in, an exit status goes out, so tests run it in-process.
 */
public final class AwsLoginCommand {

    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int USAGE = 2;

    private static final String PROGRAM = "aws-login";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final AwsCredentialsProvider credentials;
    private final AwsRegionProvider regions;
    private final Clock clock;
    private final HttpClient httpClient;
    private final PrintStream out;
    private final PrintStream err;

    public AwsLoginCommand(AwsCredentialsProvider credentials, AwsRegionProvider regions, Clock clock,
            HttpClient httpClient, PrintStream out, PrintStream err) {
        this.credentials = Objects.requireNonNull(credentials, "credentials");
        this.regions = Objects.requireNonNull(regions, "regions");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.httpClient = Objects.requireNonNull(httpClient, "httpClient");
        this.out = Objects.requireNonNull(out, "out");
        this.err = Objects.requireNonNull(err, "err");
    }

    public int run(String... args) {
        try {
            return runOrThrow(args);
        } catch (UsageException e) {
            err.println(PROGRAM + ": " + e.getMessage());
            err.println();
            err.print(CliOptions.USAGE);
            return USAGE;
        } finally {
            out.flush();
            err.flush();
        }
    }

    private int runOrThrow(String... args) throws UsageException {
        CliOptions options = CliOptions.parse(args);
        if (options.help()) {
            out.print(CliOptions.USAGE);
            return OK;
        }
        KeycloakRealm realm = keycloakRealm(options);
        String region = region(options);
        ClientAuthentication client = new ClientAuthentication(options.clientId(), options.clientSecret());

        SignedIdentityRequest signed;
        try {
            signed = new AwsIdentitySigner(credentials, clock).sign(region, options.audience().orElse(realm.issuer()));
        } catch (SdkException e) {
            // The SDK's messages name the credential sources it tried, never key material.
            err.println(PROGRAM + ": cannot sign with AWS credentials: " + e.getMessage());
            return FAILED;
        }

        AwsIdentityLogin login = new AwsIdentityLogin(httpClient, realm.tokenEndpoint());
        if (options.dryRun()) {
            printDryRun(login, signed, client, options.scope());
            return OK;
        }
        TokenEndpointResponse response;
        try {
            response = login.login(signed, client, options.scope());
        } catch (AwsLoginException e) {
            err.println(PROGRAM + ": " + e.getMessage());
            return FAILED;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println(PROGRAM + ": interrupted");
            return FAILED;
        }
        return print(response, options.print());
    }

    private static KeycloakRealm keycloakRealm(CliOptions options) throws UsageException {
        try {
            return new KeycloakRealm(options.keycloak(), options.realm());
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }

    private String region(CliOptions options) throws UsageException {
        String region;
        if (options.region().isPresent()) {
            region = options.region().get();
        } else {
            try {
                region = regions.getRegion().id();
            } catch (SdkException e) {
                throw new UsageException("no AWS region: pass --region or set AWS_REGION");
            }
        }
        try {
            StsHost.forRegion(region);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        return region;
    }

    private void printDryRun(AwsIdentityLogin login, SignedIdentityRequest signed, ClientAuthentication client,
            Optional<String> scope) {
        out.println("POST " + login.tokenEndpoint());
        if (client.clientSecret().isPresent()) {
            out.println("Authorization: Basic " + SecretRedaction.REDACTED);
        }
        for (Map.Entry<String, String> parameter : AwsIdentityLogin.formParameters(signed, client, scope).entrySet()) {
            String value = parameter.getKey().equals("headers_json")
                    ? SecretRedaction.redactHeadersJson(parameter.getValue())
                    : parameter.getValue();
            out.println(parameter.getKey() + "=" + value);
        }
    }

    private int print(TokenEndpointResponse response, OutputFormat format) {
        if (!response.isSuccess()) {
            err.println(response.errorSummary());
            return FAILED;
        }
        if (format == OutputFormat.ACCESS_TOKEN) {
            Optional<String> accessToken = response.accessToken();
            if (accessToken.isEmpty()) {
                err.println(PROGRAM + ": the token response has no access_token");
                return FAILED;
            }
            out.println(accessToken.get());
            return OK;
        }
        try {
            out.println(JSON.writeValueAsString(response.body()));
        } catch (JsonProcessingException e) {
            err.println(PROGRAM + ": cannot print the token response");
            return FAILED;
        }
        return OK;
    }
}
