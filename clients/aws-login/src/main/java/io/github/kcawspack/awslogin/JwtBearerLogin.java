package io.github.kcawspack.awslogin;

import java.net.URI;
import java.net.http.HttpClient;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Exchanges an {@link AwsWebIdentityToken} for tokens at a token endpoint with the JWT bearer
 * grant (RFC 7523 §2.1): {@code grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer} and the
 * token as {@code assertion}.
 *
 * <pre>
 * JwtBearerLogin login = new JwtBearerLogin(HttpClient.newHttpClient(), realm.tokenEndpoint());
 * TokenEndpointResponse response = login.login(token, ClientAuthentication.confidentialClient("app", secret), Optional.of("read"));
 * </pre>
 */
public final class JwtBearerLogin {

    public static final String GRANT_TYPE = "urn:ietf:params:oauth:grant-type:jwt-bearer";

    private final TokenEndpointClient endpoint;

    /**
     * @param httpClient should not follow redirects ({@link HttpClient.Redirect#NEVER}, the default):
     *     a redirected POST would carry the token to another address
     */
    public JwtBearerLogin(HttpClient httpClient, URI tokenEndpoint) {
        this.endpoint = new TokenEndpointClient(httpClient, tokenEndpoint);
    }

    public URI tokenEndpoint() {
        return endpoint.tokenEndpoint();
    }

    /** The form parameters of the token request, in the order they are sent; the assertion is the JWT. */
    public static Map<String, String> formParameters(String assertion, ClientAuthentication client,
            Optional<String> scope) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", GRANT_TYPE);
        form.put("assertion", assertion);
        form.put("client_id", client.clientId());
        scope.filter(s -> !s.isBlank()).ifPresent(s -> form.put("scope", s));
        return form;
    }

    /**
     * Posts the token request. Any JSON answer is returned, errors included; an answer that is not
     * JSON, or no answer, is an {@link AwsLoginException}.
     */
    public TokenEndpointResponse login(AwsWebIdentityToken token, ClientAuthentication client, Optional<String> scope)
            throws AwsLoginException, InterruptedException {
        return endpoint.post(formParameters(token.jwt(), client, scope), client);
    }
}
