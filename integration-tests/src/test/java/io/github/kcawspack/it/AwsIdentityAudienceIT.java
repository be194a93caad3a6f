package io.github.kcawspack.it;

import static io.github.kcawspack.it.DemoRealm.REALM;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.kcawspack.it.fakests.FakeSts;
import io.github.kcawspack.it.fakests.RawHttpClient;
import io.github.kcawspack.it.fakests.SignedStsRequest;
import io.github.kcawspack.it.harness.Injected;
import io.github.kcawspack.it.harness.KeycloakExtension;
import io.github.kcawspack.it.harness.KeycloakServer;
import io.github.kcawspack.it.harness.OAuthClient;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The accepted audience comes from configuration (the server's --hostname, which the harness sets
 * as operators do, and the realm's extra audiences), never from the request: a proof signed for
 * another server and sent here with that server's Host, or its forwarded headers, gets no token.
 */
@ExtendWith(KeycloakExtension.class)
class AwsIdentityAudienceIT {

    private static final String OTHER_SERVER = "sso.other.example";

    @Injected
    KeycloakServer server;
    @Injected
    FakeSts sts;
    private AwsWorkload workload;

    @BeforeEach
    void connect() {
        workload = new AwsWorkload(server, sts);
    }

    @Test
    void aProofSignedForAnotherServerAndSentWithItsHostIsRefused() throws Exception {
        SignedStsRequest signed = workload.deployer().audience("http://" + OTHER_SERVER + "/realms/" + REALM).sign();
        long calls = sts.requestCount();

        RawHttpClient.Response answer = postToken(signed, List.of(Map.entry("Host", OTHER_SERVER)));

        assertThat(answer.status()).as(answer.toString()).isEqualTo(400);
        assertThat(error(answer)).isEqualTo("invalid_grant");
        assertThat(sts.requestCount()).as("refused before STS").isEqualTo(calls);
    }

    @Test
    void forwardedHeadersNamingAnotherServerChangeNothing() throws Exception {
        SignedStsRequest signed = workload.deployer().audience("https://" + OTHER_SERVER + "/realms/" + REALM).sign();

        RawHttpClient.Response answer = postToken(signed, List.of(Map.entry("Host", "localhost:" + URI.create(server.baseUrl()).getPort()),
                Map.entry("X-Forwarded-Host", OTHER_SERVER), Map.entry("X-Forwarded-Proto", "https"),
                Map.entry("Forwarded", "host=" + OTHER_SERVER + ";proto=https")));

        assertThat(answer.status()).as(answer.toString()).isEqualTo(400);
        assertThat(error(answer)).isEqualTo("invalid_grant");
    }

    @Test
    void theIssuerOfTheConfiguredHostnameIsAccepted() {
        assertThat(workload.login(workload.deployer().sign()).status()).isEqualTo(200);
    }

    private RawHttpClient.Response postToken(SignedStsRequest signed, List<Map.Entry<String, String>> extraHeaders)
            throws Exception {
        Map<String, String> form = new LinkedHashMap<>(signed.grantParameters());
        form.put("grant_type", "aws_identity");
        form.put("client_id", AwsWorkload.CLIENT);
        byte[] body = OAuthClient.formEncode(form).getBytes(StandardCharsets.UTF_8);
        List<Map.Entry<String, String>> headers = new java.util.ArrayList<>(extraHeaders);
        headers.add(Map.entry("Content-Type", "application/x-www-form-urlencoded"));
        headers.add(Map.entry("Content-Length", String.valueOf(body.length)));
        headers.add(Map.entry("Connection", "close"));
        return RawHttpClient.exchange(URI.create(server.baseUrl()),
                new RawHttpClient.Request("POST", "/realms/" + REALM + "/protocol/openid-connect/token", headers, body),
                Duration.ofSeconds(30));
    }

    private static String error(RawHttpClient.Response answer) throws Exception {
        JsonNode json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(answer.bodyText());
        return json.path("error").asText();
    }
}
