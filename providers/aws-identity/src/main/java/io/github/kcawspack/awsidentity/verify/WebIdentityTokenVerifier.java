package io.github.kcawspack.awsidentity.verify;

import io.github.kcawspack.awsidentity.settings.WebIdentityIssuer;
import io.github.kcawspack.awsidentity.verify.AwsIdentityVerifier.VerifiedPrincipal;
import io.github.kcawspack.awsidentity.principal.AwsPartitions;
import io.github.kcawspack.awsidentity.principal.AwsPrincipal;
import io.github.kcawspack.awsidentity.principal.InvalidPrincipalException;
import io.github.kcawspack.awsidentity.principal.OrganizationContext;
import io.github.kcawspack.awsidentity.principal.PrincipalArn;
import io.github.kcawspack.awsidentity.principal.PrincipalBinding;
import io.github.kcawspack.awsidentity.principal.PrincipalType;
import io.github.kcawspack.awsidentity.settings.AwsIdentitySettings;
import io.github.kcawspack.awsidentity.settings.InvalidSettingsException;
import io.github.kcawspack.awsidentity.settings.ParsedSettings;
import io.github.kcawspack.awsidentity.principal.AwsLinks;
import io.github.kcawspack.awsidentity.AwsIdentityRejection;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;
import org.keycloak.common.VerificationException;
import org.keycloak.crypto.Algorithm;
import org.keycloak.crypto.KeyWrapper;
import org.keycloak.crypto.SignatureProvider;
import org.keycloak.jose.jws.JWSInput;
import org.keycloak.jose.jws.JWSInputException;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.representations.JsonWebToken;
import org.keycloak.services.Urls;

/**
 * Verifies an AWS-issued JWT (STS {@code GetWebIdentityToken}) offline, against the configured
 * issuer's published keys, and finds the principal binding that admits its subject. No call to
 * AWS STS. Every refusal is an {@link AwsIdentityRejection} {@code invalid_grant} (RFC 7523
 * section 3.1) with a reason for the event, in this order:
 * <ol>
 *   <li>{@code token_too_large}: over {@value #MAX_TOKEN_CHARS} characters;</li>
 *   <li>{@code token_malformed}: not a compact JWS with a JSON claims set;</li>
 *   <li>{@code alg_not_allowed}: {@code alg} other than RS256 or ES384, the two AWS signs with
 *       (so never {@code none} and never HMAC keyed with a public key); {@code kid_missing};</li>
 *   <li>{@code issuer_unknown}: {@code iss} is not a configured issuer of this realm;</li>
 *   <li>{@code key_unknown}: no key with that {@code kid} and algorithm in the issuer's JWKS;
 *       {@code signature_invalid};</li>
 *   <li>not a refusal of the token: {@code jwks_unavailable}, answered {@code 503
 *       temporarily_unavailable}, when no cached key has that {@code kid} and the issuer's key set
 *       could not be fetched, or was not fetched again because a fetch failed less than the retry
 *       interval ago (see {@link IssuerKeys});</li>
 *   <li>{@code claims_missing} ({@code exp}, {@code iat}, {@code jti}, {@code sub}), {@code expired},
 *       {@code issued_in_future}, {@code not_yet_valid} (with the realm's aws_identity clock skew),
 *       {@code lifetime_too_long} ({@code exp - iat} over the issuer's maximum; RFC 7523 section 3
 *       lets the server limit it);</li>
 *   <li>{@code audience_mismatch}: no {@code aud} value is this realm's issuer (where the hostname
 *       is fixed) or a configured audience (RFC 7523 section 3, item 3);</li>
 *   <li>{@code principal_unsupported} ({@code sub} is not an IAM role or user ARN: an assumed-role
 *       session, root or anything else), {@code account_mismatch} ({@code sub} of another account than
 *       the issuer's), {@code aws_account_mismatch} ({@code https://sts.amazonaws.com/}
 *       {@code aws_account} disagreeing with {@code sub});</li>
 *   <li>{@code jti_replayed}: the {@code jti} was used before (RFC 7523 section 3, item 7), recorded
 *       cluster-wide in Keycloak's single-use store until {@code exp} plus the clock skew;</li>
 *   <li>{@code no_binding}: no principal binding admits the subject, with the organization id,
 *       OU path and principal tags of the {@code https://sts.amazonaws.com/} claim for the
 *       bindings that ask for them ({@link OrganizationContext}).</li>
 * </ol>
 * The subject has no unique id in this token, so it becomes a principal whose unique id is
 * {@link AwsLinks#UNIQUE_ID_PENDING}: a binding that names a unique id never admits it, and a user
 * whose link records one is refused by the user mapping ({@code unique_id_unverifiable}).
 */
