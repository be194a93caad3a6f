package io.github.kcawspack.scopepolicy.enforcement;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.kcawspack.scopepolicy.model.Requester;
import io.github.kcawspack.scopepolicy.model.ScopePolicy;
import io.github.kcawspack.scopepolicy.model.ScopePolicyJson;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ScopeGateTest {

    private static final ScopePolicy POLICY = ScopePolicyJson.parse("""
            {"rules": [{"scope": "write", "realmRoles": ["writer"]}, {"scope": "groups", "groups": ["/staff"]}]}""");
    private static final Requester BOB = new Requester(Set.of(), Map.of(), Set.of(), Optional.empty(), "password");
    private static final Set<String> DEFAULTS = Set.of("basic", "roles");
    private static final Set<String> OPTIONAL = Set.of("read", "write", "groups");

    @Test
    void withheldScopesLeaveTheParameterAndEverythingElseStaysInOrder() {
        GateResult result = ScopeGate.evaluate(POLICY, "api-client", DEFAULTS, OPTIONAL, "openid write read groups", BOB);

        assertThat(result.rejected()).isFalse();
        assertThat(result.scopeParameter()).isEqualTo("openid read");
        assertThat(result.withheld()).containsOnlyKeys("write", "groups");
    }

    @Test
    void nothingWithheldKeepsTheParameterAsKeycloakHadIt() {
        assertThat(ScopeGate.evaluate(POLICY, "api-client", DEFAULTS, OPTIONAL, null, BOB).scopeParameter()).isNull();
        assertThat(ScopeGate.evaluate(POLICY, "api-client", DEFAULTS, OPTIONAL, "read  read", BOB).scopeParameter())
                .as("untouched, repeats and all").isEqualTo("read  read");
    }

    @Test
    void aWithheldDefaultScopeCannotBeLeftOutSoTheRequestFails() {
        GateResult result = ScopeGate.evaluate(POLICY, "api-client", Set.of("basic", "write"), Set.of("read"), "read", BOB);

        assertThat(result.rejection()).contains("scope 'write' is not permitted for this request");
    }

    @Test
    void wordsThatAreNoClientScopeOfTheClientAreNotJudged() {
        ScopePolicy strict = ScopePolicyJson.parse("{\"strict\": true, \"rules\": [{\"scope\": \"basic\"}, {\"scope\": \"roles\"}, {\"scope\": \"read\"}]}");

        GateResult result = ScopeGate.evaluate(strict, "api-client", DEFAULTS, OPTIONAL, "openid read", BOB);

        assertThat(result.rejected()).isFalse();
        assertThat(result.scopeParameter()).isEqualTo("openid read");
    }

    @Test
    void strictModeRefusesAnUncoveredDefaultScope() {
        ScopePolicy strict = ScopePolicyJson.parse("{\"strict\": true, \"rules\": [{\"scope\": \"read\"}]}");

        assertThat(ScopeGate.evaluate(strict, "api-client", DEFAULTS, OPTIONAL, "read", BOB).rejected()).isTrue();
    }

    @Test
    void aParameterizedWordIsJudgedAsTheClientScopeItNames() {
        ScopePolicy organizations = ScopePolicyJson.parse("""
                {"rules": [{"scope": "organization", "realmRoles": ["writer"]}]}""");
        Set<String> optional = Set.of("read", "organization");

        GateResult result = ScopeGate.evaluate(organizations, "api-client", DEFAULTS, optional,
                "openid organization:acme read organization:* organization", BOB);

        assertThat(result.scopeParameter()).as("every word naming the organization scope is left out").isEqualTo("openid read");
        assertThat(result.withheld()).containsOnlyKeys("organization");
    }

    @Test
    void aWordWithAColonThatNamesNoClientScopeIsLeftToKeycloak() {
        assertThat(ScopeGate.clientScopeOf("urn:example:thing", DEFAULTS, OPTIONAL)).isNull();
        assertThat(ScopeGate.clientScopeOf("write:own", DEFAULTS, OPTIONAL)).isEqualTo("write");
        assertThat(ScopeGate.clientScopeOf("roles", DEFAULTS, OPTIONAL)).isEqualTo("roles");
    }
}
