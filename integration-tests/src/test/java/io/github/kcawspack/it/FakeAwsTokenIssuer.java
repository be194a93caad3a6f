package io.github.kcawspack.it;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An AWS account's outbound identity federation issuer, as AWS documents it for STS
 * {@code GetWebIdentityToken}: on loopback it serves {@code /.well-known/openid-configuration}
 * (naming itself as issuer and its {@code jwks_uri}) and the JWKS with an RS256 and an ES384 key;
 * it mints tokens shaped as AWS's: {@code iss}, {@code sub} the role ARN (never the session),
 * {@code aud}, {@code iat}, {@code exp} (300 s by default), {@code jti}, and the claim
 * {@code https://sts.amazonaws.com/} with {@code aws_account}, {@code source_region},
 * {@code org_id}, {@code ou_path}, {@code principal_tags} and the session's context (IAM User Guide,
 * "Understanding token claims"). It can be taken down ({@link #down()}: both documents answer 503
 * with a body that must never reach a client) and brought back, and it can rotate its RSA key
 * ({@link #rotate()}); {@link #jwksFetches()} counts the key-set requests it answered or refused,
 * {@link #discoveryFetches()} the discovery-document requests (the fetch attempts).
 * Public for the benchmark ({@code bin/bench}), which mints its jwt-bearer tokens with it.
 */
public final class FakeAwsTokenIssuer implements AutoCloseable {

    static final String AWS_CLAIM = "https://sts.amazonaws.com/";

    /** What the issuer says while down; a test checks that no client ever sees it. */
    static final String OUTAGE_BODY = "upstream-outage-detail-7f3a";

    private final HttpServer http;
    private final String issuer;
    private volatile RSAKey rsa;
    private volatile List<RSAKey> retiredRsa = List.of();
    private final ECKey ec;
    private final AtomicInteger jwksFetches = new AtomicInteger();
    private final AtomicInteger discoveryFetches = new AtomicInteger();
    private volatile Instant lastDiscoveryFetch = Instant.EPOCH;
    private volatile boolean down;
    private volatile Instant lastJwksFetch = Instant.EPOCH;

    static {
        // The JDK's HTTP server writes an answer's head and body in two writes with Nagle's
        // algorithm on, unless told otherwise: the body then waits for the client's delayed ACK,
        // about 40 ms on Linux, on a keep-alive connection. The JDK reads this once, when the
        // JVM's first HttpServer starts. (FakeSts set it for the whole JVM while it used the
        // JDK's server; it now runs on Jetty, so the issuer sets it for itself.)
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private FakeAwsTokenIssuer(HttpServer http, RSAKey rsa, ECKey ec) {
        this.http = http;
        this.rsa = rsa;
        this.ec = ec;
        this.issuer = "http://127.0.0.1:" + http.getAddress().getPort() + "/" + UUID.randomUUID();
    }

    /** Starts an issuer on a free loopback port, with fresh keys. */
    public static FakeAwsTokenIssuer start() {
        try {
            RSAKey rsa = new RSAKeyGenerator(2048).keyID("rsa-" + UUID.randomUUID()).keyUse(KeyUse.SIGNATURE)
                    .algorithm(JWSAlgorithm.RS256).generate();
            ECKey ec = new ECKeyGenerator(Curve.P_384).keyID("ec-" + UUID.randomUUID()).keyUse(KeyUse.SIGNATURE)
                    .algorithm(JWSAlgorithm.ES384).generate();
            HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            FakeAwsTokenIssuer issuer = new FakeAwsTokenIssuer(http, rsa, ec);
            String base = issuer.issuer.substring(issuer.issuer.indexOf('/', "http://".length()));
            http.createContext(base + "/.well-known/openid-configuration", exchange -> {
                issuer.discoveryFetches.incrementAndGet();
                issuer.lastDiscoveryFetch = Instant.now();
                issuer.reply(exchange, "{\"issuer\":\"" + issuer.issuer + "\",\"jwks_uri\":\"" + issuer.issuer
                        + "/.well-known/jwks.json\",\"id_token_signing_alg_values_supported\":[\"RS256\",\"ES384\"]}");
            });
            http.createContext(base + "/.well-known/jwks.json", exchange -> {
                issuer.jwksFetches.incrementAndGet();
                issuer.lastJwksFetch = Instant.now();
                issuer.reply(exchange, issuer.jwks());
            });
            http.start();
            return issuer;
        } catch (IOException | JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private String jwks() {
        List<com.nimbusds.jose.jwk.JWK> keys = new java.util.ArrayList<>();
        keys.add(rsa.toPublicJWK());
        retiredRsa.forEach(old -> keys.add(old.toPublicJWK()));
        keys.add(ec.toPublicJWK());
        return new JWKSet(keys).toString();
    }

    private void reply(HttpExchange exchange, String json) throws IOException {
        boolean outage = down;
        byte[] body = (outage ? "{\"message\":\"" + OUTAGE_BODY + "\"}" : json).getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(outage ? 503 : 200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    public String issuer() {
        return issuer;
    }

    /** Requests for the key set so far, answered or refused. */
    int jwksFetches() {
        return jwksFetches.get();
    }

    /**
     * Requests for the discovery document so far, answered or refused: each attempt to fetch the
     * key set starts with one, so while the issuer is down (and no key-set request is made) these
     * count the attempts.
     */
    int discoveryFetches() {
        return discoveryFetches.get();
    }

    /** When the discovery document was last requested ({@link Instant#EPOCH} before the first request). */
    Instant lastDiscoveryFetch() {
        return lastDiscoveryFetch;
    }

    /** When the key set was last requested ({@link Instant#EPOCH} before the first request). */
    Instant lastJwksFetch() {
        return lastJwksFetch;
    }

    /** From now on both documents answer 503 (with {@link #OUTAGE_BODY}), until {@link #up()}. */
    void down() {
        down = true;
    }

    void up() {
        down = false;
    }

    /**
     * Publishes a new RSA key and signs RS256 tokens with it from now on; the old one stays in the
     * key set, as an issuer keeps a retired key while tokens signed with it may still be valid.
     *
     * @return the new key's kid
     */
    String rotate() {
        try {
            RSAKey next = new RSAKeyGenerator(2048).keyID("rsa-" + UUID.randomUUID()).keyUse(KeyUse.SIGNATURE)
                    .algorithm(JWSAlgorithm.RS256).generate();
            List<RSAKey> retired = new java.util.ArrayList<>(retiredRsa);
            retired.add(rsa);
            retiredRsa = List.copyOf(retired);
            rsa = next;
            return next.getKeyID();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A token of {@code account}'s role {@code role} for {@code audience}, RS256, as AWS issues it by default. */
    public Token token(String account, String role, String audience) {
        return new Token(account, role, audience);
    }

    /** One token being shaped; every setter returns it. */
    public final class Token {
        private JWSAlgorithm alg = JWSAlgorithm.RS256;
        private String kid;
        private String iss = issuer;
        private String sub;
        private String awsAccount;
        private final String account;
        private List<String> audience;
        private Instant issuedAt = Instant.now();
        private Duration lifetime = Duration.ofSeconds(300);
        private String jti = UUID.randomUUID().toString();
        private boolean hmacWithPublicKey;
        private String orgId = "o-exampleorgid";
        private String ouPath = "o-exampleorgid/r-ab12/ou-ab12-11111111/";
        private Map<String, String> principalTags = Map.of("team", "platform");

        private Token(String account, String role, String audience) {
            this.account = account;
            this.awsAccount = account;
            this.sub = "arn:aws:iam::" + account + ":role/" + role;
            this.audience = List.of(audience);
        }

        public Token es384() {
            alg = JWSAlgorithm.ES384;
            return this;
        }

        Token kid(String value) {
            kid = value;
            return this;
        }

        Token issuer(String value) {
            iss = value;
            return this;
        }

        Token subject(String value) {
            sub = value;
            return this;
        }

        Token awsAccount(String value) {
            awsAccount = value;
            return this;
        }

        Token audience(String... values) {
            audience = List.of(values);
            return this;
        }

        Token issuedAt(Instant value) {
            issuedAt = value;
            return this;
        }

        public Token lifetime(Duration value) {
            lifetime = value;
            return this;
        }

        Token jti(String value) {
            jti = value;
            return this;
        }

        /** The {@code org_id} claim; null leaves it out (an account in no organization). */
        Token orgId(String value) {
            orgId = value;
            return this;
        }

        /** The {@code ou_path} claim; null leaves it out. */
        Token ouPath(String value) {
            ouPath = value;
            return this;
        }

        Token principalTags(Map<String, String> value) {
            principalTags = value;
            return this;
        }

        /** HS256 keyed with the RSA public key's encoding: the algorithm-confusion attack. */
        Token hmacWithPublicKey() {
            hmacWithPublicKey = true;
            return this;
        }

        JWTClaimsSet claims() {
            Map<String, Object> aws = new LinkedHashMap<>();
            aws.put("aws_account", awsAccount);
            aws.put("source_region", "eu-west-1");
            if (orgId != null) {
                aws.put("org_id", orgId);
            }
            if (ouPath != null) {
                aws.put("ou_path", ouPath);
            }
            aws.put("principal_tags", principalTags);
            aws.put("lambda_source_function_arn", "arn:aws:lambda:eu-west-1:" + account + ":function:deployer");
            return new JWTClaimsSet.Builder()
                    .issuer(iss).subject(sub).audience(audience)
                    .issueTime(Date.from(issuedAt)).expirationTime(Date.from(issuedAt.plus(lifetime)))
                    .jwtID(jti).claim(AWS_CLAIM, aws)
                    .build();
        }

        /** The compact serialization. */
        public String serialize() {
            try {
                if (hmacWithPublicKey) {
                    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(rsa.getKeyID()).type(JOSEObjectType.JWT).build(), claims());
                    jwt.sign(new MACSigner(padded(rsa.toRSAPublicKey().getEncoded())));
                    return jwt.serialize();
                }
                boolean ecdsa = JWSAlgorithm.ES384.equals(alg);
                String keyId = kid != null ? kid : ecdsa ? ec.getKeyID() : rsa.getKeyID();
                JWSSigner signer = ecdsa ? new ECDSASigner(ec) : new RSASSASigner(rsa);
                SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(alg).keyID(keyId).type(JOSEObjectType.JWT).build(), claims());
                jwt.sign(signer);
                return jwt.serialize();
            } catch (JOSEException e) {
                throw new IllegalStateException(e);
            }
        }

        /** An unsigned token ({@code alg: none}) with these claims. */
        String unsigned() {
            String header = Base64URL.encode("{\"alg\":\"none\",\"typ\":\"JWT\"}").toString();
            return header + "." + Base64URL.encode(claims().toString()) + ".";
        }

        private static byte[] padded(byte[] key) {
            return key.length >= 32 ? key : java.util.Arrays.copyOf(key, 32);
        }
    }

    @Override
    public void close() {
        http.stop(0);
    }
}