public final class WebIdentityTokenVerifier {

    private static final Logger LOG = Logger.getLogger(WebIdentityTokenVerifier.class);

    /** Keycloak's default minimum time between two fetches of one key set (public-key storage {@code infinispan}). */
    public static final Duration DEFAULT_KEY_RETRY_INTERVAL = Duration.ofSeconds(10);

    /** Larger than any token AWS documents (principal and request tags included), small enough to parse cheaply. */
    public static final int MAX_TOKEN_CHARS = 16_384;

    /** AWS signs web identity tokens with RS256 or ES384 (GetWebIdentityToken, SigningAlgorithm). */
    static final Set<String> ALGORITHMS = Set.of(Algorithm.RS256, Algorithm.ES384);

    /** The claim under which AWS puts the caller's account, region, organization and tags. */
    static final String AWS_CLAIM = "https://sts.amazonaws.com/";

    private static final Pattern ROLE_OR_USER_NAME = Pattern.compile("[A-Za-z0-9_+=,.@-]{1,64}");
    private static final Pattern ROLE_PATH_SEGMENT = Pattern.compile("[\\x21-\\x2E\\x30-\\x7E]+");
    private static final String JTI_KEY_PREFIX = "aws-web-identity-jti:";

    private final Clock clock;
    private final boolean serverHostnameConfigured;
    private final IssuerKeys keys;
    /** The realms' bindings as last read, reused while unchanged. */
    private final ParsedSettings parsedSettings;

    /**
     * @param clock                    the time tokens are judged at
     * @param serverHostnameConfigured whether {@code --hostname} fixes every realm's issuer URL
     * @param keyRetryInterval         after a failed fetch of an issuer's key set, how long no new
     *                                 fetch is tried (see {@link IssuerKeys}); Keycloak's public-key
     *                                 storage's minimum time between fetches
     */
    public WebIdentityTokenVerifier(Clock clock, boolean serverHostnameConfigured, Duration keyRetryInterval) {
        this.clock = clock;
        this.serverHostnameConfigured = serverHostnameConfigured;
        this.keys = new IssuerKeys(clock, keyRetryInterval);
        this.parsedSettings = new ParsedSettings();
    }

    /**
     * @param session   the request's session
     * @param realm     the realm of the token endpoint
     * @param assertion the {@code assertion} form parameter
     * @param issuer    the configured issuer the token's unverified {@code iss} named
     * @return the verified principal and the binding that admits it
     * @throws AwsIdentityRejection for every refusal (see the class comment)
     */
    public VerifiedPrincipal verify(KeycloakSession session, RealmModel realm, String assertion, WebIdentityIssuer issuer) {
        if (assertion.length() > MAX_TOKEN_CHARS) {
            throw refused("token_too_large", "the assertion is too large");
        }
        JWSInput jws;
        JsonWebToken jwt;
        try {
            jws = new JWSInput(assertion);
            jwt = jws.readJsonContent(JsonWebToken.class);
        } catch (JWSInputException | RuntimeException e) {
            throw refused("token_malformed", "the assertion is not a signed JWT");
        }
        if (jwt == null) {
            throw refused("token_malformed", "the assertion is not a signed JWT");
        }
        String alg = jws.getHeader().getRawAlgorithm();
        if (alg == null || !ALGORITHMS.contains(alg)) {
            throw refused("alg_not_allowed", "the assertion's signature algorithm is not accepted (RS256 or ES384)");
        }
        String kid = jws.getHeader().getKeyId();
        if (kid == null || kid.isBlank()) {
            throw refused("kid_missing", "the assertion names no signing key");
        }
        if (!issuer.issuer().equals(jwt.getIssuer())) {
            throw refused("issuer_unknown", "the assertion's issuer is not trusted by this realm");
        }
        AwsIdentitySettings settings = settingsOf(realm);
        verifySignature(session, issuer, jws, alg, kid);
        long now = clock.instant().getEpochSecond();
        long skew = settings.realm().clockSkew().toSeconds();
        checkTimes(jwt, now, skew, issuer.maxLifetime().toSeconds());
        checkAudience(session, realm, jwt, issuer, settings);
        AwsPrincipal principal = principalOf(jwt, issuer);
        recordJti(session, issuer, jwt.getId(), jwt.getExp() - now + skew);
        OrganizationContext organization = OrganizationContext.fromAwsClaim(jwt.getOtherClaims().get(AWS_CLAIM));
        PrincipalBinding binding = settings.bindings().firstMatch(principal, Optional.of(organization)).orElseThrow(() ->
                refused("no_binding", "no binding of this realm admits this AWS principal"));
        return new VerifiedPrincipal(principal, binding);
    }

