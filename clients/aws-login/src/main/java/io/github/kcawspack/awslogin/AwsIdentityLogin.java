package io.github.kcawspack.awslogin;

import java.net.URI;
import java.net.http.HttpClient;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Exchanges a {@link SignedIdentityRequest} for tokens at a token endpoint with
 * {@code grant_type=aws_identity}.
 *
 * <pre>
 * AwsIdentityLogin login = new AwsIdentityLogin(HttpClient.newHttpClient(), realm.tokenEndpoint());
 * TokenEndpointResponse response = login.login(signed, ClientAuthentication.publicClient("aws-workload"), Optional.empty());
 * </pre>
 */
public final class AwsIdentityLogin {

    public static final String GRANT_TYPE = "aws_identity";

    private final TokenEndpointClient endpoint;

    /**
     * @param httpClient should not follow redirects ({@link HttpClient.Redirect#NEVER}, the default):
     *     a redirected POST would carry the proof to another address
     */
    public AwsIdentityLogin(HttpClient httpClient, URI tokenEndpoint) {
        this.endpoint = new TokenEndpointClient(httpClient, tokenEndpoint);
    }

    public URI tokenEndpoint() {
        return endpoint.tokenEndpoint();
    }

    /** The form parameters of the token request, in the order they are sent. */
    public static Map<String, String> formParameters(SignedIdentityRequest signed, ClientAuthentication client,
            Optional<String> scope) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", GRANT_TYPE);
        form.put("region", signed.region());
        form.put("post_body", signed.postBody());
        form.put("headers_json", signed.headersJson());
        // Also with Basic: Keycloak reads client_id from the form first, and a proxy log shows who asked.
        form.put("client_id", client.clientId());
        scope.filter(s -> !s.isBlank()).ifPresent(s -> form.put("scope", s));
        return form;
    }

    /** The Authorization header for a confidential client: form-encoded id and secret (RFC 6749 §2.3.1). */
    public static Optional<String> basicAuthorization(ClientAuthentication client) {
        return TokenEndpointClient.basicAuthorization(client);
    }

    /**
     * Posts the token request. Any JSON answer is returned, errors included; an answer that is not
     * JSON, or no answer, is an {@link AwsLoginException}.
     */
    public TokenEndpointResponse login(SignedIdentityRequest signed, ClientAuthentication client, Optional<String> scope)
            throws AwsLoginException, InterruptedException {
        return endpoint.post(formParameters(signed, client, scope), client);
    }
}
