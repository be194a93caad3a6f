package io.github.kcawspack.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * How long the replay guard remembers a signed request, for the demo realm: until the request
 * would be refused as too old anyway (X-Amz-Date plus the realm's maximum age), plus the guard's
 * one-minute margin for the clocks of cluster nodes (ReplayGuard.NODE_CLOCK_MARGIN). A request
 * signed up to the allowed clock skew in the future is remembered that much longer.
 *
 * @param maxAgeSeconds    the realm's maxAgeSeconds
 * @param clockSkewSeconds the realm's clockSkewSeconds
 */
record ReplayWindow(long maxAgeSeconds, long clockSkewSeconds) {

    static final long NODE_CLOCK_MARGIN_SECONDS = 60;

    /** Reads the aws-identity authenticator's settings from realm-export/demo-realm.json. */
    static ReplayWindow ofDemoRealm(Path projectRoot) {
        try {
            JsonNode realm = new ObjectMapper().readTree(projectRoot.resolve("realm-export/demo-realm.json").toFile());
            for (JsonNode config : realm.path("authenticatorConfig")) {
                JsonNode settings = config.path("config");
                if (settings.has("bindings")) {
                    return new ReplayWindow(settings.path("maxAgeSeconds").asLong(900),
                            settings.path("clockSkewSeconds").asLong(300));
                }
            }
            throw new IllegalStateException("the demo realm has no aws-identity authenticator configuration");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** How long a request signed just before use stays in the store. */
    long usualLifespanSeconds() {
        return maxAgeSeconds + NODE_CLOCK_MARGIN_SECONDS;
    }

    /** The longest any accepted request stays: signed as far in the future as the skew allows. */
    long longestLifespanSeconds() {
        return maxAgeSeconds + clockSkewSeconds + NODE_CLOCK_MARGIN_SECONDS;
    }
}
