package io.github.kcawspack.awslogin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CliOptionsTest {

    @Test
    void parsesEveryOption() throws Exception {
        CliOptions options = CliOptions.parse("--keycloak", "http://localhost:8080", "--realm", "demo",
                "--client-id", "aws-workload", "--client-secret", "s3cret", "--scope", "read write",
                "--region", "eu-west-1", "--audience", "http://kc/realms/demo", "--print", "access-token", "--dry-run");

        assertThat(options.keycloak()).isEqualTo("http://localhost:8080");
        assertThat(options.realm()).isEqualTo("demo");
        assertThat(options.clientId()).isEqualTo("aws-workload");
        assertThat(options.clientSecret()).contains("s3cret");
        assertThat(options.scope()).contains("read write");
        assertThat(options.region()).contains("eu-west-1");
        assertThat(options.audience()).contains("http://kc/realms/demo");
        assertThat(options.print()).isEqualTo(OutputFormat.ACCESS_TOKEN);
        assertThat(options.dryRun()).isTrue();
        assertThat(options.help()).isFalse();
    }

    @Test
    void acceptsNameEqualsValueAndDefaultsTheRest() throws Exception {
        CliOptions options = CliOptions.parse("--keycloak=http://localhost:8080", "--realm=demo",
                "--client-id=aws-workload", "--scope=a=b");

        assertThat(options.scope()).contains("a=b");
        assertThat(options.clientSecret()).isEmpty();
        assertThat(options.region()).isEmpty();
        assertThat(options.audience()).isEmpty();
        assertThat(options.print()).isEqualTo(OutputFormat.JSON);
        assertThat(options.dryRun()).isFalse();
    }

    @Test
    void helpNeedsNothingElse() throws Exception {
        assertThat(CliOptions.parse("--help").help()).isTrue();
        assertThat(CliOptions.parse("--realm", "demo", "-h").help()).isTrue();
    }

    @Test
    void requiresKeycloakRealmAndClientId() {
        assertUsageError("--keycloak is required", "--realm", "demo", "--client-id", "c");
        assertUsageError("--realm is required", "--keycloak", "http://k", "--client-id", "c");
        assertUsageError("--client-id is required", "--keycloak", "http://k", "--realm", "demo");
    }

    @Test
    void refusesMalformedCommandLines() {
        assertUsageError("unknown option --realms", "--realms", "demo");
        assertUsageError("--realm given twice", "--realm", "a", "--realm", "b");
        assertUsageError("--realm needs a value", "--keycloak", "http://k", "--realm");
        assertUsageError("--realm needs a value", "--realm", "--client-id", "c");
        assertUsageError("unexpected argument demo", "demo");
        assertUsageError("--dry-run takes no value", "--dry-run=yes");
        assertUsageError("--client-id must not be empty", "--keycloak", "http://k", "--realm", "r", "--client-id", "");
        assertUsageError("--print must be json or access-token, not yaml",
                "--keycloak", "http://k", "--realm", "r", "--client-id", "c", "--print", "yaml");
    }

    @Test
    void theMethodIsAwsIdentityUnlessChosenAndWebIdentityTokenHasDefaults() throws Exception {
        CliOptions plain = CliOptions.parse("--keycloak", "http://k", "--realm", "r", "--client-id", "c");
        assertThat(plain.method()).isEqualTo(LoginMethod.AWS_IDENTITY);

        CliOptions jwt = CliOptions.parse("--keycloak", "http://k", "--realm", "r", "--client-id", "c",
                "--method", "web-identity-token");
        assertThat(jwt.method()).isEqualTo(LoginMethod.WEB_IDENTITY_TOKEN);
        assertThat(jwt.signingAlgorithm()).isEqualTo(AwsWebIdentityTokenSource.SigningAlgorithm.RS256);
        assertThat(jwt.duration()).isEqualTo(Duration.ofSeconds(300));

        CliOptions chosen = CliOptions.parse("--keycloak", "http://k", "--realm", "r", "--client-id", "c",
                "--method=web-identity-token", "--signing-algorithm", "ES384", "--duration-seconds=3600");
        assertThat(chosen.signingAlgorithm()).isEqualTo(AwsWebIdentityTokenSource.SigningAlgorithm.ES384);
        assertThat(chosen.duration()).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void refusesWebIdentityTokenOptionsThatStsWouldRefuseOrThatDoNotApply() {
        String[] base = {"--keycloak", "http://k", "--realm", "r", "--client-id", "c"};
        assertUsageError("--method must be aws-identity or web-identity-token, not jwt", concat(base, "--method", "jwt"));
        assertUsageError("--signing-algorithm needs --method web-identity-token", concat(base, "--signing-algorithm", "RS256"));
        assertUsageError("--duration-seconds needs --method web-identity-token", concat(base, "--duration-seconds", "300"));
        String[] jwt = concat(base, "--method", "web-identity-token");
        assertUsageError("--signing-algorithm must be RS256 or ES384, not HS256", concat(jwt, "--signing-algorithm", "HS256"));
        assertUsageError("--signing-algorithm must be RS256 or ES384, not rs256", concat(jwt, "--signing-algorithm", "rs256"));
        assertUsageError("--duration-seconds must be a number of seconds from 60 to 3600, not 59",
                concat(jwt, "--duration-seconds", "59"));
        assertUsageError("--duration-seconds must be a number of seconds from 60 to 3600, not 3601",
                concat(jwt, "--duration-seconds", "3601"));
        assertUsageError("--duration-seconds must be a number of seconds from 60 to 3600, not 5m",
                concat(jwt, "--duration-seconds", "5m"));
    }

    private static String[] concat(String[] first, String... more) {
        String[] all = Arrays.copyOf(first, first.length + more.length);
        System.arraycopy(more, 0, all, first.length, more.length);
        return all;
    }

    @Test
    void toStringHidesTheClientSecret() throws Exception {
        CliOptions options = CliOptions.parse("--keycloak", "http://k", "--realm", "r", "--client-id", "c",
                "--client-secret", "s3cret");

        assertThat(options.toString()).doesNotContain("s3cret").contains("clientSecret=<redacted>");
        assertThat(options.clientSecret()).isEqualTo(Optional.of("s3cret"));
    }

    private static void assertUsageError(String message, String... args) {
        assertThatThrownBy(() -> CliOptions.parse(args)).isInstanceOf(UsageException.class).hasMessage(message);
    }
}
