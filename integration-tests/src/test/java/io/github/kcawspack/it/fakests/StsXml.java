package io.github.kcawspack.it.fakests;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.stream.Collectors;

/** The XML documents STS answers GetCallerIdentity and GetWebIdentityToken with, and broken variants for failure tests. */
public final class StsXml {

    public static final String NAMESPACE = "https://sts.amazonaws.com/doc/2011-06-15/";

    private StsXml() {
    }

    /** A successful answer, laid out as STS lays it out. */
    public static String identityResponse(StsIdentity identity, String requestId) {
        return identityDocument(NAMESPACE, List.of(identity), requestId, "");
    }

    /**
     * A GetCallerIdentityResponse in {@code namespace} with one result per identity (STS always has
     * exactly one) and {@code extra} inserted before ResponseMetadata (padding, comments).
     */
    static String identityDocument(String namespace, List<StsIdentity> identities, String requestId, String extra) {
        String results = identities.stream().map(identity -> ""
                + "  <GetCallerIdentityResult>\n"
                + "    <Arn>" + escape(identity.arn()) + "</Arn>\n"
                + "    <UserId>" + escape(identity.userId()) + "</UserId>\n"
                + "    <Account>" + escape(identity.account()) + "</Account>\n"
                + "  </GetCallerIdentityResult>\n").collect(Collectors.joining());
        return "<GetCallerIdentityResponse xmlns=\"" + escape(namespace) + "\">\n"
                + results
                + extra
                + "  <ResponseMetadata>\n"
                + "    <RequestId>" + escape(requestId) + "</RequestId>\n"
                + "  </ResponseMetadata>\n"
                + "</GetCallerIdentityResponse>\n";
    }

    /** A successful GetWebIdentityToken answer (STS API reference, GetWebIdentityToken response elements). */
    public static String webIdentityTokenResponse(String token, Instant expiration, String requestId) {
        return "<GetWebIdentityTokenResponse xmlns=\"" + NAMESPACE + "\">\n"
                + "  <GetWebIdentityTokenResult>\n"
                + "    <WebIdentityToken>" + escape(token) + "</WebIdentityToken>\n"
                + "    <Expiration>" + DateTimeFormatter.ISO_INSTANT.format(expiration.truncatedTo(ChronoUnit.MILLIS))
                + "</Expiration>\n"
                + "  </GetWebIdentityTokenResult>\n"
                + "  <ResponseMetadata>\n"
                + "    <RequestId>" + escape(requestId) + "</RequestId>\n"
                + "  </ResponseMetadata>\n"
                + "</GetWebIdentityTokenResponse>\n";
    }

    /** STS's error document; Type is Sender for client errors and Receiver for its own failures. */
    public static String errorResponse(AwsError error, String requestId) {
        return "<ErrorResponse xmlns=\"" + NAMESPACE + "\">\n"
                + "  <Error>\n"
                + "    <Type>" + (error.httpStatus() >= 500 ? "Receiver" : "Sender") + "</Type>\n"
                + "    <Code>" + escape(error.code()) + "</Code>\n"
                + "    <Message>" + escape(error.message()) + "</Message>\n"
                + "  </Error>\n"
                + "  <RequestId>" + escape(requestId) + "</RequestId>\n"
                + "</ErrorResponse>\n";
    }

    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;")
                .replace("'", "&apos;");
    }
}
