package io.github.kcawspack.scopepolicy.grant;

import io.github.kcawspack.scopepolicy.enforcement.RequesterFacts;
import jakarta.ws.rs.core.Response;
import java.util.Optional;
import org.keycloak.OAuth2Constants;
import org.keycloak.protocol.oidc.grants.TokenExchangeGrantType;
import org.keycloak.representations.AccessToken;

/**
 * Keycloak's token exchange, with the scopes of the new token judged for the subject token's user
 * before Keycloak's exchange provider reads the scope parameter, after the requesting client's
 * scope semantics completed it (RFC 6749 section 3.3). Exchanges carry the subject's
 * AWS principal along (the subject token's session notes), so "deploy only for the deployer" holds
 * through an exchange too; the grant type the rules see is token exchange's own.
 */
public class PolicyTokenExchangeGrantType extends TokenExchangeGrantType {

    @Override
    public Response process(Context context) {
        setContext(context);
        String asked = formParams.getFirst(OAuth2Constants.SCOPE);
        String completed = TokenEndpointScopes.complete(realm, client, asked, event, cors);
        if (completed != null && !completed.equals(asked)) {
            // The exchange provider reads the scope from this same form.
            formParams.putSingle(OAuth2Constants.SCOPE, completed);
        }
        Optional<PresentedToken> subject = PresentedToken.read(session, realm, formParams.getFirst(OAuth2Constants.SUBJECT_TOKEN),
                AccessToken.class);
        if (subject.isPresent()) {
            String requested = formParams.getFirst(OAuth2Constants.SCOPE);
            Optional<String> narrowed = TokenEndpointScopes.narrow(session, realm, client, requested,
                    () -> RequesterFacts.of(subject.get().user(), subject.get()::sessionNote, OAuth2Constants.TOKEN_EXCHANGE_GRANT_TYPE),
                    event, cors);
            if (!narrowed.orElse("").equals(requested == null ? "" : requested)) {
                // The exchange provider reads the scope from this same form; nothing left asked
                // for is no scope parameter (Keycloak refuses an empty one as invalid).
                if (narrowed.isEmpty() || narrowed.get().isBlank()) {
                    formParams.remove(OAuth2Constants.SCOPE);
                } else {
                    formParams.putSingle(OAuth2Constants.SCOPE, narrowed.get());
                }
            }
        }
        return super.process(context);
    }
}