    private void verifySignature(KeycloakSession session, WebIdentityIssuer issuer, JWSInput jws, String alg, String kid) {
        KeyWrapper key;
        try {
            key = keys.key(session, issuer, kid, alg);
        } catch (IssuerKeys.KeysUnavailableException e) {
            // Neither a cached key nor a fresh key set: the client may retry (RFC 6749 section 5.2
            // has no such code; temporarily_unavailable is the one its section 4.1.2.1 defines).
            LOG.warnf("AWS web identity token refused in realm %s: the keys of issuer %s could not be fetched (%s)",
                    session.getContext().getRealm().getName(), issuer.issuer(), e.getMessage());
            throw AwsIdentityRejection.unavailable("jwks_unavailable",
                    "the signing keys of the assertion's issuer could not be fetched; try again later");
        }
        if (key == null) {
            throw refused("key_unknown", "the assertion's signing key is not one of its issuer's keys");
        }
        SignatureProvider signatures = session.getProvider(SignatureProvider.class, alg);
        boolean valid;
        try {
            valid = signatures != null && signatures.verifier(key)
                    .verify(jws.getEncodedSignatureInput().getBytes(StandardCharsets.UTF_8), jws.getSignature());
        } catch (VerificationException | RuntimeException e) {
            valid = false;
        }
        if (!valid) {
            throw refused("signature_invalid", "the assertion's signature is invalid");
        }
    }

    private static void checkTimes(JsonWebToken jwt, long now, long skew, long maxLifetime) {
        if (jwt.getExp() == null || jwt.getIat() == null || jwt.getId() == null || jwt.getId().isBlank()
                || jwt.getSubject() == null) {
            throw refused("claims_missing", "the assertion lacks exp, iat, jti or sub");
        }
        if (jwt.getExp() + skew <= now) {
            throw refused("expired", "the assertion has expired");
        }
        if (jwt.getIat() > now + skew) {
            throw refused("issued_in_future", "the assertion was issued in the future");
        }
        if (jwt.getNbf() != null && jwt.getNbf() > now + skew) {
            throw refused("not_yet_valid", "the assertion is not valid yet");
        }
        if (jwt.getExp() - jwt.getIat() > maxLifetime) {
            throw refused("lifetime_too_long", "the assertion lives longer than this realm accepts");
        }
    }

    private void checkAudience(KeycloakSession session, RealmModel realm, JsonWebToken jwt, WebIdentityIssuer issuer,
            AwsIdentitySettings settings) {
        // The realm's issuer URL counts only where configuration fixes its host, as for aws_identity:
        // derived from the request's Host, it would accept a token minted for any audience.
        String frontendUrl = realm.getAttribute("frontendUrl");
        boolean hostnameFixed = serverHostnameConfigured || (frontendUrl != null && frontendUrl.matches("https?://.+"));
        List<String> extra = new java.util.ArrayList<>(issuer.audiences());
        extra.addAll(settings.realm().extraAudiences());
        Set<String> accepted = ConfiguredAudiences.of(
                hostnameFixed ? Optional.of(Urls.realmIssuer(session.getContext().getUri().getBaseUri(), realm.getName()))
                        : Optional.empty(), extra);
        String[] audience = jwt.getAudience();
        if (audience == null || Arrays.stream(audience).noneMatch(accepted::contains)) {
            throw refused("audience_mismatch", "the assertion is not meant for this realm");
        }
    }

