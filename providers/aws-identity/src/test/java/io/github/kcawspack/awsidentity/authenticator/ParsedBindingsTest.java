package io.github.kcawspack.awsidentity.authenticator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ParsedBindingsTest {

    private static final String ROLES = "[{\"account\":\"123456789012\",\"type\":\"role\",\"namePattern\":\"*\"}]";
    private static final String USERS = "[{\"account\":\"123456789012\",\"type\":\"user\",\"namePattern\":\"ci-*\"}]";

    private final ParsedBindings parsed = new ParsedBindings();

    @Test
    void theSameTextIsParsedOnce() {
        assertThat(parsed.of(ROLES)).isSameAs(parsed.of(new String(ROLES)));
    }

    @Test
    void anEditedTextIsParsedAnew() {
        assertThat(parsed.of(ROLES).bindings().get(0).namePattern()).isEqualTo("*");
        assertThat(parsed.of(USERS).bindings().get(0).namePattern()).isEqualTo("ci-*");
    }

    @Test
    void invalidTextIsRefusedEveryTimeAndNeverKept() {
        String invalid = "[{\"account\":\"12345\",\"type\":\"role\",\"namePattern\":\"*\"}]";

        assertThatThrownBy(() -> parsed.of(invalid)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> parsed.of(invalid)).isInstanceOf(IllegalArgumentException.class);
        assertThat(parsed.size()).isZero();
    }

    @Test
    void startsOverRatherThanGrowWithoutBound() {
        for (int i = 0; i <= ParsedBindings.CAPACITY; i++) {
            parsed.of("[{\"account\":\"123456789012\",\"type\":\"role\",\"namePattern\":\"role-" + i + "\"}]");
        }
        assertThat(parsed.size()).isLessThanOrEqualTo(ParsedBindings.CAPACITY);
    }
}
