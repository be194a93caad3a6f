package io.github.kcawspack.it.fakests;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A parsed {@code Authorization: AWS4-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=...}.
 *
 * <p>Strict on purpose: one algorithm, the three components exactly once each, a five-part
 * credential, SignedHeaders lowercase, sorted and without duplicates (what every AWS SDK sends, and
 * what the canonical request needs to be unambiguous). Anything else is {@code IncompleteSignature},
 * the code AWS uses for an Authorization header it cannot read.
 */
public record AuthorizationHeader(String accessKeyId, CredentialScope scope, List<String> signedHeaders,
        String signature) {

    public static final String ALGORITHM = "AWS4-HMAC-SHA256";

    private static final Pattern HEADER_NAME = Pattern.compile("[a-z0-9!#$%&'*+.^_`|~-]+");

    /** Thrown with the AWS error to answer. */
    public static final class Malformed extends Exception {
        private final AwsError error;

        Malformed(AwsError error) {
            super(error.message(), null, false, false);
            this.error = error;
        }

        public AwsError error() {
            return error;
        }
    }

    public static AuthorizationHeader parse(String value) throws Malformed {
        int space = value.indexOf(' ');
        String algorithm = space < 0 ? value : value.substring(0, space);
        if (!ALGORITHM.equals(algorithm)) {
            throw incomplete("Unsupported AWS 'algorithm': '" + algorithm + "'");
        }
        if (space < 0) {
            throw incomplete("Authorization header has no Credential, SignedHeaders and Signature");
        }
        Map<String, String> components = components(value.substring(space + 1));

        String credential = components.get("Credential");
        String signedHeaders = components.get("SignedHeaders");
        String signature = components.get("Signature");
        if (credential == null || signedHeaders == null || signature == null) {
            throw incomplete("Authorization header requires 'Credential', 'SignedHeaders' and 'Signature'"
                    + " parameters. Authorization=" + value);
        }
        return new AuthorizationHeader(accessKeyIdOf(credential), scopeOf(credential),
                signedHeaderNames(signedHeaders), signature);
    }

    /** {@code Name=value} pairs separated by commas; AWS tolerates spaces after the commas, so do we. */
    private static Map<String, String> components(String list) throws Malformed {
        Map<String, String> found = new HashMap<>();
        for (String part : list.split(",", -1)) {
            String trimmed = part.strip();
            int equals = trimmed.indexOf('=');
            if (equals <= 0) {
                throw incomplete("Authorization header component is not 'Name=value': '" + trimmed + "'");
            }
            String name = trimmed.substring(0, equals);
            if (!List.of("Credential", "SignedHeaders", "Signature").contains(name)) {
                throw incomplete("Unknown Authorization header component '" + name + "'");
            }
            if (found.put(name, trimmed.substring(equals + 1)) != null) {
                throw incomplete("Authorization header component '" + name + "' appears twice");
            }
        }
        return found;
    }

    private static String accessKeyIdOf(String credential) throws Malformed {
        String[] parts = credentialParts(credential);
        return parts[0];
    }

    private static CredentialScope scopeOf(String credential) throws Malformed {
        String[] parts = credentialParts(credential);
        return new CredentialScope(parts[1], parts[2], parts[3], parts[4]);
    }

    private static String[] credentialParts(String credential) throws Malformed {
        String[] parts = credential.split("/", -1);
        if (parts.length != 5) {
            throw incomplete("Credential must have exactly 5 slash-separated components:"
                    + " accessKeyId/yyyymmdd/region/service/aws4_request; got '" + credential + "'");
        }
        for (String part : parts) {
            if (part.isEmpty()) {
                throw incomplete("Credential has an empty component: '" + credential + "'");
            }
        }
        return parts;
    }

    private static List<String> signedHeaderNames(String list) throws Malformed {
        List<String> names = List.of(list.split(";", -1));
        String previous = "";
        for (String name : names) {
            if (!HEADER_NAME.matcher(name).matches()) {
                throw incomplete("SignedHeaders must be lowercase header names separated by ';': '" + list + "'");
            }
            // Sorted and unique: the canonical request is only well defined for that form.
            if (name.compareTo(previous) <= 0) {
                throw incomplete("SignedHeaders must be sorted and unique: '" + list + "'");
            }
            previous = name;
        }
        return names;
    }

    private static Malformed incomplete(String message) {
        return new Malformed(AwsError.incompleteSignature(message));
    }
}
