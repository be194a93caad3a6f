package io.github.kcawspack.clientauth;

import io.github.kcawspack.linkage.KeycloakLinkage;
import io.github.kcawspack.linkage.KeycloakOverride;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import org.keycloak.Config;
import org.keycloak.OAuth2Constants;
import org.keycloak.authentication.AuthenticationFlowError;
import org.keycloak.authentication.ClientAuthenticationFlowContext;
import org.keycloak.authentication.FlowStatus;
import org.keycloak.authentication.authenticators.client.ClientIdAndSecretAuthenticator;
import org.keycloak.util.BasicAuthHelper;

/**
 * Keycloak's own {@code client-secret} authenticator, answering every failed client
 * authentication with {@link InvalidClientAnswer}: a wrong, expired or missing secret, a secret
 * sent by a method the client does not allow, a disabled client, an unknown client id (in the
 * Basic header or the body), and an {@code Authorization} header that is not a readable Basic
 * value (not base64, no colon). RFC 6749 section 5.2 asks for {@code invalid_client}; Keycloak says
 * {@code unauthorized_client} for some of these and answers unknown or unreadable clients without
 * the challenge, which tells an attacker which client ids exist.
 *
 * <p>It keeps the built-in provider id on purpose: Keycloak lets a custom factory replace an
 * internal one with the same id, so every client keeps its {@code clientAuthenticatorType}, the
 * admin console keeps its secret screen, and installing or removing the JAR needs no realm change.
 *
 * <p>Unknown and unreadable clients are answered here because this is the one point that sees
 * them: Keycloak's client authentication flow runs this authenticator first for every request
 * (priority 10 in the built-in "clients" flow) and, finding no client, would go on to end the
 * request itself without consulting any authenticator. Requests with a {@code client_assertion}
 * are left to the JWT authenticators ({@link Rfc6749JwtClientAuthenticator},
 * {@link Rfc6749JwtClientSecretAuthenticator}).
 */
public class Rfc6749ClientSecretAuthenticator extends ClientIdAndSecretAuthenticator {

    static final String JAR = "aws-pack-rfc6749-client-auth";

    /**
     * Refuses to start on a Keycloak minor this JAR was not tested on (it replaces a built-in
     * provider of an internal SPI), with one log line naming the versions; see {@link KeycloakLinkage}.
     *
     * @param config this provider's server configuration (none is read)
     * @throws IllegalStateException on an untested Keycloak
     */
    @Override
    public void init(Config.Scope config) {
        KeycloakLinkage.require(JAR);
        super.init(config);
    }

    /**
     * Runs Keycloak's check, then replaces any refusal with {@link InvalidClientAnswer}.
     *
     * @param context the client authentication under way; its outcome is changed only when the
     *                request is refused
     */
    @Override
    @KeycloakOverride // the whole point of this JAR
    public void authenticateClient(ClientAuthenticationFlowContext context) {
        super.authenticateClient(context);
        switch (refusal(context)) {
            case NONE -> {
                // authenticated, or not a request for this authenticator: Keycloak's outcome stands
            }
            case KNOWN_CLIENT -> InvalidClientAnswer.refuse(context,
                    context.getError() == null ? AuthenticationFlowError.INVALID_CLIENT_CREDENTIALS : context.getError());
            case UNKNOWN_CLIENT -> refuseWithoutClient(context, AuthenticationFlowError.CLIENT_NOT_FOUND);
            case UNREADABLE_AUTHORIZATION -> refuseWithoutClient(context, AuthenticationFlowError.INVALID_CLIENT_CREDENTIALS);
        }
    }

    /** How Keycloak's check ended, as far as the answer is concerned. */
    enum Refusal {
        /** Success, or a request this authenticator does not judge. */
        NONE,
        /** A client of the realm failed (secret, method, disabled); Keycloak set it on the context. */
        KNOWN_CLIENT,
        /** The request named a client id the realm does not have. */
        UNKNOWN_CLIENT,
        /** The Authorization header could not be read as Basic credentials and nothing else names a client. */
        UNREADABLE_AUTHORIZATION
    }

