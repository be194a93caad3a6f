package io.github.kcawspack.awsidentity.authenticator;

import io.github.kcawspack.awsidentity.identity.PrincipalBindings;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Parsed principal bindings by the exact JSON text they were parsed from, so that a realm's
 * bindings are parsed once rather than on every login (a realm may have up to 1000 of them).
 * Keyed by the text itself, an edit in the admin console takes effect on the next login: the
 * edited text is a new key. Text that does not parse is never kept, and is refused every time.
 */
final class ParsedBindings {

    /** Configurations in use at once on a server; beyond it the cache starts over (parsing is cheap). */
    static final int CAPACITY = 256;

    private final Map<String, PrincipalBindings> byJson = new ConcurrentHashMap<>();

    /** @throws IllegalArgumentException as {@link PrincipalBindings#parse} does */
    PrincipalBindings of(String json) {
        PrincipalBindings parsed = byJson.get(json);
        if (parsed == null) {
            parsed = PrincipalBindings.parse(json);
            if (byJson.size() >= CAPACITY) {
                byJson.clear();
            }
            byJson.put(json, parsed);
        }
        return parsed;
    }

    int size() {
        return byJson.size();
    }
}
