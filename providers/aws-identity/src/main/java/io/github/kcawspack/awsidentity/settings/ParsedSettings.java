package io.github.kcawspack.awsidentity.settings;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.keycloak.component.ComponentModel;
import org.keycloak.models.RealmModel;

/**
 * Each realm's aws_identity settings as this node last read them, reused while the realm's items
 * are unchanged. Reading validates every item again (each binding's account, name pattern, group
 * paths and role names): about 1.7 % of an {@code aws_identity} token's CPU (docs/benchmark.md),
 * where comparing the items with those last read costs a fraction of that.
 *
 * <p>Never stale: every request takes the realm's items from Keycloak's realm cache (which every
 * node invalidates when an item is saved through the console, the admin REST API or an import) and
 * compares all that the settings are built from, each item's id, page, name and whole
 * configuration, with what was read; any difference reads the settings anew. Invalid settings
 * are never kept: they are read, and refused, on every request until they are fixed.
 *
 * <p>Thread-safe; one per grant factory. At most {@link #MAX_REALMS} realms are kept (a node
 * serving more re-reads the others), so realms deleted over a node's life cannot pile up.
 */
public final class ParsedSettings {

    static final int MAX_REALMS = 1000;

    /** An item as it was read: the fields {@link AwsIdentitySettings#from} uses. */
    private record Item(String providerId, String name, Map<String, List<String>> config) {

        static Item of(ComponentModel component) {
            Map<String, List<String>> config = new HashMap<>();
            component.getConfig().forEach((key, values) ->
                    config.put(key, values == null ? null : Collections.unmodifiableList(new ArrayList<>(values))));
            return new Item(component.getProviderId(), component.getName(), Collections.unmodifiableMap(config));
        }

        boolean sameAs(ComponentModel component) {
            return Objects.equals(providerId, component.getProviderId()) && Objects.equals(name, component.getName())
                    && config.equals(component.getConfig());
        }
    }

    /** What one read of a realm's items gave, the items by id. */
    private record Read(Map<String, Item> items, AwsIdentitySettings settings) {

        boolean sameItems(List<ComponentModel> components) {
            if (components.size() != items.size()) {
                return false;
            }
            // Each kept item matched once: [A, A] must not pass for {A, B} (the database's keys
            // rule that list out; the comparison does not rely on them).
            Set<String> matched = new HashSet<>();
            for (ComponentModel component : components) {
                Item item = component.getId() == null ? null : items.get(component.getId());
                if (item == null || !matched.add(component.getId()) || !item.sameAs(component)) {
                    return false;
                }
            }
            return true;
        }
    }

    private final Map<String, Read> byRealm = new ConcurrentHashMap<>();

    /**
     * {@code realm}'s settings, as {@link AwsIdentitySettings#from} reads them from its items.
     *
     * @param realm the realm of the request
     * @return the settings; the same object as the last call's while the realm's items are unchanged
     * @throws InvalidSettingsException as {@link AwsIdentitySettings#from} (never remembered)
     */
    public AwsIdentitySettings of(RealmModel realm) {
        List<ComponentModel> components = AwsIdentitySettings.itemsOf(realm);
        Read last = byRealm.get(realm.getId());
        if (last != null && last.sameItems(components)) {
            return last.settings();
        }
        AwsIdentitySettings settings = AwsIdentitySettings.from(components);
        Map<String, Item> items = new HashMap<>();
        for (ComponentModel component : components) {
            if (component.getId() == null) {
                return settings; // not stored yet, so it cannot be compared next time: not remembered
            }
            items.put(component.getId(), Item.of(component));
        }
        if (byRealm.size() >= MAX_REALMS && !byRealm.containsKey(realm.getId())) {
            byRealm.clear();
        }
        byRealm.put(realm.getId(), new Read(Map.copyOf(items), settings));
        return settings;
    }
}
