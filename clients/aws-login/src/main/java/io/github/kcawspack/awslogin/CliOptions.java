package io.github.kcawspack.awslogin;

import io.github.kcawspack.awslogin.AwsWebIdentityTokenSource.SigningAlgorithm;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The parsed command line. Options take {@code --name value} or {@code --name=value}.
 * {@code signingAlgorithm} and {@code duration} hold their defaults (RS256, 300 s) and matter only
 * for {@link LoginMethod#WEB_IDENTITY_TOKEN}; giving either with another method is a usage error.
 */
public record CliOptions(
        LoginMethod method,
        String keycloak,
        String realm,
        String clientId,
        Optional<String> clientSecret,
        Optional<String> scope,
        Optional<String> region,
        Optional<String> audience,
        SigningAlgorithm signingAlgorithm,
        Duration duration,
        OutputFormat print,
        boolean dryRun,
        boolean help) {

    public static final String USAGE = String.join("\n",
            "Usage: java -jar aws-pack-aws-login.jar --keycloak URL --realm REALM --client-id ID [options]",
            "",
            "Gets tokens from Keycloak for this machine's AWS identity, with the default AWS credentials",
            "chain (environment, profile, web identity, container, instance metadata). Methods:",
            "  aws-identity        (default) signs an sts:GetCallerIdentity request without sending it;",
            "                      Keycloak has STS check it (grant_type=aws_identity)",
            "  web-identity-token  gets a JWT from STS GetWebIdentityToken on the region's STS endpoint",
            "                      and exchanges it (grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer);",
            "                      Keycloak verifies it offline. Needs a region; the account must have",
            "                      enabled outbound identity federation",
            "",
            "Options:",
            "  --method METHOD          aws-identity (default) or web-identity-token",
            "  --keycloak URL           Keycloak base URL, e.g. http://localhost:8080",
            "  --realm REALM            realm name, e.g. demo",
            "  --client-id ID           OAuth2 client, e.g. aws-workload",
            "  --client-secret SECRET   secret of a confidential client, sent with HTTP Basic",
            "                           (a command line is visible to other local users)",
            "  --scope \"A B\"            scopes to request, space separated",
            "  --region REGION          AWS region to sign for (default: the AWS region chain,",
            "                           e.g. AWS_REGION, the profile, instance metadata)",
            "  --audience URL           signed X-Keycloak-Audience, or the JWT's aud with",
            "                           web-identity-token (default: KEYCLOAK/realms/REALM)",
            "  --signing-algorithm RS256|ES384  web-identity-token only: the JWT's algorithm (default RS256)",
            "  --duration-seconds N     web-identity-token only: the JWT's lifetime, 60 to 3600 (default 300)",
            "  --print json|access-token  print the token response JSON (default) or the access token",
            "  --dry-run                print the token request instead of sending it, with the",
            "                           signature, session token and client secret redacted",
            "                           (web-identity-token: calls no STS either, the JWT is a placeholder)",
            "  -h, --help               print this text",
            "",
            "Exit status: 0 tokens issued; 1 refused (\"error: description\" on stderr) or failed;",
            "2 usage error.",
            "");

    private static final Set<String> VALUED = Set.of(
            "--keycloak", "--realm", "--client-id", "--client-secret", "--scope", "--region", "--audience", "--print",
            "--method", "--signing-algorithm", "--duration-seconds");
    private static final Set<String> SWITCHES = Set.of("--dry-run", "--help", "-h");

    public static CliOptions parse(String... args) throws UsageException {
        Map<String, String> values = new HashMap<>();
        boolean dryRun = false;
        boolean help = false;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            int equals = arg.indexOf('=');
            String name = arg.startsWith("--") && equals > 0 ? arg.substring(0, equals) : arg;
            if (SWITCHES.contains(name)) {
                if (!name.equals(arg)) {
                    throw new UsageException(name + " takes no value");
                }
                if (name.equals("--dry-run")) {
                    dryRun = true;
                } else {
                    help = true;
                }
            } else if (VALUED.contains(name)) {
                String value;
                if (!name.equals(arg)) {
                    value = arg.substring(equals + 1);
                } else if (i + 1 < args.length && !isOptionName(args[i + 1])) {
                    value = args[++i];
                } else {
                    throw new UsageException(name + " needs a value");
                }
                if (values.putIfAbsent(name, value) != null) {
                    throw new UsageException(name + " given twice");
                }
            } else if (arg.startsWith("-")) {
                throw new UsageException("unknown option " + name);
            } else {
                throw new UsageException("unexpected argument " + arg);
            }
        }
        if (help) {
            return new CliOptions(LoginMethod.AWS_IDENTITY, null, null, null, Optional.empty(), Optional.empty(),
                    Optional.empty(), Optional.empty(), SigningAlgorithm.RS256, AwsWebIdentityTokenSource.DEFAULT_DURATION,
                    OutputFormat.JSON, dryRun, true);
        }
        String printValue = values.getOrDefault("--print", OutputFormat.JSON.flagValue());
        OutputFormat print = OutputFormat.ofFlagValue(printValue)
                .orElseThrow(() -> new UsageException("--print must be json or access-token, not " + printValue));
        String methodValue = values.getOrDefault("--method", LoginMethod.AWS_IDENTITY.flagValue());
        LoginMethod method = LoginMethod.ofFlagValue(methodValue)
                .orElseThrow(() -> new UsageException("--method must be aws-identity or web-identity-token, not " + methodValue));
        if (method != LoginMethod.WEB_IDENTITY_TOKEN) {
            for (String name : List.of("--signing-algorithm", "--duration-seconds")) {
                if (values.containsKey(name)) {
                    throw new UsageException(name + " needs --method web-identity-token");
                }
            }
        }
        return new CliOptions(
                method,
                required(values, "--keycloak"),
                required(values, "--realm"),
                required(values, "--client-id"),
                optional(values, "--client-secret"),
                optional(values, "--scope"),
                optional(values, "--region"),
                optional(values, "--audience"),
                signingAlgorithm(values),
                duration(values),
                print,
                dryRun,
                false);
    }

    private static SigningAlgorithm signingAlgorithm(Map<String, String> values) throws UsageException {
        String value = values.getOrDefault("--signing-algorithm", SigningAlgorithm.RS256.name());
        for (SigningAlgorithm algorithm : SigningAlgorithm.values()) {
            if (algorithm.name().equals(value)) {
                return algorithm;
            }
        }
        throw new UsageException("--signing-algorithm must be RS256 or ES384, not " + value);
    }

    private static Duration duration(Map<String, String> values) throws UsageException {
        String value = values.get("--duration-seconds");
        if (value == null) {
            return AwsWebIdentityTokenSource.DEFAULT_DURATION;
        }
        long seconds;
        try {
            seconds = Long.parseLong(value);
        } catch (NumberFormatException e) {
            seconds = -1;
        }
        Duration duration = Duration.ofSeconds(seconds);
        if (seconds < 0 || duration.compareTo(AwsWebIdentityTokenSource.MIN_DURATION) < 0
                || duration.compareTo(AwsWebIdentityTokenSource.MAX_DURATION) > 0) {
            throw new UsageException("--duration-seconds must be a number of seconds from 60 to 3600, not " + value);
        }
        return duration;
    }

    // "--realm --client-id x" is a forgotten value, not a realm called "--client-id".
    private static boolean isOptionName(String arg) {
        String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
        return VALUED.contains(name) || SWITCHES.contains(name);
    }

    private static String required(Map<String, String> values, String name) throws UsageException {
        String value = values.get(name);
        if (value == null) {
            throw new UsageException(name + " is required");
        }
        if (value.isBlank()) {
            throw new UsageException(name + " must not be empty");
        }
        return value;
    }

    private static Optional<String> optional(Map<String, String> values, String name) throws UsageException {
        String value = values.get(name);
        if (value != null && value.isBlank()) {
            throw new UsageException(name + " must not be empty");
        }
        return Optional.ofNullable(value);
    }

    @Override
    public String toString() {
        return "CliOptions[method=" + method.flagValue() + ", keycloak=" + keycloak + ", realm=" + realm + ", clientId=" + clientId
                + (clientSecret.isPresent() ? ", clientSecret=" + SecretRedaction.REDACTED : "")
                + ", scope=" + scope + ", region=" + region + ", audience=" + audience
                + ", signingAlgorithm=" + signingAlgorithm + ", duration=" + duration.toSeconds() + "s, print=" + print.flagValue()
                + ", dryRun=" + dryRun + ", help=" + help + "]";
    }
}
