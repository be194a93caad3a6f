package io.github.kcawspack.awsidentity.settings;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.keycloak.component.ComponentModel;

/** Admin-console items as the tests write them: key, value pairs; a value with "##" is several values. */
final class Items {

    private Items() {
    }

    static Map<String, List<String>> config(String... keysAndValues) {
        Map<String, List<String>> config = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            config.put(keysAndValues[i], List.of(keysAndValues[i + 1].split("##", -1)));
        }
        return config;
    }

    static Map<String, List<String>> binding(int priority, String namePattern, String... more) {
        List<String> pairs = new ArrayList<>(List.of("priority", String.valueOf(priority), "account", "123456789012",
                "type", "role", "namePattern", namePattern));
        pairs.addAll(List.of(more));
        return config(pairs.toArray(String[]::new));
    }

    static ComponentModel component(String page, String id, Map<String, List<String>> config) {
        ComponentModel model = new ComponentModel();
        model.setId(id);
        model.setProviderType(AwsIdentitySettings.COMPONENT_TYPE);
        model.setProviderId(page);
        config.forEach((key, values) -> model.getConfig().put(key, new ArrayList<>(values)));
        return model;
    }
}
