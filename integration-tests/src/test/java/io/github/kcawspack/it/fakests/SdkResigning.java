package io.github.kcawspack.it.fakests;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.internal.signer.CredentialScope;
import software.amazon.awssdk.http.auth.aws.internal.signer.V4CanonicalRequest;
import software.amazon.awssdk.http.auth.aws.internal.signer.util.SignerUtils;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.utils.BinaryUtils;

/**
 * The signature AWS would expect for a received request, computed with the AWS SDK for Java v2's
 * own SigV4 code, the way getmoto/moto re-signs with botocore ({@code moto/iam/access_control.py},
 * {@code _calculate_signature}).
 *
 * <p>Why not {@code AwsV4HttpSigner.sign} itself: in SDK 2.57 it always adds and signs
 * {@code x-amz-content-sha256}, so it can only reproduce signatures of clients that sign that header
 * (SDK v2), not those of botocore, the AWS CLI or Go's signer (SignerInteropIT) nor AWS's published
 * test vectors. So this takes the three steps {@code AwsV4HttpSigner} runs, from the same module:
 * {@link V4CanonicalRequest} (task 1), {@link SignerUtils#hashCanonicalRequest} (task 2) and
 * {@link SignerUtils#deriveSigningKey}/{@link SignerUtils#computeSignature} (task 3). They are
 * marked internal to the SDK; the SDK version is pinned in the root pom.
 *
 * <p>Exactly the headers the client listed in SignedHeaders are handed over, as received, so the SDK
 * canonicalises that set. The path goes in as received, still percent-encoded: the SDK encodes it
 * once more, as every SDK does for every service but S3, and normalises it. Query parameters go in
 * decoded from the wire, because the SDK encodes them once.
 */
final class SdkResigning {

    private static final V4CanonicalRequest.Options AWS_SERVICE_RULES = new V4CanonicalRequest.Options(true, true);

    private SdkResigning() {
    }

    /**
     * @param request       as it arrived
     * @param authorization the parsed Authorization header: access key, scope, signed header names
     * @param signedAt      the request's X-Amz-Date, whose date the verifier checked is the scope's
     * @param secretKey     the secret issued with the access key
     * @return the lowercase hex signature the SDK computes for the request
     */
    static String signature(ReceivedRequest request, AuthorizationHeader authorization, Instant signedAt,
            String secretKey) {
        CredentialScope scope = new CredentialScope(authorization.scope().region(), authorization.scope().service(),
                signedAt);
        String payloadHash = BinaryUtils.toHex(SignerUtils.hash(request.body()));
        String canonicalRequest = new V4CanonicalRequest(copyOfSignedPart(request, authorization), payloadHash,
                AWS_SERVICE_RULES).getCanonicalRequestString();
        String stringToSign = AuthorizationHeader.ALGORITHM + "\n" + scope.getDatetime() + "\n" + scope.scope() + "\n"
                + SignerUtils.hashCanonicalRequest(canonicalRequest);
        byte[] signingKey = SignerUtils.deriveSigningKey(
                AwsCredentialsIdentity.create(authorization.accessKeyId(), secretKey), scope);
        return BinaryUtils.toHex(SignerUtils.computeSignature(stringToSign, signingKey));
    }

    private static SdkHttpRequest copyOfSignedPart(ReceivedRequest request, AuthorizationHeader authorization) {
        SdkHttpRequest.Builder copy = SdkHttpRequest.builder()
                .method(SdkHttpMethod.fromValue(request.method()))
                .protocol("https")
                .host(hostWithoutPort(request.single("Host")))
                .encodedPath(request.rawPath());
        for (String parameter : request.rawQuery().split("&")) {
            if (parameter.isEmpty()) {
                continue;
            }
            int equals = parameter.indexOf('=');
            copy.appendRawQueryParameter(
                    percentDecode(equals < 0 ? parameter : parameter.substring(0, equals)),
                    equals < 0 ? "" : percentDecode(parameter.substring(equals + 1)));
        }
        for (String name : authorization.signedHeaders()) {
            copy.putHeader(name, request.values(name));
        }
        return copy.build();
    }

    /** The SDK's request needs a host; what is signed is the Host header, copied as sent. */
    private static String hostWithoutPort(String host) {
        if (host == null) {
            return "invalid";
        }
        int colon = host.lastIndexOf(':');
        return colon < 0 || host.endsWith("]") ? host : host.substring(0, colon);
    }

    /** Decodes %XX only: '+' stays a plus sign, SigV4 is not form decoding. */
    private static String percentDecode(String text) {
        try {
            return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException malformedEscape) {
            return text; // signed as sent, so a client that sent it raw still matches
        }
    }
}
