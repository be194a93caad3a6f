package io.github.kcawspack.awslogin;

import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;

/** {@code java -jar aws-pack-aws-login.jar --help}: see {@link CliOptions#USAGE}. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        // Both chains are lazy: nothing is looked up before the arguments are known to be usable.
        AwsLoginCommand command = new AwsLoginCommand(
                DefaultCredentialsProvider.builder().build(),
                new DefaultAwsRegionProviderChain(),
                Clock.systemUTC(),
                HttpClient.newBuilder()
                        .connectTimeout(Duration.ofSeconds(10))
                        // A token endpoint does not redirect; following one would resend the proof elsewhere.
                        .followRedirects(HttpClient.Redirect.NEVER)
                        .build(),
                System.out,
                System.err);
        System.exit(command.run(args));
    }
}
