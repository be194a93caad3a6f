package io.github.kcawspack.scopepolicy.token;

import io.github.kcawspack.scopepolicy.enforcement.ScopePolicyEvents;
import java.lang.invoke.MethodHandle;
import org.keycloak.events.Details;
import org.keycloak.events.EventBuilder;
import org.keycloak.events.EventType;
import org.keycloak.models.AuthenticatedClientSessionModel;
import org.keycloak.models.ClientSessionContext;
import org.keycloak.models.KeycloakSession;
import org.keycloak.protocol.oidc.encode.AccessTokenContext;
import org.keycloak.protocol.oidc.encode.TokenContextEncoderProvider;
import org.keycloak.protocol.oidc.grants.OAuth2GrantType;
import org.keycloak.services.CorsErrorResponseException;
import org.keycloak.services.cors.Cors;

/**
 * Keycloak's token context encoder, with the {@link TokenJudge} in front of the one call Keycloak
 * makes when it starts an access token ({@code TokenManager.initToken}). Everything else is
 * Keycloak's own encoder, untouched: token ids look and decode exactly as without the pack.
 */
final class PolicyTokenContextEncoderProvider implements TokenContextEncoderProvider {

    private final KeycloakSession session;
    private final TokenContextEncoderProvider keycloaks;
    private final MethodHandle keycloaksStart;

    /**
     * @param keycloaks      Keycloak's own encoder ("default")
     * @param keycloaksStart its {@code getTokenContextFromClientSessionContext} in the running
     *                       Keycloak's form: (context, raw id, offline) on 26.6+, (context, raw id)
     *                       on 26.5; called through a handle so the JAR links against both
     */
    PolicyTokenContextEncoderProvider(KeycloakSession session, TokenContextEncoderProvider keycloaks, MethodHandle keycloaksStart) {
        this.session = session;
        this.keycloaks = keycloaks;
        this.keycloaksStart = keycloaksStart;
    }

    /** Keycloak 26.6 and later. */
    @Override
    public AccessTokenContext getTokenContextFromClientSessionContext(ClientSessionContext ctx, String rawTokenId, boolean isOffline) {
        judge(ctx);
        return start(ctx, rawTokenId, isOffline);
    }

    /** Keycloak 26.5, whose interface has only this form (hence no override annotation). */
    public AccessTokenContext getTokenContextFromClientSessionContext(ClientSessionContext ctx, String rawTokenId) {
        judge(ctx);
        return start(ctx, rawTokenId, false);
    }

    /** Refuses the token the way the token endpoint answers, with an error event for the operator. */
    private void judge(ClientSessionContext ctx) {
        TokenJudge.verdict(session, ctx).ifPresent(refusal -> {
            if (refusal.eventError() != null) {
                errorEvent(ctx, refusal);
            }
            // A CORS-aware answer, as Keycloak's grants give: grants that wrap any other failure
            // into invalid_grant (the JWT authorization grant) pass this one through unchanged.
            Cors cors = session.getProvider(Cors.class).auth().allowedMethods("POST");
            throw new CorsErrorResponseException(cors, refusal.error(), refusal.description(), refusal.status());
        });
    }

    private void errorEvent(ClientSessionContext ctx, TokenJudge.Refusal refusal) {
        EventType type = EventType.LOGIN;
        if (refusal.grantType() != null) {
            OAuth2GrantType grant = session.getProvider(OAuth2GrantType.class, refusal.grantType());
            if (grant != null) {
                type = grant.getEventType();
            }
        }
        AuthenticatedClientSessionModel clientSession = ctx.getClientSession();
        EventBuilder event = new EventBuilder(clientSession.getRealm(), session, session.getContext().getConnection())
                .event(type)
                .client(clientSession.getClient())
                .user(clientSession.getUserSession().getUser())
                .detail(Details.REASON, refusal.eventReason());
        if (refusal.grantType() != null) {
            event.detail(Details.GRANT_TYPE, refusal.grantType());
        }
        if (!refusal.withheld().isEmpty()) {
            event.detail(ScopePolicyEvents.WITHHELD_SCOPES, String.join(" ", refusal.withheld()));
        }
        if (refusal.problem() != null) {
            event.detail(ScopePolicyEvents.PROBLEM, refusal.problem());
        }
        event.error(refusal.eventError());
    }

    private AccessTokenContext start(ClientSessionContext ctx, String rawTokenId, boolean isOffline) {
        try {
            return keycloaksStart.type().parameterCount() == 4
                    ? (AccessTokenContext) keycloaksStart.invoke(keycloaks, ctx, rawTokenId, isOffline)
                    : (AccessTokenContext) keycloaksStart.invoke(keycloaks, ctx, rawTokenId);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public AccessTokenContext getTokenContextFromTokenId(String encodedTokenId) {
        return keycloaks.getTokenContextFromTokenId(encodedTokenId);
    }

    @Override
    public String encodeTokenId(AccessTokenContext tokenContext) {
        return keycloaks.encodeTokenId(tokenContext);
    }

    @Override
    public void close() {
    }
}
