package io.github.kcawspack.it;

import static io.github.kcawspack.it.DemoRealm.REALM;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.JWTClaimsSet;
import io.github.kcawspack.it.fakests.AwsRequestSigner;
import io.github.kcawspack.it.fakests.FakeSts;
import io.github.kcawspack.it.fakests.SignedStsRequest;
import io.github.kcawspack.it.harness.Injected;
import io.github.kcawspack.it.harness.KeycloakExtension;
import io.github.kcawspack.it.harness.KeycloakServer;
import io.github.kcawspack.it.harness.OAuthClient.Answer;
import io.github.kcawspack.it.harness.TokenVerifier;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A partition beyond the classic three, end to end: the AWS European Sovereign Cloud (partition
 * aws-eusc, region eusc-de-east-1, STS at sts.eusc-de-east-1.amazonaws.eu), whose regions,
 * host and ARNs the server knows from the partition table generated from the AWS SDK.
 */
@ExtendWith(KeycloakExtension.class)
class AwsIdentityPartitionsIT {

    private static final String EUSC_KEY = "ASIAEUSCDEPLOYEREXMP";
    private static final String EUSC_SECRET = "eusc/secret/EXAMPLEKEYEXAMPLEKEYEXAMP";
    private static final String EUSC_TOKEN = "IQoJeuscSESSIONtoken";

    @Injected
    KeycloakServer server;
    @Injected
    FakeSts sts;
    @Injected
    TokenVerifier tokens;
    private AwsWorkload workload;
    private static AwsRealmConfig config;
    private static String binding;

    @BeforeAll
    static void bindTheSovereignCloud(KeycloakServer keycloak, FakeSts sts) {
        sts.registerRole(EUSC_KEY, EUSC_SECRET, EUSC_TOKEN, AwsWorkload.ACCOUNT, "eusc-deployer", "run-1", "AROAEUSCDEPLOYEREXMP");
        config = new AwsRealmConfig(keycloak);
        binding = config.add(REALM, AwsRealmConfig.binding("sovereign cloud roles", "priority", "5", "partition", "aws-eusc",
                "account", AwsWorkload.ACCOUNT, "type", "role", "namePattern", "eusc-*", "provisionUsers", "true"));
    }

    @AfterAll
    static void restore() {
        if (binding != null) {
            config.remove(REALM, binding);
        }
    }

    @BeforeEach
    void connect() {
        workload = new AwsWorkload(server, sts);
    }

    @Test
    void aRoleOfTheEuropeanSovereignCloudLogsInThroughItsOwnStsHost() throws Exception {
        SignedStsRequest signed = AwsRequestSigner.forRegion("eusc-de-east-1")
                .credentials(EUSC_KEY, EUSC_SECRET, EUSC_TOKEN)
                .signedHeader("amz-sdk-invocation-id", UUID.randomUUID().toString())
                .audience(server.realmUrl(REALM)).sign();
        assertThat(signed.headers().get("Host")).isEqualTo("sts.eusc-de-east-1.amazonaws.eu");

        Answer answer = workload.login(signed);

        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        JWTClaimsSet claims = tokens.verify(answer.text("access_token"));
        assertThat(claims.getStringClaim("aws_arn")).isEqualTo("arn:aws-eusc:iam::123456789012:role/eusc-deployer");
    }
}
