package io.github.kcawspack.it;

import static io.github.kcawspack.it.harness.OAuthClient.form;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.github.kcawspack.it.harness.KeycloakServer;
import io.github.kcawspack.it.harness.OAuthClient.Answer;
import io.github.kcawspack.it.harness.PolicyRealm;
import java.util.Base64;
import java.util.Date;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.keycloak.admin.client.CreatedResponseUtil;
import org.keycloak.representations.idm.FederatedIdentityRepresentation;
import org.keycloak.representations.idm.IdentityProviderRepresentation;

/**
 * An external identity provider for the JWT authorization grant (RFC 7523,
 * {@code urn:ietf:params:oauth:grant-type:jwt-bearer}): an RSA key made here, registered in a
 * {@link PolicyRealm} as an OIDC identity provider with that public key and the JWT
 * authorization grant switched on; users are found through federated identity links the test
 * creates. Keycloak registers the grant since 26.5 behind a feature that is on by default from 26.6.
 */
final class JwtBearerIssuer {

    static final String ALIAS = "corp-idp";
    static final String ISSUER = "https://idp.corp.example.test";

    /** The client attributes that let {@link PolicyRealm#CLIENT} use this identity provider's assertions. */
    static final Map<String, String> CLIENT_ATTRIBUTES = Map.of(
            "oauth2.jwt.authorization.grant.enabled", "true",
            "oauth2.jwt.authorization.grant.idp", ALIAS);

    private final KeycloakServer server;
    private final PolicyRealm realm;
    private final RSAKey key;

    private JwtBearerIssuer(KeycloakServer server, PolicyRealm realm, RSAKey key) {
        this.server = server;
        this.realm = realm;
        this.key = key;
    }

    /**
     * Makes a key, registers the identity provider in {@code realm} and lets {@link PolicyRealm#CLIENT}
     * use its assertions ({@link #CLIENT_ATTRIBUTES}).
     */
    static JwtBearerIssuer register(KeycloakServer server, PolicyRealm realm) {
        RSAKey key;
        String publicKey;
        try {
            key = new RSAKeyGenerator(2048).keyID("it-" + UUID.randomUUID()).generate();
            publicKey = Base64.getEncoder().encodeToString(key.toRSAPublicKey().getEncoded());
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        IdentityProviderRepresentation idp = new IdentityProviderRepresentation();
        idp.setAlias(ALIAS);
        idp.setProviderId("oidc");
        idp.setEnabled(true);
        idp.setConfig(new HashMap<>(Map.ofEntries(
                Map.entry("issuer", ISSUER),
                Map.entry("jwtAuthorizationGrantEnabled", "true"),
                Map.entry("validateSignature", "true"),
                Map.entry("useJwksUrl", "false"),
                Map.entry("publicKeySignatureVerifier", publicKey),
                Map.entry("clientId", "keycloak-it"),
                Map.entry("clientSecret", "unused"),
                Map.entry("clientAuthMethod", "client_secret_post"),
                Map.entry("authorizationUrl", ISSUER + "/authorize"),
                Map.entry("tokenUrl", ISSUER + "/token"),
                Map.entry("syncMode", "LEGACY"))));
        try (var created = realm.realm().identityProviders().create(idp)) {
            CreatedResponseUtil.getCreatedId(created);
        }
        CLIENT_ATTRIBUTES.forEach((name, value) -> realm.setClientAttribute(PolicyRealm.CLIENT, name, value));
        return new JwtBearerIssuer(server, realm, key);
    }

    /** Links {@code username} to the subject {@code "ext-" + username} of this provider. */
    String link(String username) {
        String subject = "ext-" + username;
        FederatedIdentityRepresentation link = new FederatedIdentityRepresentation();
        link.setIdentityProvider(ALIAS);
        link.setUserId(subject);
        link.setUserName(username);
        try (var created = realm.realm().users().get(realm.userId(username)).addFederatedIdentity(ALIAS, link)) {
            if (created.getStatus() != 204) {
                throw new AssertionError("linking " + username + " to " + ALIAS + ": " + created.getStatus());
            }
        }
        return subject;
    }

    /** A fresh assertion (new jti) about {@code subject}, for this realm, valid for a minute. */
    String assertion(String subject) {
        long now = System.currentTimeMillis();
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(ISSUER).subject(subject).audience(server.realmUrl(realm.name()))
                .issueTime(new Date(now)).expirationTime(new Date(now + 60_000)).jwtID(UUID.randomUUID().toString())
                .build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).type(JOSEObjectType.JWT).build(), claims);
        try {
            jwt.sign(new RSASSASigner(key));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jwt.serialize();
    }

    /** The client's token request with an assertion about {@code subject}. */
    Answer token(String subject, String scope) {
        return realm.oauth().token(form("grant_type", PolicyRealm.JWT_BEARER_GRANT, "assertion", assertion(subject),
                "scope", scope), PolicyRealm.CLIENT_BASIC);
    }
}
