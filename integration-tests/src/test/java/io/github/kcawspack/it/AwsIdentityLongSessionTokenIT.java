package io.github.kcawspack.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.JWTClaimsSet;
import io.github.kcawspack.it.fakests.FakeSts;
import io.github.kcawspack.it.fakests.SignedStsRequest;
import io.github.kcawspack.it.fakests.StsBehaviour;
import io.github.kcawspack.it.harness.KeycloakExtension;
import io.github.kcawspack.it.harness.KeycloakServer;
import io.github.kcawspack.it.harness.OAuthClient.Answer;
import io.github.kcawspack.it.harness.TokenVerifier;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A session token of several kilobytes (role chaining, session tags, large session policies)
 * makes headers_json longer than the 4000 characters Keycloak's token endpoint accepts for a
 * parameter the grant does not declare as a token parameter (26.6 and later: it logs a warning
 * and drops the parameter from its own copy of the form, or refuses the request when
 * add-req-params-fail-fast is on). The grant declares its parameters through
 * OAuth2GrantType#getTokenParameterNames, which Keycloak 26.5 neither has nor needs: its token
 * endpoint does not limit lengths. On every Keycloak the suite runs against, such a request gets
 * its token and Keycloak does not complain about its size.
 */
@ExtendWith(KeycloakExtension.class)
class AwsIdentityLongSessionTokenIT {

    private static final String KEY = "ASIAILONGSESSIONEXAMP";
    private static final String SECRET = "long/session/EXAMPLEKEYEXAMPLEKEYEXAMPLE";

    @Test
    void aHeadersJsonLongerThan4000CharactersIsKept(KeycloakServer server, FakeSts sts, TokenVerifier tokens) throws Exception {
        String sessionToken = "IQoJb3JpZ2luX2VjELONG" + "A".repeat(6000);
        sts.setDefaultBehaviour(StsBehaviour.normal());
        sts.registerRole(KEY, SECRET, sessionToken, AwsWorkload.ACCOUNT, "deployer", "long-session", "AROADEPLOYEREXAMPLE1");
        AwsWorkload workload = new AwsWorkload(server, sts);

        SignedStsRequest signed = workload.signer(KEY, SECRET, sessionToken).sign();
        assertThat(signed.headersJson().length()).isGreaterThan(6000).isLessThan(20000);

        Answer answer = workload.login(signed);

        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        assertThat(Files.readString(server.log())).as("Keycloak's size check of undeclared parameters")
                .doesNotContain("OIDC parameter 'headers_json' is longer");
        JWTClaimsSet claims = tokens.verify(answer.text("access_token"));
        assertThat(claims.getStringClaim("aws_arn")).isEqualTo("arn:aws:iam::" + AwsWorkload.ACCOUNT + ":role/deployer");
    }
}
