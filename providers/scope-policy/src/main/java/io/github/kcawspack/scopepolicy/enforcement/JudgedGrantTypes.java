package io.github.kcawspack.scopepolicy.enforcement;

import io.github.kcawspack.scopepolicy.model.ScopePolicy;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.keycloak.OAuth2Constants;

/**
 * The grant types the pack knows how to judge: for each it knows whose token it is (the user who
 * logged in, the client's service account, the refreshed session's user, the subject of an
 * exchange, the user who approved a device or CIBA request, the user a JWT assertion names) and
 * how its scope came to be. Every other grant type, from a later Keycloak or another extension,
 * is refused while a realm has a policy, unless the operator lists it in the policy's
 * "Allowed unjudged grant types" ({@code allowGrantTypes}, the settings item; fail closed: an unknown path must not issue unrestricted tokens).
 */
public final class JudgedGrantTypes {

    /** Rules name the front-channel grants by their RFC 6749 names. */
    public static final String AUTHORIZATION_CODE = OAuth2Constants.AUTHORIZATION_CODE;
    public static final String IMPLICIT = "implicit";
    public static final String DEVICE_CODE = OAuth2Constants.DEVICE_CODE_GRANT_TYPE;
    public static final String CIBA = OAuth2Constants.CIBA_GRANT_TYPE;
    public static final String JWT_BEARER = OAuth2Constants.JWT_AUTHORIZATION_GRANT;

    private static final Set<String> KNOWN = Set.of(
            AUTHORIZATION_CODE,
            IMPLICIT,
            OAuth2Constants.PASSWORD,
            OAuth2Constants.CLIENT_CREDENTIALS,
            OAuth2Constants.REFRESH_TOKEN,
            OAuth2Constants.TOKEN_EXCHANGE_GRANT_TYPE,
            DEVICE_CODE,
            CIBA,
            JWT_BEARER,
            // The pack's own grant (aws-pack-aws-identity.jar); its id is its published contract.
            "aws_identity");

    private JudgedGrantTypes() {
    }

    /**
     * The grant of a front-channel request, as rules name it: an access token in the front channel
     * is the implicit grant (hybrid "code token" too); "code" and "code id_token" hand out access
     * tokens only at the token endpoint, so they are the authorization code grant.
     *
     * @param responseType the request's response_type (space-separated, RFC 6749 section 3.1.1)
     */
    public static String ofResponseType(String responseType) {
        // Only "code" alone leaves every token to the token endpoint. Any response type that
        // returns a token or an ID token from the authorization endpoint (OpenID Connect Core 3.2
        // implicit, 3.3 hybrid: "id_token", "code id_token", ...) is judged as implicit: a rule
        // "only through authorization_code" must not reach an ID token of the front channel.
        return Arrays.asList(responseType.trim().split(" +")).equals(List.of(OAuth2Constants.CODE)) ? AUTHORIZATION_CODE : IMPLICIT;
    }

    /**
     * @param responseType the authorization request's response_type, or null
     * @return whether the authorization endpoint returns an access token, whose redirect would have
     *         to name a narrowed scope (RFC 6749 section 4.2.2), which Keycloak never does
     */
    public static boolean returnsAccessTokenFromAuthorizationEndpoint(String responseType) {
        return responseType != null && Arrays.asList(responseType.trim().split(" +")).contains(OAuth2Constants.TOKEN);
    }

    /**
     * @param grantType the grant a token is built for; null when it cannot be told
     * @return whether a token of this grant may be issued under {@code policy} at all (its scopes
     *         are judged separately)
     */
    public static boolean admits(ScopePolicy policy, String grantType) {
        return grantType != null && (KNOWN.contains(grantType) || policy.allowedGrantTypes().contains(grantType));
    }
}
