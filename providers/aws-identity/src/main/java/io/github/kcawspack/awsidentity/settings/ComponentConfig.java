package io.github.kcawspack.awsidentity.settings;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads one admin-console item's configuration (a realm component's multivalued map) strictly:
 * an unknown key is refused rather than ignored, because a misspelt optional field such as
 * {@code uniqueId} would otherwise silently unpin a binding. Messages name the field by its
 * console label and never echo a configured value.
 */
final class ComponentConfig {

    /**
     * Keys the admin console's page form adds to every item it saves (its route parameters);
     * they carry nothing the pack reads.
     */
    private static final Set<String> CONSOLE_ROUTE_KEYS = Set.of("realm", "providerId", "id");

    private final Map<String, List<String>> config;
    private final Map<String, String> labels;

    /**
     * @param config the component's configuration, null meaning empty
     * @param labels every key the item may carry, mapped to its console label (used in messages)
     * @throws IllegalArgumentException when {@code config} holds a key not in {@code labels}
     */
    ComponentConfig(Map<String, List<String>> config, Map<String, String> labels) {
        this.config = config == null ? Map.of() : config;
        this.labels = labels;
        Set<String> unknown = new TreeSet<>();
        for (String key : this.config.keySet()) {
            if (!labels.containsKey(key) && !CONSOLE_ROUTE_KEYS.contains(key)) {
                unknown.add(printable(key));
            }
        }
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("Unknown field " + String.join(", ", unknown) + ": the known fields are "
                    + String.join(", ", labels.keySet()));
        }
    }

    /** The one value of {@code key}; absent, empty or blank is empty. */
    Optional<String> single(String key) {
        List<String> values = config.get(key);
        if (values == null || values.isEmpty()) {
            return Optional.empty();
        }
        if (values.size() > 1) {
            throw new IllegalArgumentException(label(key) + " takes a single value");
        }
        String value = values.get(0);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
    }

    /** The value of {@code key}, or a message that says the field is required. */
    String required(String key, String expected) {
        return single(key).orElseThrow(() -> new IllegalArgumentException(label(key) + " is required: " + expected));
    }

    /** Every non-blank value of a multivalued {@code key}, trimmed, in order. */
    List<String> list(String key) {
        List<String> values = config.get(key);
        if (values == null) {
            return List.of();
        }
        return values.stream().filter(v -> v != null && !v.isBlank()).map(String::trim).toList();
    }

    /** {@code true}, {@code false} or the default when absent; anything else is refused. */
    boolean bool(String key, boolean defaultValue) {
        Optional<String> value = single(key);
        if (value.isEmpty()) {
            return defaultValue;
        }
        return switch (value.get()) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException(label(key) + " must be on or off (true or false)");
        };
    }

    /** A whole number from {@code min} to {@code max}, or the default when absent. */
    long number(String key, long min, long max, long defaultValue) {
        Optional<String> value = single(key);
        if (value.isEmpty()) {
            return defaultValue;
        }
        String text = value.get();
        String expected = label(key) + " must be a whole number from " + min + " to " + max;
        // Digits only: no sign, no exponent, and short enough that parsing cannot overflow.
        if (!text.matches("[0-9]{1,12}")) {
            throw new IllegalArgumentException(expected);
        }
        long parsed = Long.parseLong(text);
        if (parsed < min || parsed > max) {
            throw new IllegalArgumentException(expected);
        }
        return parsed;
    }

    /** The console label of {@code key}, for messages. */
    String label(String key) {
        return labels.getOrDefault(key, key);
    }

    /** A key is shown to help find the typo, but only as harmless characters. */
    private static String printable(String name) {
        String shown = name.length() > 40 ? name.substring(0, 40) + "..." : name;
        return shown.replaceAll("[^A-Za-z0-9_.-]", "?");
    }
}
