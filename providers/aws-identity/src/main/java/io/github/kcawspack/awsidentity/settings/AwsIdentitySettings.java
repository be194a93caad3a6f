package io.github.kcawspack.awsidentity.settings;

import io.github.kcawspack.awsidentity.principal.PrincipalBindings;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.keycloak.component.ComponentModel;
import org.keycloak.models.RealmModel;
import org.keycloak.services.ui.extend.UiPageProvider;

/**
 * The one reading of a realm's aws_identity settings: the realm settings item and the principal
 * bindings, both realm components of Keycloak's admin-console page type, with the bindings in
 * priority order (lowest first; the first match wins). Requests get them through
 * {@link ParsedSettings}, which reads them here again whenever an item changed. It depends on no
 * authentication flow, so a grant without a flow reads the same settings.
 *
 * <p>The admin console and admin REST validate every item on save ({@link RealmSettingsPage},
 * {@link PrincipalBindingsPage}); a realm can still hold invalid items (a realm file imported with
 * validation switched off, a database edit, two bindings saved at once with the same priority), so
 * everything is validated again here with the same rules and messages, and any problem fails the
 * whole realm closed: an unusable binding is never skipped, since a skipped binding can hand its
 * principals to a broader one.
 *
 * @param realm    the realm-level settings (defaults when the realm has no settings item)
 * @param bindings the bindings in the order they are tried; may be empty
 */
public record AwsIdentitySettings(RealmSettings realm, PrincipalBindings bindings) {

    /** The component type of every admin-console page item, ours among them. */
    public static final String COMPONENT_TYPE = UiPageProvider.class.getName();

    /** More bindings than this in one realm is refused (each login tries them in turn). */
    static final int MAX_BINDINGS = 1000;

    /**
     * {@code realm}'s items of the two pages the settings are read from, in no particular order;
     * requests read them through {@link ParsedSettings}.
     */
    static List<ComponentModel> itemsOf(RealmModel realm) {
        return realm.getComponentsStream(realm.getId(), COMPONENT_TYPE)
                .filter(c -> RealmSettingsPage.ID.equals(c.getProviderId()) || PrincipalBindingsPage.ID.equals(c.getProviderId()))
                .toList();
    }

    /**
     * Builds the settings from a realm's page components (items of other pages are ignored).
     *
     * @throws InvalidSettingsException when any item is invalid, two bindings share a priority or the
     *                                  realm has more than one settings item
     */
    public static AwsIdentitySettings from(List<ComponentModel> components) {
        List<ComponentModel> settingsItems = components.stream()
                .filter(c -> RealmSettingsPage.ID.equals(c.getProviderId())).toList();
        if (settingsItems.size() > 1) {
            throw new InvalidSettingsException(RealmSettingsPage.ID + ": " + RealmSettingsPage.ONLY_ONE);
        }
        RealmSettings realmSettings = RealmSettings.defaults();
        if (!settingsItems.isEmpty()) {
            ComponentModel item = settingsItems.get(0);
            try {
                realmSettings = RealmSettings.from(item.getConfig());
            } catch (IllegalArgumentException e) {
                throw new InvalidSettingsException(describe(item) + ": " + e.getMessage());
            }
        }

        List<ComponentModel> bindingItems = components.stream()
                .filter(c -> PrincipalBindingsPage.ID.equals(c.getProviderId())).toList();
        if (bindingItems.size() > MAX_BINDINGS) {
            throw new InvalidSettingsException(PrincipalBindingsPage.ID + ": at most " + MAX_BINDINGS
                    + " bindings are allowed in a realm");
        }
        List<BindingSettings> bindings = new ArrayList<>();
        Map<Integer, ComponentModel> byPriority = new HashMap<>();
        for (ComponentModel item : bindingItems) {
            BindingSettings binding;
            try {
                binding = BindingSettings.from(item.getConfig());
            } catch (IllegalArgumentException e) {
                throw new InvalidSettingsException(describe(item) + ": " + e.getMessage());
            }
            ComponentModel other = byPriority.putIfAbsent(binding.priority(), item);
            if (other != null) {
                // Refused on save; two saves racing, or an import without validation, can still get here.
                throw new InvalidSettingsException(describe(item) + ": " + PrincipalBindingsPage.priorityTaken(binding.priority()));
            }
            bindings.add(binding);
        }
        bindings.sort(Comparator.comparingInt(BindingSettings::priority));
        return new AwsIdentitySettings(realmSettings,
                new PrincipalBindings(bindings.stream().map(BindingSettings::binding).toList()));
    }

    /** Names an item for the operator: its page and its name, or its id when it has no name. */
    static String describe(ComponentModel item) {
        String name = item.getName() == null || item.getName().isBlank() ? item.getId() : item.getName();
        return item.getProviderId() + " item " + (name == null ? "(new)" : name.replaceAll("[^A-Za-z0-9 _.:/-]", "?"));
    }
}