    /**
     * The subject as a principal: {@code arn:<partition>:iam::<account>:role/[path/]name} (AWS
     * names the role, not the session) or an IAM user ARN.
     */
    private static AwsPrincipal principalOf(JsonWebToken jwt, WebIdentityIssuer issuer) {
        AwsPrincipal principal = subjectPrincipal(jwt.getSubject());
        if (!principal.account().equals(issuer.account())) {
            throw refused("account_mismatch", "the assertion's subject belongs to another AWS account than its issuer");
        }
        Object aws = jwt.getOtherClaims().get(AWS_CLAIM);
        Object account = aws instanceof Map<?, ?> claims ? claims.get("aws_account") : null;
        if (!principal.account().equals(account)) {
            throw refused("aws_account_mismatch", "the assertion's subject and aws_account disagree");
        }
        return principal;
    }

    /**
     * @param sub a token's {@code sub}
     * @return the IAM role (canonical ARN without its path, as aws_identity names roles) or user it
     *         names, with the unique id {@link AwsLinks#UNIQUE_ID_PENDING}: the token carries none
     * @throws AwsIdentityRejection {@code principal_unsupported} for anything else (an assumed-role
     *         session, root, a federated user, not an ARN)
     */
    static AwsPrincipal subjectPrincipal(String sub) {
        try {
            return sub.contains(":role/") ? roleOf(sub) : userOf(sub);
        } catch (InvalidPrincipalException e) {
            throw refused("principal_unsupported", "the assertion's subject is not an IAM role or user");
        }
    }

    private static AwsPrincipal roleOf(String sub) {
        String[] parts = sub.split(":", 6);
        if (parts.length != 6 || !parts[0].equals("arn") || !AwsPartitions.isKnown(parts[1]) || !parts[2].equals("iam")
                || !parts[3].isEmpty() || !parts[4].matches("[0-9]{12}") || !parts[5].startsWith("role/")
                || sub.length() > 2048) {
            throw refused("principal_unsupported", "the assertion's subject is not an IAM role or user");
        }
        String[] segments = parts[5].substring("role/".length()).split("/", -1);
        String name = segments[segments.length - 1];
        for (int i = 0; i < segments.length - 1; i++) {
            if (!ROLE_PATH_SEGMENT.matcher(segments[i]).matches()) {
                throw refused("principal_unsupported", "the assertion's subject is not an IAM role or user");
            }
        }
        if (!ROLE_OR_USER_NAME.matcher(name).matches()) {
            throw refused("principal_unsupported", "the assertion's subject is not an IAM role or user");
        }
        // Canonical as aws_identity names roles: without the path (STS's assumed-role ARNs carry none).
        return new AwsPrincipal(parts[1], parts[4], PrincipalType.ROLE, name, Optional.empty(),
                "arn:" + parts[1] + ":iam::" + parts[4] + ":role/" + name, AwsLinks.UNIQUE_ID_PENDING, Optional.empty());
    }

    private static AwsPrincipal userOf(String sub) {
        PrincipalArn arn = PrincipalArn.parse(sub);
        if (arn.type() != PrincipalType.USER) {
            // sts:assumed-role/... (a session, which AWS never puts in sub) and the root user.
            throw refused("principal_unsupported", "the assertion's subject is not an IAM role or user");
        }
        return new AwsPrincipal(arn.partition(), arn.account(), PrincipalType.USER, arn.name(), arn.path(),
                "arn:" + arn.partition() + ":iam::" + arn.account() + ":user" + arn.path().orElseThrow() + arn.name(),
                AwsLinks.UNIQUE_ID_PENDING, Optional.empty());
    }

    private static void recordJti(KeycloakSession session, WebIdentityIssuer issuer, String jti, long lifespanSeconds) {
        // Hashed: the key's length is bounded whatever the token carries, and the issuer is part of it.
        String key = JTI_KEY_PREFIX + sha256(issuer.issuer() + "\n" + jti);
        if (!session.singleUseObjects().putIfAbsent(key, Math.max(1, lifespanSeconds))) {
            throw refused("jti_replayed", "the assertion was used before");
        }
    }

    private static String sha256(String value) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private AwsIdentitySettings settingsOf(RealmModel realm) {
        AwsIdentitySettings settings;
        try {
            settings = parsedSettings.of(realm);
        } catch (InvalidSettingsException e) {
            LOG.errorf("AWS web identity tokens refused in realm %s: its aws_identity settings are invalid: %s", realm.getName(), e.getMessage());
            throw AwsIdentityRejection.misconfigured("config_invalid", e.getMessage());
        }
        return settings;
    }

    private static AwsIdentityRejection refused(String reason, String description) {
        return AwsIdentityRejection.invalidGrant(reason, description);
    }
}
