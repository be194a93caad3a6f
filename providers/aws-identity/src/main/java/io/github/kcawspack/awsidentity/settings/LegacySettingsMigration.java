package io.github.kcawspack.awsidentity.settings;

import io.github.kcawspack.awsidentity.principal.AwsLinkIdentityProviderFactory;
import io.github.kcawspack.awsidentity.principal.AwsLinks;
import io.github.kcawspack.awsidentity.principal.AwsSessionNotes;
import io.github.kcawspack.awsidentity.principal.PrincipalBinding;
import io.github.kcawspack.awsidentity.principal.PrincipalBindings;
import io.github.kcawspack.awsidentity.principal.PrincipalType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jboss.logging.Logger;
import org.keycloak.component.ComponentModel;
import org.keycloak.models.AuthenticationExecutionModel;
import org.keycloak.models.AuthenticatorConfigModel;
import org.keycloak.models.Constants;
import org.keycloak.models.IdentityProviderModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.ProtocolMapperModel;
import org.keycloak.models.RealmModel;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.models.utils.PostMigrationEvent;
import org.keycloak.provider.ProviderEvent;

/**
 * Moves realm settings of earlier versions, kept in the configuration of the "AWS identity" step
 * of an authentication flow (bindings as a JSON string, max age, clock skew, audiences), to the
 * admin-console items: one settings item and one item per binding, priorities 10, 20, 30... in the
 * order of the JSON list (which was the order bindings were tried). Runs for every realm at server
 * start and for every realm created or imported afterwards; logs one line per realm it changes.
 *
 * <p>Nothing is lost and nothing is widened: a realm is migrated completely or not at all. Settings
 * that do not validate are left where they are, with an error in the log naming the field; the
 * realm then has no bindings as items and refuses every aws_identity login until an administrator
 * fixes them, never admitting anyone the old settings did not.
 */
public final class LegacySettingsMigration {

    private static final Logger LOG = Logger.getLogger(LegacySettingsMigration.class);

    /** The provider id of the flow step whose configuration held the settings. */
    private final String authenticatorId;

    static final String BINDINGS = "bindings";
    static final Set<String> LEGACY_KEYS = Set.of(BINDINGS, RealmSettings.REQUIRE_AUDIENCE, RealmSettings.EXTRA_AUDIENCES,
            RealmSettings.MAX_AGE_SECONDS, RealmSettings.CLOCK_SKEW_SECONDS);
    /** The gap between migrated priorities, so that an administrator can insert bindings between them. */
    static final int PRIORITY_STEP = 10;

    /**
     * The configuration of the new items, each as a component's configuration.
     *
     * @param settings the settings item
     * @param bindings the binding items, in the order they were tried
     */
    public record Mapped(Map<String, List<String>> settings, List<Map<String, List<String>>> bindings) {
    }

    /** @param authenticatorId the provider id of the flow step whose configuration is migrated */
    public LegacySettingsMigration(String authenticatorId) {
        this.authenticatorId = authenticatorId;
    }

    /**
     * Maps a legacy step configuration to the new items, validating them with the rules of the pages.
     *
     * @param legacy the step's configuration (single-valued, multivalued values joined with "##")
     * @return the items' configurations
     * @throws IllegalArgumentException naming what does not validate (no configured value is echoed)
     */
    public static Mapped map(Map<String, String> legacy) {
        Map<String, List<String>> settings = new LinkedHashMap<>();
        // Earlier versions read anything but "false" as on: keep that meaning, never turn the check off.
        String requireAudience = legacy.get(RealmSettings.REQUIRE_AUDIENCE);
        if (requireAudience != null && !requireAudience.isBlank()) {
            settings.put(RealmSettings.REQUIRE_AUDIENCE, List.of("false".equals(requireAudience) ? "false" : "true"));
        }
        String audiences = legacy.get(RealmSettings.EXTRA_AUDIENCES);
        if (audiences != null && !audiences.isBlank()) {
            settings.put(RealmSettings.EXTRA_AUDIENCES, Arrays.stream(Constants.CFG_DELIMITER_PATTERN.split(audiences))
                    .map(String::trim).filter(s -> !s.isEmpty()).toList());
        }
        for (String seconds : List.of(RealmSettings.MAX_AGE_SECONDS, RealmSettings.CLOCK_SKEW_SECONDS)) {
            String value = legacy.get(seconds);
            if (value != null && !value.isBlank()) {
                settings.put(seconds, List.of(value.trim()));
            }
        }
        RealmSettings.from(settings);

        List<Map<String, List<String>>> bindings = new ArrayList<>();
        List<PrincipalBinding> parsed = PrincipalBindings.parse(legacy.get(BINDINGS)).bindings();
        for (int i = 0; i < parsed.size(); i++) {
            Map<String, List<String>> item = toItem((i + 1) * PRIORITY_STEP, parsed.get(i));
            BindingSettings.from(item);
            bindings.add(item);
        }
        return new Mapped(settings, bindings);
    }

