package io.github.kcawspack.awsidentity.verify;

/**
 * What STS answered to a forwarded request, unparsed: the HTTP status, the Content-Type header
 * (null when absent) and at most {@code max-response-bytes} of body. The body never leaves this
 * module verbatim.
 */
public record StsReply(int status, String contentType, byte[] body) {
}
