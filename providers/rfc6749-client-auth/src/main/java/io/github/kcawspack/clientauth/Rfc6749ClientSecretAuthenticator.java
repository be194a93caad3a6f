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
import org.keycloak.events.EventBuilder;
import org.keycloak.events.EventType;
import org.keycloak.util.BasicAuthHelper;

/**
 * Keycloak's own {@code client-secret} authenticator, answering every failed client
 * authentication with {@link InvalidClientAnswer}: a wrong, expired or missing secret, a secret
 * sent by a method the client does not allow, a disabled client, an unknown client id (in the
 * Basic header or the body), and an {@code Authorization} header that is not a readable Basic
 * value (not base64, no colon), and a public client at the token introspection endpoint. RFC 6749
 * section 5.2 asks for {@code invalid_client}; Keycloak says {@code unauthorized_client} for some of
 * these, answers unknown or unreadable clients without the challenge, and answers a public client at
 * the introspection endpoint with 403 where an unknown client id gets 401: both tell an attacker
 * which client ids exist.
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
 *
 * <p>Public clients: RFC 7662 section 2.1 lets only an authorized client introspect, and a public
 * client has no credentials (RFC 6749 section 2.1), so Keycloak's introspection endpoint (26.5 to
 * 26.7) refuses every public client, after client authentication, with its own 403. Refusing it here
 * instead, as a failed client authentication, turns that into the answer an unknown client id gets,
 * and refuses nothing Keycloak would have served. The revocation and pushed authorization request
 * endpoints serve public clients (RFC 7009 section 2.1, RFC 9126 section 2), so a public client's
 * request there is not a failed authentication and stays Keycloak's: a public client id is not a
 * secret (RFC 6749 section 2.2), and the authorization endpoint shows which ones exist anyway.
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
     * Runs Keycloak's check, then replaces any refusal with {@link InvalidClientAnswer}, and
     * refuses a public client at the introspection endpoint with it.
     *
     * @param context the client authentication under way; its outcome is changed only when the
     *                request is refused, or is a public client's introspection request
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
            case PUBLIC_CLIENT_AT_INTROSPECTION -> {
                // the work a wrong secret costs, as for an unknown client; the event says
                // invalid_client_credentials: a public client has none
                UnknownClient.compareWithDummySecret(presentedSecret(context));
                InvalidClientAnswer.refuse(context, AuthenticationFlowError.INVALID_CLIENT_CREDENTIALS);
            }
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
        /**
         * Keycloak accepted a public client (by its id alone) for a token introspection request,
         * which its introspection endpoint then refuses to every public client.
         */
        PUBLIC_CLIENT_AT_INTROSPECTION,
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
        if (context.getStatus() == FlowStatus.SUCCESS) {
            return context.getClient() != null && context.getClient().isPublicClient() && isIntrospection(context)
                    ? Refusal.PUBLIC_CLIENT_AT_INTROSPECTION : Refusal.NONE;
        }
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
     * Whether the client authentication is the token introspection endpoint's. Keycloak's
     * introspection endpoint (26.5 to 26.7) sets its event type, {@link EventType#INTROSPECT_TOKEN},
     * on the event builder it hands to client authentication before authenticating the client;
     * no other endpoint uses that type. The event type rather than the URL path, so that a
     * reverse proxy's path prefix or a realm name cannot matter.
     */
    private static boolean isIntrospection(ClientAuthenticationFlowContext context) {
        EventBuilder event = context.getEvent();
        return event != null && event.getEvent() != null && event.getEvent().getType() == EventType.INTROSPECT_TOKEN;
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