    private static Map<String, List<String>> toItem(int priority, PrincipalBinding binding) {
        Map<String, List<String>> item = new LinkedHashMap<>();
        item.put(BindingSettings.PRIORITY, List.of(String.valueOf(priority)));
        item.put(BindingSettings.PARTITION, List.of(binding.partition()));
        item.put(BindingSettings.ACCOUNT, List.of(binding.account()));
        item.put(BindingSettings.TYPE, List.of(binding.type() == PrincipalType.USER ? "user" : "role"));
        item.put(BindingSettings.NAME_PATTERN, List.of(binding.namePattern()));
        binding.uniqueId().ifPresent(id -> item.put(BindingSettings.UNIQUE_ID, List.of(id)));
        item.put(BindingSettings.PROVISION_USERS, List.of(String.valueOf(binding.provisionUsers())));
        if (!binding.groups().isEmpty()) {
            item.put(BindingSettings.GROUPS, binding.groups());
        }
        if (!binding.roles().isEmpty()) {
            item.put(BindingSettings.ROLES, binding.roles());
        }
        return item;
    }

    /**
     * Migrates every realm at server start (each in its own transaction, so one realm's failure
     * leaves the others migrated) and every realm created or imported later (in the import's
     * transaction). Pass it to {@link KeycloakSessionFactory#register}.
     *
     * @param factory the session factory, for the start-time transactions
     * @param event   any provider event; others are ignored
     */
    public void onEvent(KeycloakSessionFactory factory, ProviderEvent event) {
        if (event instanceof PostMigrationEvent) {
            List<String> realmIds = new ArrayList<>();
            KeycloakModelUtils.runJobInTransaction(factory, session ->
                    session.realms().getRealmsStream().forEach(realm -> realmIds.add(realm.getId())));
            for (String realmId : realmIds) {
                try {
                    KeycloakModelUtils.runJobInTransaction(factory, session ->
                            migrate(session, session.realms().getRealm(realmId)));
                } catch (RuntimeException e) {
                    LOG.errorf(e, "Realm id %s: the aws_identity settings could not be moved to the admin console pages; "
                            + "they stay in the authentication flow and aws_identity is refused in this realm", realmId);
                }
            }
        } else if (event instanceof RealmModel.RealmPostCreateEvent created) {
            migrate(created.getKeycloakSession(), created.getCreatedRealm());
        }
    }

    /**
     * Migrates {@code realm} if one of its flows' AWS identity steps still holds settings.
     *
     * @param session a session with a transaction
     * @param realm   the realm; null is ignored
     */
    public void migrate(KeycloakSession session, RealmModel realm) {
        if (realm == null) {
            return;
        }
        List<AuthenticationExecutionModel> steps = realm.getAuthenticationFlowsStream()
                .flatMap(flow -> realm.getAuthenticationExecutionsStream(flow.getId()))
                .filter(step -> authenticatorId.equals(step.getAuthenticator()) && step.getAuthenticatorConfig() != null)
                .toList();
        Map<String, AuthenticatorConfigModel> configs = new LinkedHashMap<>();
        for (AuthenticationExecutionModel step : steps) {
            AuthenticatorConfigModel config = realm.getAuthenticatorConfigById(step.getAuthenticatorConfig());
            if (config != null && config.getConfig() != null
                    && config.getConfig().keySet().stream().anyMatch(LEGACY_KEYS::contains)) {
                configs.put(config.getId(), config);
            }
        }
        if (configs.isEmpty()) {
            return;
        }
        String realmName = realm.getName();
        if (realm.getComponentsStream(realm.getId(), AwsIdentitySettings.COMPONENT_TYPE)
                .anyMatch(c -> RealmSettingsPage.ID.equals(c.getProviderId()) || PrincipalBindingsPage.ID.equals(c.getProviderId()))) {
            LOG.warnf("Realm %s: its authentication flow still holds aws_identity settings, but the realm already has "
                    + "items on the admin console pages %s and %s; the items apply, the flow settings are ignored "
                    + "and left untouched", realmName, RealmSettingsPage.ID, PrincipalBindingsPage.ID);
            return;
        }
        if (configs.values().stream().map(AuthenticatorConfigModel::getConfig).distinct().count() > 1) {
            LOG.errorf("Realm %s: AWS identity steps of several authentication flows hold different aws_identity "
                    + "settings; the realm has one set now, so none was moved and aws_identity is refused in this "
                    + "realm until an administrator creates the items on the admin console pages %s and %s",
                    realmName, RealmSettingsPage.ID, PrincipalBindingsPage.ID);
            return;
        }
        Mapped mapped;
        try {
            mapped = map(configs.values().iterator().next().getConfig());
        } catch (IllegalArgumentException e) {
            LOG.errorf("Realm %s: the aws_identity settings in its authentication flow are invalid (%s); they were not "
                    + "moved to the admin console pages and aws_identity is refused in this realm until an "
                    + "administrator creates valid items on the pages %s and %s",
                    realmName, e.getMessage(), RealmSettingsPage.ID, PrincipalBindingsPage.ID);
            return;
        }
        realm.addComponentModel(component(realm, RealmSettingsPage.ID, "AWS identity settings", mapped.settings()));
        for (Map<String, List<String>> binding : mapped.bindings()) {
            realm.addComponentModel(component(realm, PrincipalBindingsPage.ID,
                    "binding " + binding.get(BindingSettings.PRIORITY).get(0), binding));
        }
        for (AuthenticationExecutionModel step : steps) {
            if (configs.containsKey(step.getAuthenticatorConfig())) {
                step.setAuthenticatorConfig(null);
                realm.updateAuthenticatorExecution(step);
            }
        }
        configs.values().forEach(realm::removeAuthenticatorConfig);
        addLinkStore(session, realm);
        realm.getClientsStream().forEach(client -> client.getProtocolMappersStream().toList()
                .forEach(mapper -> claimFromSessionNote(realm.getName(), mapper).ifPresent(client::updateProtocolMapper)));
        realm.getClientScopesStream().forEach(scope -> scope.getProtocolMappersStream().toList()
                .forEach(mapper -> claimFromSessionNote(realm.getName(), mapper).ifPresent(scope::updateProtocolMapper)));
        LOG.infof("Realm %s: moved the aws_identity settings of its authentication flow to the admin console pages "
                + "%s (1 item) and %s (%d bindings, priorities %d to %d in their former order)", realmName,
                RealmSettingsPage.ID, PrincipalBindingsPage.ID, mapped.bindings().size(),
                mapped.bindings().isEmpty() ? 0 : PRIORITY_STEP, mapped.bindings().size() * PRIORITY_STEP);
    }

