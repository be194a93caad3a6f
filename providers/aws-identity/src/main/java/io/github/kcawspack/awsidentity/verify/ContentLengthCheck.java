package io.github.kcawspack.awsidentity.verify;

import io.github.kcawspack.awsidentity.AwsIdentityRejection;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Step "validate Content-Length": some signers (the AWS SDK for Go v1 and v2, the {@code aws4}
 * npm module) sign the {@code Content-Length} of every request with a body, so the header must be
 * accepted to let them log in. It is accepted only when it states exactly the byte length of
 * {@code post_body} and is covered by the signature: the server frames the forwarded request itself
 * from {@code post_body}, and a signed length equal to that body is the only value under which the
 * request STS receives is the request the client signed. Any other value could describe a different
 * framing than the one sent (request smuggling through a proxy in between) and is refused; an
 * unsigned one is refused because nothing but STS's verdict on the signature vouches for a header.
 */
public final class ContentLengthCheck {

    public static final String CONTENT_LENGTH = "content-length";

    // Canonical decimal only: no sign, no leading zero, no spaces, no list ("43, 43"); the value
    // STS receives is the one the HTTP client writes, so it must be spelled as that one is.
    private static final Pattern DIGITS = Pattern.compile("0|[1-9][0-9]{0,8}");

    private ContentLengthCheck() {
    }

    public static void check(SignedHeaders headers, SigV4Authorization authorization, String postBody) {
        Optional<String> declared = headers.get(CONTENT_LENGTH);
        if (declared.isEmpty()) {
            return;
        }
        int bodyBytes = postBody.getBytes(StandardCharsets.UTF_8).length;
        if (!DIGITS.matcher(declared.get()).matches() || Long.parseLong(declared.get()) != bodyBytes) {
            throw AwsIdentityRejection.invalidRequest("content_length_mismatch",
                    "Content-Length must be the byte length of post_body (" + bodyBytes + ")");
        }
        SignatureScopeCheck.requireSigned(authorization, CONTENT_LENGTH);
    }
}
