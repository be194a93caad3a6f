package io.github.kcawspack.scopepolicy.token;

import io.github.kcawspack.scopepolicy.ProviderLinkage;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import org.keycloak.Config;
import org.keycloak.models.ClientSessionContext;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.protocol.oidc.encode.AccessTokenContext;
import org.keycloak.protocol.oidc.encode.TokenContextEncoderProvider;
import org.keycloak.protocol.oidc.encode.TokenContextEncoderProviderFactory;

/**
 * Puts the {@link TokenJudge} on the path of every access token Keycloak builds. Why this SPI:
 * Keycloak's token manager asks the realm-independent token context encoder once per access
 * token, with the client session context every later part of the response is derived from, on
 * every grant and in the front channel alike, on 26.5, 26.6 and 26.7 (the token post-processor
 * SPI, which would be the natural place, does not exist in 26.5).
 *
 * <p>It is a provider of its own id, not a replacement of Keycloak's: Keycloak makes the factory
 * with the highest {@link #order()} the default when several exist and none is configured, and
 * this one hands every call on to Keycloak's ("default"). An operator who configures
 * {@code --spi-token-context-encoder--provider=default} takes the policy off every path but the
 * ones that narrow; README says so.
 */
public class PolicyTokenContextEncoderProviderFactory implements TokenContextEncoderProviderFactory {

    public static final String PROVIDER_ID = "aws-pack-scope-policy";
    private static final String KEYCLOAKS = "default";

    /** The encoder's start call in the running Keycloak's form, looked up once. */
    private MethodHandle keycloaksStart;

    @Override
    public TokenContextEncoderProvider create(KeycloakSession session) {
        return new PolicyTokenContextEncoderProvider(session, session.getProvider(TokenContextEncoderProvider.class, KEYCLOAKS),
                keycloaksStart);
    }

    @Override
    public void init(Config.Scope config) {
        ProviderLinkage.require();
        keycloaksStart = startCall(MethodType.methodType(AccessTokenContext.class, ClientSessionContext.class, String.class, boolean.class));
        if (keycloaksStart == null) {
            keycloaksStart = startCall(MethodType.methodType(AccessTokenContext.class, ClientSessionContext.class, String.class));
        }
        if (keycloaksStart == null) {
            throw new IllegalStateException("aws-pack-scope-policy cannot find the token context encoder's start call in this Keycloak");
        }
    }

    private static MethodHandle startCall(MethodType type) {
        try {
            return MethodHandles.publicLookup().findVirtual(TokenContextEncoderProvider.class, "getTokenContextFromClientSessionContext", type);
        } catch (NoSuchMethodException | IllegalAccessException notThisKeycloak) {
            return null;
        }
    }

    /**
     * Refuses to start a server on which the judge would not be on the token path: one whose
     * operator made another encoder the default ({@code --spi-token-context-encoder--provider}),
     * or whose Keycloak lacks its own. Policies would otherwise hold only where the pack narrows.
     */
    @Override
    public void postInit(KeycloakSessionFactory factory) {
        if (factory.getProviderFactory(TokenContextEncoderProvider.class, KEYCLOAKS) == null) {
            throw new IllegalStateException("aws-pack-scope-policy needs Keycloak's token context encoder 'default'");
        }
        try (KeycloakSession session = factory.create()) {
            if (!(session.getProvider(TokenContextEncoderProvider.class) instanceof PolicyTokenContextEncoderProvider)) {
                throw new IllegalStateException("aws-pack-scope-policy: the token context encoder in use is not '" + PROVIDER_ID
                        + "', so restricted-scope policies would not be judged on every token; remove the"
                        + " spi-token-context-encoder provider setting or remove aws-pack-scope-policy.jar");
            }
        }
    }

    @Override
    public int order() {
        return 100;
    }

    @Override
    public String getId() {
        return PROVIDER_ID;
    }

    @Override
    public void close() {
    }
}
