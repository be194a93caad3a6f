package io.github.kcawspack.awsidentity.principal;

import static io.github.kcawspack.awsidentity.principal.PrincipalBindingTest.role;
import static io.github.kcawspack.awsidentity.principal.PrincipalBindingTest.user;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PrincipalBindingsTest {

    private static final String EXAMPLE = "["
            + "{\"account\":\"123456789012\",\"type\":\"role\",\"namePattern\":\"*\",\"provisionUsers\":true,"
            + "\"groups\":[\"/aws\"],\"roles\":[]},"
            + "{\"account\":\"123456789012\",\"type\":\"user\",\"namePattern\":\"ci-*\",\"uniqueId\":\"AIDAEXAMPLE\"}"
            + "]";

    @Test
    void parsesTheDocumentedExample() {
        List<PrincipalBinding> bindings = PrincipalBindings.parse(EXAMPLE).bindings();
        assertThat(bindings).containsExactly(
                new PrincipalBinding("aws", "123456789012", PrincipalType.ROLE, "*", Optional.empty(), true,
                        List.of("/aws"), List.of()),
                new PrincipalBinding("aws", "123456789012", PrincipalType.USER, "ci-*", Optional.of("AIDAEXAMPLE"),
                        false, List.of(), List.of()));
    }

    @Test
    void explicitPartitionAndNullsForOptionalFields() {
        PrincipalBinding binding = PrincipalBindings.parse("[{\"partition\":\"aws-us-gov\",\"account\":\"123456789012\","
                + "\"type\":\"role\",\"namePattern\":\"x\",\"uniqueId\":null,\"groups\":null,\"roles\":[\"r\"]}]")
                .bindings().get(0);
        assertThat(binding.partition()).isEqualTo("aws-us-gov");
        assertThat(binding.uniqueId()).isEmpty();
        assertThat(binding.groups()).isEmpty();
        assertThat(binding.roles()).containsExactly("r");
        assertThat(binding.provisionUsers()).isFalse();
    }

    @Test
    void firstMatchIsInConfiguredOrder() {
        PrincipalBindings bindings = PrincipalBindings.parse("["
                + "{\"account\":\"123456789012\",\"type\":\"role\",\"namePattern\":\"admin\",\"roles\":[\"admin\"]},"
                + "{\"account\":\"123456789012\",\"type\":\"role\",\"namePattern\":\"*\",\"roles\":[\"any\"]}]");
        assertThat(bindings.firstMatch(role("aws", "123456789012", "admin", "AROAEXAMPLE")))
                .map(PrincipalBinding::roles).contains(List.of("admin"));
        assertThat(bindings.firstMatch(role("aws", "123456789012", "other", "AROAEXAMPLE")))
                .map(PrincipalBinding::roles).contains(List.of("any"));
        assertThat(bindings.firstMatch(role("aws", "999999999999", "admin", "AROAEXAMPLE"))).isEmpty();
    }

    @Test
    void pinnedBindingSkipsARecreatedUser() {
        PrincipalBindings bindings = PrincipalBindings.parse(EXAMPLE);
        assertThat(bindings.firstMatch(user("ci-bot", "AIDAEXAMPLE"))).isPresent();
        assertThat(bindings.firstMatch(user("ci-bot", "AIDARECREATED"))).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "\n"})
    void blankConfigurationIsNoBindings(String json) {
        assertThat(PrincipalBindings.parse(json).bindings()).isEmpty();
        assertThat(PrincipalBindings.parse(json).firstMatch(role("aws", "123456789012", "x", "AROAEXAMPLE"))).isEmpty();
    }

    @Test
    void nullConfigurationIsNoBindings() {
        assertThat(PrincipalBindings.parse(null).bindings()).isEmpty();
    }

    @Test
    void emptyArrayIsNoBindings() {
        assertThat(PrincipalBindings.parse("[]").bindings()).isEmpty();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "{}                                                                          | bindings: must be a JSON array",
            "\"x\"                                                                       | bindings: must be a JSON array",
            "[1]                                                                         | bindings[0]: must be a JSON object",
            "[{\"type\":\"role\",\"namePattern\":\"*\"}]                                 | bindings[0].account: is required",
            "[{\"account\":123456789012,\"type\":\"role\",\"namePattern\":\"*\"}]        | bindings[0].account: must be a JSON string",
            "[{\"account\":\"*\",\"type\":\"role\",\"namePattern\":\"*\"}]               | bindings[0].account: must be exactly 12 digits",
            "[{\"account\":\"123456789012\",\"namePattern\":\"*\"}]                      | bindings[0].type: is required",
            "[{\"account\":\"123456789012\",\"type\":\"Role\",\"namePattern\":\"*\"}]    | bindings[0].type: must be \"role\" or \"user\"",
            "[{\"account\":\"123456789012\",\"type\":\"root\",\"namePattern\":\"*\"}]    | bindings[0].type: must be \"role\" or \"user\"",
            "[{\"account\":\"123456789012\",\"type\":\"role\"}]                          | bindings[0].namePattern: is required",
            "[{\"account\":\"123456789012\",\"type\":\"role\",\"namePattern\":\"a[b]\"}] | bindings[0].namePattern: must be",
            "[{\"account\":\"123456789012\",\"type\":\"role\",\"namePattern\":\"*\",\"uniqueId\":\"AIDAX\"}]    | bindings[0].uniqueId: must be the unique ID of a role",
            "[{\"account\":\"123456789012\",\"type\":\"role\",\"namePattern\":\"*\",\"partition\":\"aws-eu\"}] | bindings[0].partition: must be one of",
            "[{\"account\":\"123456789012\",\"type\":\"role\",\"namePattern\":\"*\",\"provisionUsers\":\"true\"}] | bindings[0].provisionUsers: must be true or false",
            "[{\"account\":\"123456789012\",\"type\":\"role\",\"namePattern\":\"*\",\"groups\":\"/aws\"}]   | bindings[0].groups: must be a JSON array",
            "[{\"account\":\"123456789012\",\"type\":\"role\",\"namePattern\":\"*\",\"groups\":[\"/a\",1]}] | bindings[0].groups[1]: must be a JSON string",
            "[{\"account\":\"123456789012\",\"type\":\"role\",\"namePattern\":\"*\",\"groups\":[\"aws\"]}]  | bindings[0].groups[0]: must be a group path",
            "[{\"account\":\"123456789012\",\"type\":\"role\",\"namePattern\":\"*\",\"roles\":[\"\"]}]      | bindings[0].roles[0]: must be a realm role name",
            "[{\"account\":\"123456789012\",\"type\":\"role\",\"namePattern\":\"*\",\"namepattern\":\"x\"}] | bindings[0].\"namepattern\": unknown field",
            "[{\"account\":\"123456789012\",\"type\":\"role\",\"namePattern\":\"*\",\"uniqueID\":\"AROAX\"}] | bindings[0].\"uniqueID\": unknown field",
    })
    void validationErrorsNameTheBindingAndField(String json, String expectedStart) {
        assertThatThrownBy(() -> PrincipalBindings.parse(json))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(expectedStart);
    }

    @Test
    void errorsNameTheIndexOfTheFailingBinding() {
        String json = "[{\"account\":\"123456789012\",\"type\":\"role\",\"namePattern\":\"*\"},"
                + "{\"account\":\"123456789012\",\"type\":\"role\",\"namePattern\":\"*\"},"
                + "{\"account\":\"12345\",\"type\":\"role\",\"namePattern\":\"*\"}]";
        assertThatThrownBy(() -> PrincipalBindings.parse(json)).hasMessageStartingWith("bindings[2].account:");
    }

    @Test
    void duplicateFieldIsRefusedNotLastOneWins() {
        String json = "[{\"account\":\"123456789012\",\"type\":\"role\",\"namePattern\":\"deployer\","
                + "\"namePattern\":\"*\"}]";
        assertThatThrownBy(() -> PrincipalBindings.parse(json)).hasMessageStartingWith("bindings: not valid JSON");
    }

    @ParameterizedTest
    @ValueSource(strings = {"[", "[{]", "[{\"account\":}]", "[] []", "[{'account':'123456789012'}]", "nope"})
    void invalidJsonIsReportedWithItsPositionOnly(String json) {
        assertThatThrownBy(() -> PrincipalBindings.parse(json))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("bindings: not valid JSON")
                .hasMessageNotContaining("account")
                .hasMessageNotContaining("nope");
    }

    @Test
    void valuesAreNotEchoedInErrors() {
        assertThatThrownBy(() -> PrincipalBindings.parse(
                "[{\"account\":\"secret-ish-value\",\"type\":\"role\",\"namePattern\":\"*\"}]"))
                .hasMessageNotContaining("secret-ish-value");
    }

    @Test
    void unknownFieldNamesAreShownOnlyAsHarmlessCharacters() {
        assertThatThrownBy(() -> PrincipalBindings.parse(
                "[{\"account\":\"123456789012\",\"type\":\"role\",\"namePattern\":\"*\",\"<script>\\n\":1}]"))
                .hasMessageStartingWith("bindings[0].\"?script??\": unknown field")
                .hasMessageNotContaining("<");
    }

    @Test
    void tooManyBindings() {
        String one = "{\"account\":\"123456789012\",\"type\":\"role\",\"namePattern\":\"*\"}";
        String json = "[" + String.join(",", java.util.Collections.nCopies(1001, one)) + "]";
        assertThatThrownBy(() -> PrincipalBindings.parse(json)).hasMessageStartingWith("bindings: at most 1000");
        String atLimit = "[" + String.join(",", java.util.Collections.nCopies(1000, one)) + "]";
        assertThat(PrincipalBindings.parse(atLimit).bindings()).hasSize(1000);
    }
}