    /**
     * Classifies Keycloak's outcome.
     *
     * @param context the client authentication, after Keycloak's check ran
     * @return which kind of refusal it is, or {@link Refusal#NONE}; a request that names no client
     *         at all (no Authorization header, no {@code client_id}) is NONE: Keycloak answers it
     *         with the same 401 {@code invalid_client} once no authenticator found a client
     */
    static Refusal refusal(ClientAuthenticationFlowContext context) {
        if (!InvalidClientAnswer.isRefusal(context)) {
            return Refusal.NONE;
        }
        if (context.getClient() != null) {
            return Refusal.KNOWN_CLIENT;
        }
        MultivaluedMap<String, String> form = form(context);
        if (form != null && form.containsKey(OAuth2Constants.CLIENT_ASSERTION)) {
            return Refusal.NONE;
        }
        if (context.getStatus() == FlowStatus.FAILED && context.getError() == AuthenticationFlowError.CLIENT_NOT_FOUND) {
            return Refusal.UNKNOWN_CLIENT;
        }
        if (context.getStatus() == FlowStatus.CHALLENGE && InvalidClientAnswer.authorizationHeader(context) != null) {
            // Keycloak challenges when the header did not parse and the body names no client_id
            return Refusal.UNREADABLE_AUTHORIZATION;
        }
        return Refusal.NONE;
    }

    /**
     * Refuses a request that has no client of the realm behind it exactly as a wrong secret: the
     * same secret comparison work, and a stand-in client so that Keycloak's flow takes this answer.
     */
    private void refuseWithoutClient(ClientAuthenticationFlowContext context, AuthenticationFlowError error) {
        UnknownClient.compareWithDummySecret(presentedSecret(context));
        context.setClient(UnknownClient.standIn(presentedClientId(context), getId()));
        InvalidClientAnswer.refuse(context, error);
    }

    /** The client id the request names: the body's {@code client_id} wins, as in Keycloak's check. */
    private static String presentedClientId(ClientAuthenticationFlowContext context) {
        MultivaluedMap<String, String> form = form(context);
        if (form != null && form.containsKey(OAuth2Constants.CLIENT_ID)) {
            return form.getFirst(OAuth2Constants.CLIENT_ID);
        }
        String[] basic = basicCredentials(context);
        return basic == null ? null : basic[0];
    }

    /** The secret the request sent: the body's {@code client_secret} wins, as in Keycloak's check. */
    private static String presentedSecret(ClientAuthenticationFlowContext context) {
        MultivaluedMap<String, String> form = form(context);
        if (form != null && form.containsKey(OAuth2Constants.CLIENT_SECRET)) {
            return form.getFirst(OAuth2Constants.CLIENT_SECRET);
        }
        String[] basic = basicCredentials(context);
        return basic == null ? null : basic[1];
    }

    private static String[] basicCredentials(ClientAuthenticationFlowContext context) {
        String authorization = InvalidClientAnswer.authorizationHeader(context);
        return authorization == null ? null : BasicAuthHelper.RFC6749.parseHeader(authorization);
    }

    /** The form body, or null when the request is not form-encoded (Keycloak reads none then either). */
    private static MultivaluedMap<String, String> form(ClientAuthenticationFlowContext context) {
        MediaType type = context.getHttpRequest().getHttpHeaders().getMediaType();
        if (type == null || !type.isCompatible(MediaType.APPLICATION_FORM_URLENCODED_TYPE)) {
            return null;
        }
        return context.getHttpRequest().getDecodedFormParameters();
    }

    /** @return Keycloak's help text, plus a note that this JAR changed the failure answers */
    @Override
    public String getHelpText() {
        return super.getHelpText() + ". Failed client authentication is answered with RFC 6749's invalid_client"
                + " (installed by the aws-pack rfc6749-client-auth provider).";
    }
}
