package io.github.kcawspack.clientauth;

import org.keycloak.authentication.AuthenticationFlowError;
import org.keycloak.authentication.ClientAuthenticationFlowContext;

/** What the two JWT client authenticators do after Keycloak's check: one rule, stated once. */
final class JwtRefusals {

    static final String HELP = "Failed client authentication is answered with RFC 6749's invalid_client"
            + " (installed by the aws-pack rfc6749-client-auth provider).";

    private JwtRefusals() {
    }

    /**
     * Replaces a refusal of a client of the realm with {@link InvalidClientAnswer}, keeping
     * Keycloak's error for the event. Without a client Keycloak's flow ignores the outcome and
     * ends the request with its own 401 {@code invalid_client}, so nothing needs replacing.
     *
     * @param context the client authentication, after Keycloak's JWT check ran
     */
    static void answerUniformly(ClientAuthenticationFlowContext context) {
        if (context.getClient() != null && InvalidClientAnswer.isRefusal(context)) {
            InvalidClientAnswer.refuse(context,
                    context.getError() == null ? AuthenticationFlowError.INVALID_CLIENT_CREDENTIALS : context.getError());
        }
    }
}
