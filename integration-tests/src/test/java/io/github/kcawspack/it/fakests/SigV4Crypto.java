package io.github.kcawspack.it.fakests;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** The three primitives of SigV4: SHA-256 in lowercase hex, HMAC-SHA256, and the derived signing key. */
final class SigV4Crypto {

    private SigV4Crypto() {
    }

    static String sha256Hex(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK always has SHA-256", e);
        }
    }

    static String sha256Hex(String text) {
        return sha256Hex(text.getBytes(StandardCharsets.UTF_8));
    }

    static byte[] hmacSha256(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK always has HmacSHA256", e);
        }
    }

    /** kSigning = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), service), "aws4_request"). */
    static byte[] signingKey(String secretKey, CredentialScope scope) {
        byte[] kDate = hmacSha256(("AWS4" + secretKey).getBytes(StandardCharsets.UTF_8), scope.date());
        byte[] kRegion = hmacSha256(kDate, scope.region());
        byte[] kService = hmacSha256(kRegion, scope.service());
        return hmacSha256(kService, scope.terminator());
    }

    static String signatureHex(String secretKey, CredentialScope scope, String stringToSign) {
        return HexFormat.of().formatHex(hmacSha256(signingKey(secretKey, scope), stringToSign));
    }

    /** Compares without leaking, through timing, how many leading characters matched. */
    static boolean constantTimeEquals(String expected, String actual) {
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
                actual.getBytes(StandardCharsets.UTF_8));
    }
}
