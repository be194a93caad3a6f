package io.github.kcawspack.scopepolicy.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ClassicScopesTest {

    private static final Set<String> OPTIONAL = Set.of("read", "write", "groups", "offline_access", "organization");
    private static final ClassicScopes RFC6749 = new ClassicScopes(ScopeSemantics.RFC6749, List.of("read", "write", "groups"));
    private static final ClassicScopes ALWAYS = new ClassicScopes(ScopeSemantics.ALWAYS_DEFAULTS, List.of("read", "write"));

    @Test
    void keycloakSemanticsChangeNothing() {
        assertThat(ClassicScopes.KEYCLOAK.complete(null, OPTIONAL)).isNull();
        assertThat(ClassicScopes.KEYCLOAK.complete("openid read", OPTIONAL)).isEqualTo("openid read");
    }

    @Test
    void rfc6749GivesTheDefaultsToARequestWithoutScope() {
        assertThat(RFC6749.complete(null, OPTIONAL)).isEqualTo("read write groups");
        assertThat(RFC6749.complete("", OPTIONAL)).isEqualTo("read write groups");
    }

    @Test
    void rfc6749CountsOpenidAndOtherNonOptionalWordsAsNoScope() {
        assertThat(RFC6749.complete("openid", OPTIONAL)).isEqualTo("openid read write groups");
        assertThat(RFC6749.complete("openid profile", OPTIONAL)).isEqualTo("openid profile read write groups");
    }

    @Test
    void rfc6749KeepsARequestNamingScopesAsItIs() {
        assertThat(RFC6749.complete("read", OPTIONAL)).isEqualTo("read");
        assertThat(RFC6749.complete("openid groups", OPTIONAL)).isEqualTo("openid groups");
        assertThat(RFC6749.complete("organization:acme", OPTIONAL)).as("a parameterized word names its scope")
                .isEqualTo("organization:acme");
        assertThat(RFC6749.complete("offline_access", OPTIONAL)).as("offline_access is a scope request of its own")
                .isEqualTo("offline_access");
    }

    @Test
    void alwaysDefaultsReplacesWhateverOptionalScopesWereNamed() {
        assertThat(ALWAYS.complete(null, OPTIONAL)).isEqualTo("read write");
        assertThat(ALWAYS.complete("groups", OPTIONAL)).isEqualTo("read write");
        assertThat(ALWAYS.complete("openid write groups offline_access", OPTIONAL)).isEqualTo("openid read write");
    }

    @Test
    void completingIsIdempotent() {
        for (ClassicScopes classic : List.of(RFC6749, ALWAYS)) {
            for (String request : new String[] {null, "openid", "read", "groups write", "openid offline_access"}) {
                String once = classic.complete(request, OPTIONAL);
                assertThat(classic.complete(once, OPTIONAL)).as("%s on %s", classic.semantics(), request).isEqualTo(once);
            }
        }
    }

    @Test
    void semanticsAreReadAsTheConsoleWritesThem() {
        assertThat(ScopeSemantics.parse("rfc6749")).isEqualTo(ScopeSemantics.RFC6749);
        assertThat(ScopeSemantics.parse(" always-defaults ")).isEqualTo(ScopeSemantics.ALWAYS_DEFAULTS);
        assertThat(ScopeSemantics.parse("keycloak")).isEqualTo(ScopeSemantics.KEYCLOAK);
        assertThatThrownBy(() -> ScopeSemantics.parse("RFC6749")).hasMessage("semantics must be keycloak, rfc6749 or always-defaults");
        assertThatThrownBy(() -> ScopeSemantics.parse(null)).isInstanceOf(IllegalArgumentException.class);
    }
}
