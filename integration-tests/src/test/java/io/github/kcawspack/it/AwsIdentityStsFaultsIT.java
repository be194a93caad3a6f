package io.github.kcawspack.it;

import static io.github.kcawspack.it.DemoRealm.REALM;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.kcawspack.it.OutstandingAwsLogins.Outcome;
import io.github.kcawspack.it.fakests.FakeSts;
import io.github.kcawspack.it.fakests.SignedStsRequest;
import io.github.kcawspack.it.fakests.StsBehaviour;
import io.github.kcawspack.it.fakests.StsResponse;
import io.github.kcawspack.it.harness.Injected;
import io.github.kcawspack.it.harness.KeycloakExtension;
import io.github.kcawspack.it.harness.KeycloakServer;
import io.github.kcawspack.it.harness.OAuthClient;
import io.github.kcawspack.it.harness.OAuthClient.Answer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What a client gets when STS misbehaves, against the real server: an outage is
 * {@code 503 temporarily_unavailable} (it may retry), an answer that proves nothing is
 * {@code 400 invalid_grant}; either comes within the server's STS deadline
 * ({@link KeycloakExtension#STS_DEADLINE}) and repeats nothing STS said. And a dead STS costs
 * other clients of the server nothing.
 */
@ExtendWith(KeycloakExtension.class)
class AwsIdentityStsFaultsIT {

    /** Far longer than the deadline plus the margin: an answer within the bound shows the server stopped waiting. */
    private static final Duration HANG = Duration.ofSeconds(30);
    /** Covers a busy machine: the server's own work around the STS call, scheduling, GC. */
    private static final Duration MARGIN = Duration.ofSeconds(3);
    private static final Duration BOUND = KeycloakExtension.STS_DEADLINE.plus(MARGIN);

    @Injected
    KeycloakServer server;
    @Injected
    FakeSts sts;
    private AwsWorkload workload;

    @BeforeEach
    void connect() {
        workload = new AwsWorkload(server, sts);
    }

    @AfterEach
    void normalSts() {
        sts.setDefaultBehaviour(StsBehaviour.normal());
    }

    static Stream<Arguments> stsFaults() {
        return Stream.of(
                outage("no answer before the deadline", TIMED_OUT, StsBehaviour.hangBeforeHeaders(HANG)),
                outage("body dripping past the deadline", TIMED_OUT, StsBehaviour.dripBody(Duration.ofMillis(100))),
                outage("InternalFailure 500", STS_FAILURE, StsBehaviour.internalFailure()),
                outage("ServiceUnavailable 503", STS_FAILURE, StsBehaviour.serviceUnavailable()),
                outage("Throttling (HTTP 400)", STS_FAILURE, StsBehaviour.throttling()),
                // The server sends such a request once more on a fresh connection: twice is an outage.
                outage("connection closed without an answer, twice", UNREACHABLE, StsBehaviour.closeWithoutAnswer(), StsBehaviour.closeWithoutAnswer()),
                outage("connection reset, twice", UNREACHABLE, StsBehaviour.resetConnection(), StsBehaviour.resetConnection()),
                // Not followed; the client's proof was never judged, so it may retry: an outage, not its fault.
                outage("302 to another host", REDIRECTED, StsBehaviour.redirectToAnotherHost()),
                unusable("1 MB body", UNUSABLE, StsBehaviour.oversizeBody(1024 * 1024)),
                unusable("JSON body", UNUSABLE, StsBehaviour.jsonBody()),
                unusable("HTML page", UNUSABLE, StsBehaviour.htmlBody()),
                unusable("XML with an internal entity", UNUSABLE, StsBehaviour.xmlWithInternalEntity()),
                unusable("XML with an external entity", UNUSABLE, StsBehaviour.xmlWithExternalEntity()),
                unusable("wrong namespace", UNUSABLE, StsBehaviour.wrongNamespace()),
                unusable("two results", UNUSABLE, StsBehaviour.twoResults()),
                unusable("empty fields", UNUSABLE, StsBehaviour.emptyFields()),
                unusable("inconsistent fields", UNUSABLE, StsBehaviour.inconsistentFields()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("stsFaults")
    void stsFaultsMapToOAuthErrorsWithinTheDeadlineWithoutStsContent(String name, StsBehaviour[] faults,
            int status, String error, String description) {
        SignedStsRequest signed = workload.deployer().sign();
        sts.enqueue(faults);

        long start = System.nanoTime();
        Answer answer = workload.login(signed);
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(answer.status()).as(answer.toString()).isEqualTo(status);
        assertThat(answer.text("error")).isEqualTo(error);
        assertThat(answer.text("error_description")).isEqualTo(description);
        assertThat(took).as("answered within the STS deadline plus margin").isLessThan(BOUND);
        assertRepeatsNothingFromSts(answer, sts.lastResponse());
    }

    @Test
    void clientCredentialsKeepsItsLatencyWhileFiftyAwsLoginsHangOnADeadSts() throws Exception {
        OAuthClient testclient = server.oauth(REALM);
        clientCredentialsLatencies(testclient, Duration.ZERO, 5); // warm-up
        Latencies before = new Latencies(clientCredentialsLatencies(testclient, Duration.ZERO, 15));

        sts.setDefaultBehaviour(StsBehaviour.hangBeforeHeaders(HANG));
        long stsCallsBefore = sts.requestCount();
        Latencies during;
        List<Outcome> outcomes;
        try (OutstandingAwsLogins hanging = OutstandingAwsLogins.start(workload, 50, KeycloakExtension.STS_DEADLINE)) {
            awaitStsCalls(stsCallsBefore + 20);
            // Two and a half deadlines: hanging logins end and are sent again at least twice meanwhile.
            during = new Latencies(clientCredentialsLatencies(testclient,
                    KeycloakExtension.STS_DEADLINE.multipliedBy(5).dividedBy(2), 15));
            assertThat(hanging.inFlight()).as("aws_identity logins outstanding when the measurement ended").isPositive();
            outcomes = hanging.stop();
        }
        System.out.printf("client_credentials latency: %s before STS died, %s while 50 aws_identity logins hung on it%n",
                before, during);

        assertThat(during.median()).as("median; %s before", before)
                .isLessThan(before.median().multipliedBy(5).plus(Duration.ofMillis(500)));
        // A request that queued behind the hanging logins waits for a good part of the STS deadline.
        assertThat(during.percentile90()).as("90th percentile; %s before", before)
                .isLessThan(KeycloakExtension.STS_DEADLINE.dividedBy(2));
        assertThat(outcomes).hasSizeGreaterThanOrEqualTo(50).allSatisfy(outcome -> {
            assertThat(outcome.status()).isEqualTo(503);
            assertThat(outcome.error()).isEqualTo("temporarily_unavailable");
            assertThat(outcome.took()).isLessThan(BOUND);
        });
    }

    /** Sorted request latencies. */
    private record Latencies(List<Duration> sorted) {
        Latencies {
            sorted = sorted.stream().sorted().toList();
        }

        Duration median() {
            return sorted.get(sorted.size() / 2);
        }

        Duration percentile90() {
            return sorted.get(sorted.size() * 9 / 10);
        }

        @Override
        public String toString() {
            return String.format("median %d ms, 90th percentile %d ms, max %d ms (%d requests)", median().toMillis(),
                    percentile90().toMillis(), sorted.get(sorted.size() - 1).toMillis(), sorted.size());
        }
    }

    // What the client reads says which of the ways STS failed it was (issue 16: an unreachable STS
    // and a slow one used to give the same text), and nothing STS sent.
    private static final String TIMED_OUT = "AWS STS did not answer in time; try again later";
    private static final String UNREACHABLE = "AWS STS could not be reached; try again later";
    private static final String STS_FAILURE = "AWS STS cannot take the request now (throttling or a failure on its side); try again later";
    private static final String REDIRECTED = "the AWS STS endpoint did not answer as STS does (a redirect, which is not followed); try again later";
    private static final String UNUSABLE = "AWS STS gave an answer that could not be used";

    private static Arguments outage(String name, String description, StsBehaviour... faults) {
        return Arguments.of(name, faults, 503, "temporarily_unavailable", description);
    }

    private static Arguments unusable(String name, String description, StsBehaviour... faults) {
        return Arguments.of(name, faults, 400, "invalid_grant", description);
    }

    // Words of eight letters or digits or more: markup names, codes, messages, ids, ARN parts.
    private static final Pattern STS_WORD = Pattern.compile("[A-Za-z0-9]{8,}");

    /** The error is ours alone: its two fields, no markup, and no word of what STS sent. */
    private void assertRepeatsNothingFromSts(Answer answer, Optional<StsResponse> stsResponse) {
        String body = answer.raw().body();
        List<String> fields = new ArrayList<>();
        answer.json().fieldNames().forEachRemaining(fields::add);
        assertThat(fields).containsExactlyInAnyOrder("error", "error_description");
        assertThat(body).doesNotContain("<").doesNotContain("arn:");
        stsResponse.ifPresent(response -> {
            Matcher words = STS_WORD.matcher(new String(response.body(), StandardCharsets.UTF_8));
            while (words.find()) {
                assertThat(body).as("the client's answer").doesNotContain(words.group());
            }
        });
    }

    /** Sequential client_credentials requests for at least {@code window} and at least {@code samples} of them. */
    private static List<Duration> clientCredentialsLatencies(OAuthClient client, Duration window, int samples) {
        List<Duration> latencies = new ArrayList<>();
        long end = System.nanoTime() + window.toNanos();
        while (latencies.size() < samples || System.nanoTime() < end) {
            long start = System.nanoTime();
            Answer answer = client.token(OAuthClient.form("grant_type", "client_credentials"),
                    DemoRealm.TESTCLIENT + ":" + DemoRealm.TESTCLIENT_SECRET);
            latencies.add(Duration.ofNanos(System.nanoTime() - start));
            assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        }
        return latencies;
    }

    private void awaitStsCalls(long count) throws InterruptedException {
        Instant deadline = Instant.now().plus(BOUND);
        while (sts.requestCount() < count && Instant.now().isBefore(deadline)) {
            Thread.sleep(20);
        }
        assertThat(sts.requestCount()).as("STS calls of the hanging logins").isGreaterThanOrEqualTo(count);
    }
}
