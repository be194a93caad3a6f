package io.github.kcawspack.bench;

import io.github.kcawspack.awsidentity.principal.AwsPrincipal;
import io.github.kcawspack.awsidentity.sts.GetCallerIdentityResponseParser;
import io.github.kcawspack.awsidentity.verify.AwsIdentityRequest;
import io.github.kcawspack.awsidentity.verify.RequestPreflight;
import io.github.kcawspack.awsidentity.verify.VerificationSettings;
import io.github.kcawspack.it.fakests.AwsRequestSigner;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * JMH ({@code bin/bench --jmh}): what the pack's own checks cost per aws_identity request, without
 * Keycloak, STS or the network. {@code request}: the grant's form parameters read and every local
 * check of {@link RequestPreflight} on a request signed by the AWS SDK's SigV4 signer;
 * {@code stsAnswer}: a GetCallerIdentity answer parsed by {@link GetCallerIdentityResponseParser}
 * and its fields checked and canonicalised by {@link AwsPrincipal#from}; {@code both}: one request's share. The replay store,
 * the STS call and the user lookup are Keycloak's and STS's (see the load benchmark).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class VerificationCost {

    private static final String AUDIENCE = "http://localhost:8080/realms/demo";
    private static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");
    private static final byte[] STS_ANSWER = ("""
            <GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
              <GetCallerIdentityResult>
                <Arn>arn:aws:sts::123456789012:assumed-role/deployer/session-1</Arn>
                <UserId>AROA3XFRBF535PLBIFPI4:session-1</UserId>
                <Account>123456789012</Account>
              </GetCallerIdentityResult>
              <ResponseMetadata>
                <RequestId>01234567-89ab-cdef-0123-456789abcdef</RequestId>
              </ResponseMetadata>
            </GetCallerIdentityResponse>
            """).getBytes(StandardCharsets.UTF_8);

    private Map<String, List<String>> form;
    private RequestPreflight preflight;
    private final GetCallerIdentityResponseParser parser = new GetCallerIdentityResponseParser(64 * 1024); // the default max-response-bytes

    @Setup
    public void signOneRequest() {
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        form = new LinkedHashMap<>();
        AwsRequestSigner.forRegion("us-east-1")
                .credentials("ASIAEXAMPLEEXAMPLE12", "bench/secret", "IQoJb3JpZ2luX2VjEXAMPLEsessionToken")
                .audience(AUDIENCE).clock(clock).sign().grantParameters()
                .forEach((name, value) -> form.put(name, List.of(value)));
        preflight = new RequestPreflight(new VerificationSettings(Duration.ofMinutes(15), Duration.ofMinutes(5), true,
                Set.of(AUDIENCE)), clock);
        request(); // fails here, not in the measurement, if the checks refuse the request
        stsAnswer();
    }

    @Benchmark
    public RequestPreflight.Preflighted request() {
        return preflight.check(AwsIdentityRequest.fromForm(form));
    }

    @Benchmark
    public AwsPrincipal stsAnswer() {
        return AwsPrincipal.from(parser.parse(STS_ANSWER, "text/xml"));
    }

    @Benchmark
    public AwsPrincipal both() {
        request();
        return stsAnswer();
    }
}
