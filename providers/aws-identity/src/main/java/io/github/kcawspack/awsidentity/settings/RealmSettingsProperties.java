package io.github.kcawspack.awsidentity.settings;

import static io.github.kcawspack.awsidentity.settings.RealmSettings.CLOCK_SKEW_SECONDS;
import static io.github.kcawspack.awsidentity.settings.RealmSettings.EXTRA_AUDIENCES;
import static io.github.kcawspack.awsidentity.settings.RealmSettings.LABELS;
import static io.github.kcawspack.awsidentity.settings.RealmSettings.MAX_AGE_SECONDS;
import static io.github.kcawspack.awsidentity.settings.RealmSettings.REQUIRE_AUDIENCE;

import java.util.List;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderConfigurationBuilder;

/** The admin-console fields of {@link RealmSettings}, labels and defaults taken from it. */
final class RealmSettingsProperties {

    /** @return the console's fields: a new list of new properties on each call (they are mutable) */
    static List<ProviderConfigProperty> properties() {
        return ProviderConfigurationBuilder.create()
                .property().name(REQUIRE_AUDIENCE).label(LABELS.get(REQUIRE_AUDIENCE)).type(ProviderConfigProperty.BOOLEAN_TYPE)
                .defaultValue(String.valueOf(RealmSettings.DEFAULT_REQUIRE_AUDIENCE))
                .helpText("On (recommended): the client must sign an X-Keycloak-Audience header naming this realm's "
                        + "issuer URL (or an extra audience below). Off accepts legacy clients that sign no audience, "
                        + "but then any other service that receives a signed GetCallerIdentity from your workloads "
                        + "(for its own login) can replay it here and obtain tokens as that workload.")
                .add()
                .property().name(EXTRA_AUDIENCES).label(LABELS.get(EXTRA_AUDIENCES)).type(ProviderConfigProperty.MULTIVALUED_STRING_TYPE)
                .helpText("Audience values accepted besides this realm's issuer URL, e.g. the public issuer URL when "
                        + "Keycloak sits behind a proxy. The issuer URL itself is accepted only where the server's hostname "
                        + "(--hostname) or the realm's Frontend URL is set; with neither, and no extra audience, "
                        + "aws_identity is refused.")
                .add()
                .property().name(MAX_AGE_SECONDS).label(LABELS.get(MAX_AGE_SECONDS)).type(ProviderConfigProperty.STRING_TYPE)
                .defaultValue(String.valueOf(RealmSettings.DEFAULT_MAX_AGE_SECONDS))
                .helpText("How old a signed request (its X-Amz-Date) may be, 1 to " + RealmSettings.MAX_SECONDS
                        + ". Shorter limits how long a leaked request is worth anything; AWS itself accepts 900.")
                .add()
                .property().name(CLOCK_SKEW_SECONDS).label(LABELS.get(CLOCK_SKEW_SECONDS)).type(ProviderConfigProperty.STRING_TYPE)
                .defaultValue(String.valueOf(RealmSettings.DEFAULT_CLOCK_SKEW_SECONDS))
                .helpText("How far in the future X-Amz-Date may be, 0 to " + RealmSettings.MAX_SECONDS
                        + ", for clients whose clocks run ahead.")
                .add()
                .build();
    }

    private RealmSettingsProperties() {
    }
}
