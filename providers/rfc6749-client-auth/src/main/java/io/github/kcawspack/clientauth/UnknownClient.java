package io.github.kcawspack.clientauth;

import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.keycloak.models.ClientModel;

/**
 * What the pack's client authenticators put in place of a client the request names but the realm
 * does not have (or names unreadably), so that Keycloak answers it like a wrong secret.
 *
 * <p>Why a stand-in: Keycloak's {@code ClientAuthenticationFlow} (26.5 to 26.7) uses an
 * authenticator's answer only when the authenticator set a client whose
 * {@code getClientAuthenticatorType()} is that authenticator's id; with no client it ignores the
 * answer, runs the other authenticators and ends with a fixed 401 that never carries
 * {@code WWW-Authenticate}. The stand-in is read only by that flow ({@code getClientAuthenticatorType},
 * {@code isPublicClient}, {@code getClientId} for its log); the flow then returns the failure and
 * {@code AuthorizeClientUtil} throws it as the HTTP answer, so no endpoint ever sees the stand-in.
 * Any other method throws, so that a Keycloak that starts to use it fails loudly instead of
 * treating it as a client.
 */
final class UnknownClient {

    /**
     * Compared with what an unknown client sent as its secret, so that its request does the same
     * constant-time comparison work a known client's does (Keycloak compares secrets with
     * {@link MessageDigest#isEqual}). Not a secret: nothing is ever accepted with it.
     */
    private static final byte[] DUMMY_SECRET = "aws-pack-no-such-client-0000000000000000".getBytes(StandardCharsets.UTF_8);

    private UnknownClient() {
    }

    /**
     * Does the secret comparison a known client's request would do.
     *
     * @param presentedSecret what the request sent as client secret, or null when it sent none
     * @return whether it equalled the dummy; callers refuse the request either way (an unknown
     *         client is never authenticated), the value is returned so that the work is not dead code
     */
    static boolean compareWithDummySecret(String presentedSecret) {
        byte[] presented = presentedSecret == null ? new byte[0] : presentedSecret.getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(presented, DUMMY_SECRET);
    }

    /**
     * Creates the stand-in.
     *
     * @param clientId the client id the request named, or null when it could not be read (only
     *                 logged by Keycloak at debug level)
     * @param authenticatorId the id of the authenticator that refuses the request: the flow takes
     *                        this authenticator's answer because the stand-in claims to use it
     * @return a {@link ClientModel} that answers only what {@code ClientAuthenticationFlow} asks
     * @throws UnsupportedOperationException from any other method of the returned object
     */
    static ClientModel standIn(String clientId, String authenticatorId) {
        return (ClientModel) Proxy.newProxyInstance(ClientModel.class.getClassLoader(), new Class<?>[] {ClientModel.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getClientAuthenticatorType" -> authenticatorId;
                    case "isPublicClient" -> false;
                    case "isEnabled" -> true;
                    case "getClientId" -> clientId;
                    case "toString" -> "unknown client " + clientId;
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> throw new UnsupportedOperationException(
                            "stand-in for an unknown client: " + method.getName() + " is not available");
                });
    }
}
