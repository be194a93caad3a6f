package io.github.kcawspack.awslogin;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The parsed command line. Options take {@code --name value} or {@code --name=value}. */
public record CliOptions(
        String keycloak,
        String realm,
        String clientId,
        Optional<String> clientSecret,
        Optional<String> scope,
        Optional<String> region,
        Optional<String> audience,
        OutputFormat print,
        boolean dryRun,
        boolean help) {

    public static final String USAGE = String.join("\n",
            "Usage: java -jar aws-pack-aws-login.jar --keycloak URL --realm REALM --client-id ID [options]",
            "",
            "Gets tokens from Keycloak for this machine's AWS identity (grant_type=aws_identity).",
            "Signs an sts:GetCallerIdentity request with the default AWS credentials chain (environment,",
            "profile, web identity, container, instance metadata) without sending it; Keycloak has STS",
            "check the signature and maps the AWS principal to a user.",
            "",
            "Options:",
            "  --keycloak URL           Keycloak base URL, e.g. http://localhost:8080",
            "  --realm REALM            realm name, e.g. demo",
            "  --client-id ID           OAuth2 client, e.g. aws-workload",
            "  --client-secret SECRET   secret of a confidential client, sent with HTTP Basic",
            "                           (a command line is visible to other local users)",
            "  --scope \"A B\"            scopes to request, space separated",
            "  --region REGION          AWS region to sign for (default: the AWS region chain,",
            "                           e.g. AWS_REGION, the profile, instance metadata)",
            "  --audience URL           signed X-Keycloak-Audience (default: KEYCLOAK/realms/REALM)",
            "  --print json|access-token  print the token response JSON (default) or the access token",
            "  --dry-run                print the token request instead of sending it, with the",
            "                           signature, session token and client secret redacted",
            "  -h, --help               print this text",
            "",
            "Exit status: 0 tokens issued; 1 refused (\"error: description\" on stderr) or failed;",
            "2 usage error.",
            "");

    private static final Set<String> VALUED = Set.of(
            "--keycloak", "--realm", "--client-id", "--client-secret", "--scope", "--region", "--audience", "--print");
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
            return new CliOptions(null, null, null, Optional.empty(), Optional.empty(), Optional.empty(),
                    Optional.empty(), OutputFormat.JSON, dryRun, true);
        }
        String printValue = values.getOrDefault("--print", OutputFormat.JSON.flagValue());
        OutputFormat print = OutputFormat.ofFlagValue(printValue)
                .orElseThrow(() -> new UsageException("--print must be json or access-token, not " + printValue));
        return new CliOptions(
                required(values, "--keycloak"),
                required(values, "--realm"),
                required(values, "--client-id"),
                optional(values, "--client-secret"),
                optional(values, "--scope"),
                optional(values, "--region"),
                optional(values, "--audience"),
                print,
                dryRun,
                false);
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
        return "CliOptions[keycloak=" + keycloak + ", realm=" + realm + ", clientId=" + clientId
                + (clientSecret.isPresent() ? ", clientSecret=" + SecretRedaction.REDACTED : "")
                + ", scope=" + scope + ", region=" + region + ", audience=" + audience + ", print=" + print.flagValue()
                + ", dryRun=" + dryRun + ", help=" + help + "]";
    }
}
