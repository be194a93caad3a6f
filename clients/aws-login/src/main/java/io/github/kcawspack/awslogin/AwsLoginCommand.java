package io.github.kcawspack.awslogin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.AwsRegionProvider;
import software.amazon.awssdk.services.sts.StsClient;

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
    private final Function<String, StsClient> stsClients;
    private final Clock clock;
    private final HttpClient httpClient;
    private final PrintStream out;
    private final PrintStream err;

    /** STS calls (web-identity-token) go to the region's endpoint with {@code credentials}. */
    public AwsLoginCommand(AwsCredentialsProvider credentials, AwsRegionProvider regions, Clock clock,
            HttpClient httpClient, PrintStream out, PrintStream err) {
        this(credentials, regions, region -> AwsWebIdentityTokenSource.regionalStsClient(region, credentials), clock,
                httpClient, out, err);
    }

    /**
     * @param stsClients the STS client for a region id, closed after one call (tests point it at a
     *     local simulator)
     */
    public AwsLoginCommand(AwsCredentialsProvider credentials, AwsRegionProvider regions,
            Function<String, StsClient> stsClients, Clock clock, HttpClient httpClient, PrintStream out,
            PrintStream err) {
        this.credentials = Objects.requireNonNull(credentials, "credentials");
        this.regions = Objects.requireNonNull(regions, "regions");
        this.stsClients = Objects.requireNonNull(stsClients, "stsClients");
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
        if (options.method() == LoginMethod.WEB_IDENTITY_TOKEN) {
            return webIdentityTokenLogin(options, realm, region, client);
        }

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
        return exchange(() -> login.login(signed, client, options.scope()), options.print());
    }

    /**
     * STS GetWebIdentityToken for the realm's issuer, then the jwt-bearer grant. The JWT is the
     * principal's credential for its lifetime: it is never printed, also not in a dry run (which
     * calls no STS).
     */
    private int webIdentityTokenLogin(CliOptions options, KeycloakRealm realm, String region,
            ClientAuthentication client) throws UsageException {
        if (Region.of(region).isGlobalRegion()) {
            throw new UsageException("GetWebIdentityToken is not available on the global STS endpoint (region "
                    + region + "): pass a regional --region such as us-east-1");
        }
        String audience = options.audience().orElse(realm.issuer());
        JwtBearerLogin login = new JwtBearerLogin(httpClient, realm.tokenEndpoint());
        if (options.dryRun()) {
            out.println("STS GetWebIdentityToken in " + region + ": Audience.member.1=" + audience
                    + " SigningAlgorithm=" + options.signingAlgorithm()
                    + " DurationSeconds=" + options.duration().toSeconds());
            printForm(login.tokenEndpoint(), client,
                    JwtBearerLogin.formParameters(SecretRedaction.REDACTED, client, options.scope()));
            return OK;
        }
        AwsWebIdentityToken token;
        try (StsClient sts = stsClients.apply(region)) {
            token = new AwsWebIdentityTokenSource(sts).obtain(audience, options.signingAlgorithm(), options.duration());
        } catch (AwsLoginException e) {
            err.println(PROGRAM + ": " + e.getMessage());
            return FAILED;
        } catch (SdkException e) {
            // Building the client: the SDK's messages name what it looked for, never key material.
            err.println(PROGRAM + ": cannot call AWS STS: " + e.getMessage());
            return FAILED;
        }
        return exchange(() -> login.login(token, client, options.scope()), options.print());
    }

    /** One token request at the realm's token endpoint, whichever proof it carries. */
    @FunctionalInterface
    private interface TokenRequest {
        TokenEndpointResponse send() throws AwsLoginException, InterruptedException;
    }

    /** Sends {@code request} and prints the answer; a refusal is one line on stderr and {@link #FAILED}. */
    private int exchange(TokenRequest request, OutputFormat format) {
        TokenEndpointResponse response;
        try {
            response = request.send();
        } catch (AwsLoginException e) {
            err.println(PROGRAM + ": " + e.getMessage());
            return FAILED;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println(PROGRAM + ": interrupted");
            return FAILED;
        }
        return print(response, format);
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
                throw new UsageException(options.method() == LoginMethod.WEB_IDENTITY_TOKEN
                        ? "no AWS region: --method web-identity-token calls a regional STS endpoint"
                                + " (GetWebIdentityToken is not on the global one); pass --region or set AWS_REGION"
                        : "no AWS region: pass --region or set AWS_REGION");
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
        Map<String, String> form = AwsIdentityLogin.formParameters(signed, client, scope);
        form.computeIfPresent("headers_json", (name, value) -> SecretRedaction.redactHeadersJson(value));
        printForm(login.tokenEndpoint(), client, form);
    }

    private void printForm(URI tokenEndpoint, ClientAuthentication client, Map<String, String> form) {
        out.println("POST " + tokenEndpoint);
        if (client.clientSecret().isPresent()) {
            out.println("Authorization: Basic " + SecretRedaction.REDACTED);
        }
        form.forEach((name, value) -> out.println(name + "=" + value));
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
