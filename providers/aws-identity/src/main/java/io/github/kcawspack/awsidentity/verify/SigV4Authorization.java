package io.github.kcawspack.awsidentity.verify;

import io.github.kcawspack.awsidentity.AwsIdentityRejection;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The parts of a SigV4 {@code Authorization} header we check before calling STS. We do not
 * verify the signature (only AWS holds the secret key); we check that it was made for STS, in
 * the requested region, on the date it claims, over the headers we require.
 */
public record SigV4Authorization(String accessKeyId, String date, String region, String service,
                                 List<String> signedHeaders, String signature) {

    public static final String ALGORITHM = "AWS4-HMAC-SHA256";

    private static final Pattern HEADER = Pattern.compile(
            "AWS4-HMAC-SHA256 Credential=([A-Z0-9]{16,128})/(\\d{8})/([a-z0-9-]{1,32})/([a-z0-9-]{1,32})/aws4_request,"
                    + " ?SignedHeaders=([a-z0-9;-]{1,1024}), ?Signature=([0-9a-f]{64})");

    public static SigV4Authorization parse(String authorization) {
        if (!authorization.startsWith(ALGORITHM + " ")) {
            throw AwsIdentityRejection.invalidRequest("signature_algorithm_invalid",
                    "Authorization must use " + ALGORITHM);
        }
        Matcher m = HEADER.matcher(authorization);
        if (!m.matches()) {
            throw AwsIdentityRejection.invalidRequest("authorization_malformed",
                    "Authorization is not a well-formed SigV4 header (Credential, SignedHeaders, Signature)");
        }
        List<String> signed = Arrays.asList(m.group(5).split(";", -1));
        if (signed.stream().anyMatch(String::isEmpty) || !isSortedAndUnique(signed)) {
            throw AwsIdentityRejection.invalidRequest("authorization_malformed",
                    "SignedHeaders must be a sorted list of distinct lower-case names");
        }
        return new SigV4Authorization(m.group(1), m.group(2), m.group(3), m.group(4), List.copyOf(signed), m.group(6));
    }

    private static boolean isSortedAndUnique(List<String> names) {
        for (int i = 1; i < names.size(); i++) {
            if (names.get(i - 1).compareTo(names.get(i)) >= 0) {
                return false;
            }
        }
        return true;
    }

    public boolean signs(String lowerCaseHeaderName) {
        return signedHeaders.contains(lowerCaseHeaderName);
    }
}
