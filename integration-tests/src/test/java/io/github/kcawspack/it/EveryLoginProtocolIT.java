package io.github.kcawspack.it;

import static io.github.kcawspack.it.harness.PolicyRealm.BOB;
import static io.github.kcawspack.it.harness.PolicyRealm.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import io.github.kcawspack.it.harness.Injected;
import io.github.kcawspack.it.harness.KeycloakExtension;
import io.github.kcawspack.it.harness.KeycloakServer;
import io.github.kcawspack.it.harness.OAuthClient.Answer;
import io.github.kcawspack.it.harness.PolicyRealm;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 13's enumeration for login protocols, in the style of {@link EveryGrantTypeIT}: the running
 * server is asked which login protocols it has registered (admin server-info, SPI login-protocol),
 * and for each one, with a policy active that gives write and saml-write only to realm role
 * writer, bob logs in through it and gets no withheld scope: a token without write
 * (openid-connect; every OIDC grant is driven by EveryGrantTypeIT), a refused SAML login (saml;
 * every SAML path by ScopePolicySamlIT). A protocol this class has no driver for fails here until
 * someone writes one.
 */
@ExtendWith(KeycloakExtension.class)
@PolicyRealm.Options(prefix = "every-protocol")
class EveryLoginProtocolIT {

    @Injected
    KeycloakServer server;
    @Injected
    PolicyRealm realm;

    @BeforeAll
    static void addTheSamlClientAndPolicy(PolicyRealm realm) {
        ScopePolicySamlIT.addSamlClient(realm);
        realm.policy(ScopePolicySamlIT.SAML_WRITE_FOR_WRITERS);
    }

    @TestFactory
    Stream<DynamicTest> everyLoginProtocolTheServerRegistersIsJudgedOrRefused() {
        List<String> registered = server.providerIds("login-protocol");
        assertThat(registered).as("the server's list").contains("openid-connect", "saml");
        Map<String, Runnable> drivers = drivers();
        return registered.stream().sorted().map(protocol -> dynamicTest(protocol, () -> {
            Runnable driver = drivers.get(protocol);
            if (driver == null) {
                fail("The server registers login protocol '%s', which %s cannot drive: add a driver that proves a login"
                        + " without the withheld scope or a refusal under a restricted-scope policy", protocol, getClass().getSimpleName());
            }
            driver.run();
        }));
    }

    private Map<String, Runnable> drivers() {
        Map<String, Runnable> drivers = new LinkedHashMap<>();
        drivers.put("openid-connect", () -> {
            Answer answer = realm.password(BOB, "read write");
            assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
            assertThat(PolicyRealm.words(answer.text("scope"))).contains("read").doesNotContain("write");
        });
        drivers.put("saml", () -> ScopePolicySamlIT.assertRefused(
                new SamlFlows(server, realm.name()).idpInitiated(ScopePolicySamlIT.SAML_CLIENT, BOB, PASSWORD),
                "scope &#39;saml-write&#39; is not permitted"));
        // No driver for docker-v2 (feature docker) or oid4vc (OID4VCI): the tests' server leaves
        // those features off; a server that has them fails above until a driver exists. A login
        // through any protocol but openid-connect and saml is refused by the required action
        // unless the policy lists the protocol's id among its allowed unjudged grant types.
        return drivers;
    }
}
