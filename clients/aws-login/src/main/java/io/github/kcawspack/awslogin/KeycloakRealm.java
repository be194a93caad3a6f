package io.github.kcawspack.awslogin;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.regex.Pattern;

/**
 * A realm on a Keycloak server: its issuer URL (the audience the proof is signed for) and its
 * token endpoint.
 *
 * @param serverUrl Keycloak's base URL, e.g. {@code http://localhost:8080}; a trailing slash is ignored
 */
public record KeycloakRealm(String serverUrl, String realm) {

    // Realm names become a path segment of both URLs; refuse what would change the path.
    private static final Pattern PATH_SAFE = Pattern.compile("[^/?#%\\s]+");

    public KeycloakRealm {
        serverUrl = stripTrailingSlashes(requireHttpUrl(serverUrl));
        if (realm == null || !PATH_SAFE.matcher(realm).matches()) {
            throw new IllegalArgumentException("not a realm name: " + realm);
        }
    }

    /** The realm's issuer, {@code {server}/realms/{realm}}, which Keycloak expects as audience. */
    public String issuer() {
        return serverUrl + "/realms/" + realm;
    }

    public URI tokenEndpoint() {
        return URI.create(issuer() + "/protocol/openid-connect/token");
    }

    private static String requireHttpUrl(String url) {
        if (url == null) {
            throw new IllegalArgumentException("Keycloak URL is required");
        }
        try {
            URI uri = new URI(url);
            String scheme = uri.getScheme();
            if (!("http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme)) || uri.getHost() == null
                    || uri.getRawQuery() != null || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
                throw new IllegalArgumentException("Keycloak URL must be http(s)://host[:port][/path]: " + url);
            }
            return url;
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("Keycloak URL must be http(s)://host[:port][/path]: " + url);
        }
    }

    private static String stripTrailingSlashes(String url) {
        String stripped = url;
        while (stripped.endsWith("/")) {
            stripped = stripped.substring(0, stripped.length() - 1);
        }
        return stripped;
    }
}
