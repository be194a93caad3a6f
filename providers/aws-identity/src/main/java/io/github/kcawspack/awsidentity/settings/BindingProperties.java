package io.github.kcawspack.awsidentity.settings;

import static io.github.kcawspack.awsidentity.settings.BindingSettings.ACCOUNT;
import static io.github.kcawspack.awsidentity.settings.BindingSettings.GROUPS;
import static io.github.kcawspack.awsidentity.settings.BindingSettings.LABELS;
import static io.github.kcawspack.awsidentity.settings.BindingSettings.NAME_PATTERN;
import static io.github.kcawspack.awsidentity.settings.BindingSettings.ORG_ID;
import static io.github.kcawspack.awsidentity.settings.BindingSettings.OU_PATH_PREFIX;
import static io.github.kcawspack.awsidentity.settings.BindingSettings.PARTITION;
import static io.github.kcawspack.awsidentity.settings.BindingSettings.PRINCIPAL_TAGS;
import static io.github.kcawspack.awsidentity.settings.BindingSettings.PRIORITY;
import static io.github.kcawspack.awsidentity.settings.BindingSettings.PROVISION_USERS;
import static io.github.kcawspack.awsidentity.settings.BindingSettings.ROLES;
import static io.github.kcawspack.awsidentity.settings.BindingSettings.TYPE;
import static io.github.kcawspack.awsidentity.settings.BindingSettings.UNIQUE_ID;

import io.github.kcawspack.awsidentity.principal.AwsPartitions;
import java.util.List;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderConfigurationBuilder;

/** The admin-console fields of one principal binding ({@link BindingSettings}), labels taken from it. */
final class BindingProperties {

    /** @return the console's fields: a new list of new properties on each call (they are mutable) */
    static List<ProviderConfigProperty> properties() {
        return ProviderConfigurationBuilder.create()
                .property().name(PRIORITY).label(LABELS.get(PRIORITY)).type(ProviderConfigProperty.STRING_TYPE)
                .helpText("Bindings are tried in priority order, lowest first; the first binding that matches the AWS "
                        + "principal decides. A whole number from 0 to " + BindingSettings.MAX_PRIORITY
                        + ", different for each binding of the realm (leave gaps, e.g. 10, 20, 30).")
                .add()
                .property().name(PARTITION).label(LABELS.get(PARTITION)).type(ProviderConfigProperty.LIST_TYPE)
                .options(AwsPartitions.ids()).defaultValue(AwsPartitions.DEFAULT)
                .helpText("The AWS partition of the principal's ARN: aws for commercial regions, aws-cn for China, "
                        + "aws-us-gov for GovCloud (US), aws-eusc for the European Sovereign Cloud.")
                .add()
                .property().name(ACCOUNT).label(LABELS.get(ACCOUNT)).type(ProviderConfigProperty.STRING_TYPE)
                .helpText("The 12-digit AWS account ID that owns the role or user, e.g. 123456789012. No wildcards.")
                .add()
                .property().name(TYPE).label(LABELS.get(TYPE)).type(ProviderConfigProperty.LIST_TYPE)
                .options("role", "user").defaultValue("role")
                .helpText("role: sessions of an IAM role (arn:aws:sts::ACCOUNT:assumed-role/NAME/SESSION; the session "
                        + "name never counts). user: an IAM user (arn:aws:iam::ACCOUNT:user/NAME). The root user is never admitted.")
                .add()
                .property().name(NAME_PATTERN).label(LABELS.get(NAME_PATTERN)).type(ProviderConfigProperty.STRING_TYPE)
                .helpText("The IAM role or user name, without its path. * matches any characters, ? one character, "
                        + "e.g. deploy-* or ci-bot.")
                .add()
                .property().name(UNIQUE_ID).label(LABELS.get(UNIQUE_ID)).type(ProviderConfigProperty.STRING_TYPE)
                .helpText("Optional: pin the binding to one IAM entity by its unique ID (AROA... for a role, AIDA... for a "
                        + "user). A role or user deleted and re-created under the same name gets a new unique ID and no "
                        + "longer matches.")
                .add()
                .property().name(PROVISION_USERS).label(LABELS.get(PROVISION_USERS)).type(ProviderConfigProperty.BOOLEAN_TYPE)
                .defaultValue("false")
                .helpText("On: a principal that matches and has no Keycloak user yet gets one on its first login. "
                        + "Off: only users an administrator linked may log in.")
                .add()
                .property().name(GROUPS).label(LABELS.get(GROUPS)).type(ProviderConfigProperty.MULTIVALUED_STRING_TYPE)
                .helpText("Group paths the user is added to, e.g. /aws/deployers.")
                .add()
                .property().name(ROLES).label(LABELS.get(ROLES)).type(ProviderConfigProperty.MULTIVALUED_STRING_TYPE)
                .helpText("Realm role names the user is granted, e.g. deployer.")
                .add()
                .property().name(ORG_ID).label(LABELS.get(ORG_ID)).type(ProviderConfigProperty.STRING_TYPE)
                .helpText("Optional, AWS-issued JWTs only: the AWS Organizations id (o- and 10 to 32 lower-case letters "
                        + "or digits) the token's org_id must equal. A binding with this, an OU path prefix or principal "
                        + "tags never admits anyone through grant_type=aws_identity, whose STS answer does not carry them.")
                .add()
                .property().name(OU_PATH_PREFIX).label(LABELS.get(OU_PATH_PREFIX)).type(ProviderConfigProperty.STRING_TYPE)
                .helpText("Optional, AWS-issued JWTs only: the token's ou_path must start with this path, written as AWS "
                        + "does, e.g. o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/ (whole segments, ending with /). Admits the "
                        + "accounts of that OU and of the OUs under it.")
                .add()
                .property().name(PRINCIPAL_TAGS).label(LABELS.get(PRINCIPAL_TAGS)).type(ProviderConfigProperty.MAP_TYPE)
                .helpText("Optional, AWS-issued JWTs only: each tag must be among the token's principal_tags with exactly "
                        + "this value (case included). Keys 1 to 128, values 0 to 256 letters, digits, spaces or _.:/=+-@.")
                .add()
                .build();
    }

    private BindingProperties() {
    }
}
