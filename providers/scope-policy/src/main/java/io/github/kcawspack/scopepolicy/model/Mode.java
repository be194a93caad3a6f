package io.github.kcawspack.scopepolicy.model;

import java.util.Locale;

/** What happens to a scope the requester may not obtain. */
public enum Mode {
    /** Left out; the token response's scope says what was granted (RFC 6749 section 3.3). */
    FILTER,
    /** The whole request fails with invalid_scope. */
    REJECT;

    /**
     * Reads a mode as operators write it, in the console or in the JSON of earlier versions.
     *
     * @param value {@code filter} or {@code reject}, in any case
     * @return the mode
     * @throws IllegalArgumentException for anything else, without echoing the value
     */
    public static Mode parse(String value) {
        try {
            return Mode.valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException("mode must be filter or reject");
        }
    }

    /** The mode as the console and realm JSON write it: {@code filter} or {@code reject}. */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }
}
