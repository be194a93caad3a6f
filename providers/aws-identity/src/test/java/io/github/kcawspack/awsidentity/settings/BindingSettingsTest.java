package io.github.kcawspack.awsidentity.settings;

import static io.github.kcawspack.awsidentity.settings.Items.binding;
import static io.github.kcawspack.awsidentity.settings.Items.config;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.kcawspack.awsidentity.principal.PrincipalType;
import java.text.MessageFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A binding item is validated on save with a message that names the field by its console label and
 * says what is expected, without echoing the value; Keycloak passes the message through
 * MessageFormat, so it must come out of it unchanged.
 */
class BindingSettingsTest {

    @Test
    void aCompleteItemIsTheBindingItDescribes() {
        BindingSettings read = BindingSettings.from(config("priority", "20", "partition", "aws-us-gov",
                "account", "123456789012", "type", "user", "namePattern", "ci-*", "uniqueId", "AIDAEXAMPLE1",
                "provisionUsers", "true", "groups", "/aws##/aws/ci", "roles", "deployer"));

        assertThat(read.priority()).isEqualTo(20);
        assertThat(read.binding().partition()).isEqualTo("aws-us-gov");
        assertThat(read.binding().type()).isEqualTo(PrincipalType.USER);
        assertThat(read.binding().uniqueId()).contains("AIDAEXAMPLE1");
        assertThat(read.binding().provisionUsers()).isTrue();
        assertThat(read.binding().groups()).containsExactly("/aws", "/aws/ci");
        assertThat(read.binding().roles()).containsExactly("deployer");
    }

    @Test
    void whatTheConsoleLeavesEmptyTakesItsDefault() {
        BindingSettings read = BindingSettings.from(config("priority", "0", "account", "123456789012", "type", "role",
                "namePattern", "*", "partition", "", "uniqueId", "", "provisionUsers", "", "groups", "", "roles", "",
                // the console's page form adds its route parameters to every item it saves
                "realm", "demo", "providerId", "aws-principal-bindings"));

        assertThat(read.binding().partition()).isEqualTo("aws");
        assertThat(read.binding().uniqueId()).isEqualTo(Optional.empty());
        assertThat(read.binding().provisionUsers()).isFalse();
        assertThat(read.binding().groups()).isEmpty();
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
        "priority|        | Priority is required: a whole number from 0 to 1000000",
        "priority| -5     | Priority must be a whole number from 0 to 1000000",
        "priority| 1e3    | Priority must be a whole number from 0 to 1000000",
        "priority| 1000001| Priority must be a whole number from 0 to 1000000",
        "account | 12345  | Account ID must be exactly 12 digits (no wildcards)",
        "account | 1234567890*| Account ID must be exactly 12 digits (no wildcards)",
        "account |        | Account ID is required: the 12-digit AWS account ID",
        "type    | admin  | Principal type must be role or user",
        "namePattern| path/deployer | Name pattern must be 1 to 128 characters of IAM names",
        "partition| aws-mars | Partition must be one of aws",
        "uniqueId| AIDAEXAMPLE1 | Unique ID must be the unique ID of a role: AROA followed by upper-case letters and digits",
        "provisionUsers| yes | Create users on first login must be on or off (true or false)",
        "groups  | staff  | Groups (item 1) must be a group path such as /aws/deployers",
        "orgId   | o-short | Organization ID must be an AWS Organizations ID: o- and 10 to 32 lower-case letters or digits",
        "orgId   | O-A1B2C3D4E5 | Organization ID must be an AWS Organizations ID",
        "ouPathPrefix | o-a1b2c3d4e5/r-ab12/ou-ab12-11111111 | OU path prefix must be an OU path as AWS writes it: o-<org>/r-<root>/ and any number of ou-<root>-<ou>/, ending with /",
        "ouPathPrefix | ou-ab12-11111111/ | OU path prefix must be an OU path as AWS writes it",
        "ouPathPrefix | o-a1b2c3d4e5/r-ab12/ou-ab12-1111*/ | OU path prefix must be an OU path as AWS writes it",
        "principalTags | '[{\"key\":\"aws:team\",\"value\":\"x\"}]' | Principal tags must have keys of 1 to 128 letters, digits, spaces or _.:/=+-@, none starting with aws:",
        "principalTags | '[{\"key\":\"team\",\"value\":\"a*b\"}]' | Principal tags must have values of 0 to 256 letters, digits, spaces or _.:/=+-@",
        "principalTags | '[{\"key\":\"team\",\"value\":\"a\"},{\"key\":\"team\",\"value\":\"b\"}]' | Principal tags must be key and value rows, each key once",
        "principalTags | team=platform | Principal tags must be key and value rows, each key once",
    })
    void anInvalidFieldIsNamedWithWhatItExpects(String field, String value, String message) {
        Map<String, List<String>> item = binding(10, "deploy-*");
        item.put(field, value == null ? List.of() : List.of(value));

        assertThatThrownBy(() -> BindingSettings.from(item))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(message)
                .satisfies(e -> assertThat(MessageFormat.format(e.getMessage(), (Object[]) null)).isEqualTo(e.getMessage()))
                .satisfies(e -> {
                    if (value != null && value.length() > 3) {
                        assertThat(e.getMessage()).doesNotContain(value);
                    }
                });
    }

    @Test
    void organizationAndTagConditionsAreReadFromTheConsolesFields() {
        BindingSettings read = BindingSettings.from(binding(10, "deploy-*", "orgId", "o-a1b2c3d4e5",
                "ouPathPrefix", "o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/",
                "principalTags", "[{\"key\":\"team\",\"value\":\"platform\"},{\"key\":\"cost center\",\"value\":\"\"}]"));

        assertThat(read.binding().orgId()).contains("o-a1b2c3d4e5");
        assertThat(read.binding().ouPathPrefix()).contains("o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/");
        assertThat(read.binding().principalTags()).containsExactlyInAnyOrderEntriesOf(
                Map.of("team", "platform", "cost center", ""));
        assertThat(read.binding().needsOrganizationContext()).isTrue();
    }

    @Test
    void anOuPathOfAnotherOrganizationThanTheBindingsIsRefused() {
        assertThatThrownBy(() -> BindingSettings.from(binding(10, "deploy-*", "orgId", "o-a1b2c3d4e5",
                "ouPathPrefix", "o-zzzzzzzzzz/r-ab12/")))
                .hasMessage("OU path prefix must start with the organization ID of the binding");
    }

    @Test
    void noTagRowsIsNoCondition() {
        assertThat(BindingSettings.from(binding(10, "deploy-*", "principalTags", "[]")).binding().needsOrganizationContext())
                .isFalse();
    }

    @Test
    void aMisspeltFieldIsRefusedNotIgnored() {
        // "uniqeId" ignored would silently unpin the binding.
        assertThatThrownBy(() -> BindingSettings.from(binding(10, "deploy-*", "uniqeId", "AROAEXAMPLE1")))
                .hasMessageStartingWith("Unknown field uniqeId: the known fields are priority, partition, account");
    }

    @Test
    void aSingleValuedFieldWithSeveralValuesIsRefused() {
        assertThatThrownBy(() -> BindingSettings.from(binding(10, "deploy-*", "account", "123456789012##210987654321")))
                .hasMessage("Account ID takes a single value");
    }
}
