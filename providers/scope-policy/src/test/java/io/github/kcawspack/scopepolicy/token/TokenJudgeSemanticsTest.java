package io.github.kcawspack.scopepolicy.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.github.kcawspack.scopepolicy.model.ClassicScopes;
import io.github.kcawspack.scopepolicy.model.Requester;
import io.github.kcawspack.scopepolicy.model.ScopePolicy;
import io.github.kcawspack.scopepolicy.model.ScopePolicyJson;
import io.github.kcawspack.scopepolicy.model.ScopeSemantics;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.keycloak.models.ClientModel;
import org.keycloak.models.ClientScopeModel;

/** The judge's check that a token's optional scopes are what the client's scope semantics give. */
class TokenJudgeSemanticsTest {

    private static final ClassicScopes RFC6749 = new ClassicScopes(ScopeSemantics.RFC6749, List.of("read", "write"));
    private static final ClassicScopes ALWAYS = new ClassicScopes(ScopeSemantics.ALWAYS_DEFAULTS, List.of("read", "write"));
    private static final Requester BOB = new Requester(Set.of(), Map.of(), Set.of(), Optional.empty(), "password");
    private static final Requester WRITER = new Requester(Set.of("writer"), Map.of(), Set.of(), Optional.empty(), "password");
    private static final ScopePolicy WRITE_FOR_WRITERS = ScopePolicyJson.parse(
            "{\"mode\": \"filter\", \"rules\": [{\"scope\": \"write\", \"realmRoles\": [\"writer\"]}]}");

    private final ClientModel client = mock(ClientModel.class);

    TokenJudgeSemanticsTest() {
        when(client.getClientId()).thenReturn("app");
        Map<String, ClientScopeModel> optional = new LinkedHashMap<>();
        for (String name : List.of("read", "write", "offline_access")) {
            optional.put(name, mock(ClientScopeModel.class));
        }
        when(client.getClientScopes(false)).thenReturn(optional);
    }

    private Optional<TokenJudge.Refusal> judge(ClassicScopes classic, Optional<ScopePolicy> policy, Requester requester,
                                               String... carried) {
        return judge(classic, Set.of(), policy, requester, carried);
    }

    private Optional<TokenJudge.Refusal> judge(ClassicScopes classic, Set<String> withheld, Optional<ScopePolicy> policy,
                                               Requester requester, String... carried) {
        return TokenJudge.disagreement(classic, client, List.of(carried), withheld, policy, requester,
                "urn:ietf:params:oauth:grant-type:device_code");
    }

    @Test
    void keycloaksSemanticsAreNeverChecked() {
        assertThat(judge(ClassicScopes.KEYCLOAK, Optional.empty(), BOB, "basic")).isEmpty();
    }

    @Test
    void aTokenWithoutAnyOptionalScopeIsRefusedUnderRfc6749() {
        Optional<TokenJudge.Refusal> refusal = judge(RFC6749, Optional.empty(), BOB, "basic", "roles");

        assertThat(refusal).isPresent();
        assertThat(refusal.get().error()).isEqualTo("invalid_scope");
        assertThat(refusal.get().eventReason()).isEqualTo(TokenJudge.SEMANTICS_REASON);
    }

    @Test
    void aTokenNamingItsScopesPassesUnderRfc6749() {
        assertThat(judge(RFC6749, Optional.empty(), BOB, "basic", "write")).isEmpty();
        assertThat(judge(RFC6749, Optional.empty(), BOB, "read", "write")).isEmpty();
    }

    @Test
    void theDefaultsThePolicyWithholdsAreNotExpected() {
        assertThat(judge(RFC6749, Optional.of(WRITE_FOR_WRITERS), BOB, "basic", "read")).isEmpty();
        assertThat(judge(ALWAYS, Optional.of(WRITE_FOR_WRITERS), BOB, "read")).isEmpty();
        assertThat(judge(ALWAYS, Optional.of(WRITE_FOR_WRITERS), WRITER, "read")).as("a writer's token lacks write").isPresent();
        assertThat(judge(ALWAYS, Optional.of(WRITE_FOR_WRITERS), WRITER, "read", "write")).isEmpty();
    }

    @Test
    void alwaysDefaultsRefusesAnyOtherSet() {
        assertThat(judge(ALWAYS, Optional.empty(), BOB, "read")).isPresent();
        assertThat(judge(ALWAYS, Optional.empty(), BOB, "read", "write", "offline_access")).isPresent();
        assertThat(judge(ALWAYS, Optional.empty(), BOB, "basic", "read", "write")).isEmpty();
    }

    @Test
    void aRequestThePolicyNarrowedToNothingNamedItsScopeAndGetsNoDefaults() {
        // bob asked for write only; the pack withheld it and recorded so: an empty scope is what RFC 6749 gives him.
        assertThat(judge(RFC6749, Set.of("write"), Optional.of(WRITE_FOR_WRITERS), BOB, "basic")).isEmpty();
        assertThat(judge(RFC6749, Set.of(), Optional.of(WRITE_FOR_WRITERS), BOB, "basic"))
                .as("without the record the same token skipped the defaults").isPresent();
        assertThat(judge(ALWAYS, Set.of("write"), Optional.of(WRITE_FOR_WRITERS), BOB, "basic"))
                .as("under always-defaults the record does not excuse a missing default").isPresent();
    }

    @Test
    void aWithheldScopeTheTokenStillCarriesIsLeftToThePolicysOwnRefusal() {
        // A device token asked for write before bob signed in: the policy's check refuses it by name (reason scope_policy).
        assertThat(judge(RFC6749, Optional.of(WRITE_FOR_WRITERS), BOB, "basic", "write")).isEmpty();
        assertThat(judge(RFC6749, Optional.of(WRITE_FOR_WRITERS), BOB, "basic", "read", "write")).isEmpty();
        assertThat(judge(ALWAYS, Optional.of(WRITE_FOR_WRITERS), BOB, "write")).as("read, a default, is missing").isPresent();
    }

    @Test
    void aRecordOnlyEverMakesTheJudgeExpectFewerScopes() {
        // An SSO re-login on the same client session may carry an earlier login's record.
        assertThat(judge(ALWAYS, Set.of("write"), Optional.of(WRITE_FOR_WRITERS), WRITER, "read", "write"))
                .as("the user became a writer").isEmpty();
        assertThat(judge(ALWAYS, Set.of("write"), Optional.empty(), BOB, "read", "write")).as("the policy was switched off").isEmpty();
        assertThat(judge(RFC6749, Set.of("write"), Optional.of(WRITE_FOR_WRITERS), WRITER, "write")).as("a writer naming write").isEmpty();
        assertThat(judge(RFC6749, Set.of("write"), Optional.of(WRITE_FOR_WRITERS), WRITER, "basic"))
                .as("a refresh of a token narrowed to nothing, after the user became a writer").isEmpty();
        assertThat(judge(RFC6749, Set.of("write"), Optional.empty(), BOB, "basic", "read"))
                .as("a record never adds the defaults back").isEmpty();
    }
}