    /**
     * Earlier versions linked users by attribute; this version links them only through the realm's
     * {@value AwsLinks#ALIAS} identity provider and refuses every login of a realm without it. A
     * migrated realm gets it (disabled and hidden: it only holds links), so that it keeps working;
     * users linked by the old attribute are not carried over, since a user could write that
     * attribute in some realms (README: "Upgrading").
     */
    private static void addLinkStore(KeycloakSession session, RealmModel realm) {
        RealmModel previous = session.getContext().getRealm();
        session.getContext().setRealm(realm);
        try {
            if (session.identityProviders().getByAlias(AwsLinks.ALIAS) != null) {
                return;
            }
            IdentityProviderModel store = new IdentityProviderModel();
            store.setAlias(AwsLinks.ALIAS);
            store.setProviderId(AwsLinkIdentityProviderFactory.PROVIDER_ID);
            store.setDisplayName("AWS principal links");
            store.setEnabled(false);
            store.setHideOnLogin(true);
            session.identityProviders().create(store);
            LOG.infof("Realm %s: added the identity provider %s (%s, disabled), which holds the links between users "
                    + "and AWS principals; users linked by the aws_arn attribute of earlier versions are not linked: "
                    + "link them again (README, Upgrading)", realm.getName(), AwsLinks.ALIAS,
                    AwsLinkIdentityProviderFactory.PROVIDER_ID);
        } finally {
            session.getContext().setRealm(previous);
        }
    }

    /**
     * Earlier versions wrote the attributes {@code aws_arn} / {@code aws_account} on the user and
     * realms mapped them to claims; this version keeps what STS confirmed at each login in the user
     * session notes instead ({@link AwsSessionNotes}: an attribute may be user-writable, a note is
     * not). A mapper of such an attribute becomes the same claim from the note, so tokens keep
     * their {@code aws_arn} / {@code aws_account} claims.
     */
    private static java.util.Optional<ProtocolMapperModel> claimFromSessionNote(String realmName, ProtocolMapperModel mapper) {
        String attribute = mapper.getConfig() == null ? null : mapper.getConfig().get("user.attribute");
        String note = "aws_arn".equals(attribute) ? AwsSessionNotes.ARN : "aws_account".equals(attribute) ? AwsSessionNotes.ACCOUNT : null;
        if (note == null || !"oidc-usermodel-attribute-mapper".equals(mapper.getProtocolMapper())) {
            return java.util.Optional.empty();
        }
        ProtocolMapperModel converted = new ProtocolMapperModel();
        converted.setId(mapper.getId());
        converted.setName(mapper.getName());
        converted.setProtocol(mapper.getProtocol());
        converted.setProtocolMapper("oidc-usersessionmodel-note-mapper");
        Map<String, String> config = new LinkedHashMap<>(mapper.getConfig());
        config.remove("user.attribute");
        config.remove("multivalued");
        config.remove("aggregate.attrs");
        config.put("user.session.note", note);
        converted.setConfig(config);
        LOG.infof("Realm %s: the mapper %s now takes claim %s from the login's session note %s (what STS confirmed) "
                + "instead of the user attribute %s", realmName, mapper.getName(), config.get("claim.name"), note, attribute);
        return java.util.Optional.of(converted);
    }

    private static ComponentModel component(RealmModel realm, String page, String name, Map<String, List<String>> config) {
        ComponentModel model = new ComponentModel();
        model.setName(name);
        model.setParentId(realm.getId());
        model.setProviderType(AwsIdentitySettings.COMPONENT_TYPE);
        model.setProviderId(page);
        config.forEach((key, values) -> model.getConfig().put(key, new ArrayList<>(values)));
        return model;
    }
}
