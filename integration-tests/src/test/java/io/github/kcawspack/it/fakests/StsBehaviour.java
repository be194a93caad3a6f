package io.github.kcawspack.it.fakests;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What the fake does with the next request. {@link #normal()} is real STS; every other behaviour
 * is a failure a careful client must survive, and answers whatever the request was (signed or
 * not), so that only the client's handling of the answer is under test.
 */
@FunctionalInterface
public interface StsBehaviour {

    StsAnswer answer(StsCall call);

    /** The same answer, after {@code delay} (before the status line is sent). */
    default StsBehaviour delayedBy(Duration delay) {
        return call -> answer(call).delayedBy(delay);
    }

    /** The same answer, its body written {@code chunkBytes} at a time with {@code interval} between. */
    default StsBehaviour dripped(int chunkBytes, Duration interval) {
        return call -> answer(call).dripped(chunkBytes, interval);
    }

    /** What real STS would answer: the caller's identity, or AWS's error for the request. */
    static StsBehaviour normal() {
        return call -> StsAnswer.respond(call.awsAnswer());
    }

    /** An STS error document with any code and status, e.g. Throttling 400, InternalFailure 500. */
    static StsBehaviour error(String code, int status, String message) {
        return call -> StsAnswer.respond(xml(status,
                StsXml.errorResponse(new AwsError(code, status, message), call.requestId())));
    }

    static StsBehaviour throttling() {
        return error("Throttling", 400, "Rate exceeded");
    }

    static StsBehaviour expiredToken() {
        return error("ExpiredToken", 403, "The security token included in the request is expired");
    }

    static StsBehaviour internalFailure() {
        return error("InternalFailure", 500, "The request processing has failed because of an unknown error,"
                + " exception or failure.");
    }

    static StsBehaviour serviceUnavailable() {
        return error("ServiceUnavailable", 503, "Service is unable to handle request.");
    }

    /** Reads the request, then closes the TCP connection without a status line. */
    static StsBehaviour closeWithoutAnswer() {
        return call -> StsAnswer.closeConnection();
    }

    /** Reads the request, then resets the TCP connection (RST) without a status line. */
    static StsBehaviour resetConnection() {
        return call -> StsAnswer.resetConnection();
    }

    /**
     * A dead STS that still accepts connections: reads the request and sends nothing for
     * {@code hang}, then what STS would answer. Closing the fake ends the wait early.
     */
    static StsBehaviour hangBeforeHeaders(Duration hang) {
        return normal().delayedBy(hang);
    }

    /**
     * What STS would answer, headers at once, then the body one byte every {@code interval}: each
     * read returns quickly, so only a deadline on the whole exchange stops a client from waiting.
     */
    static StsBehaviour dripBody(Duration interval) {
        return normal().dripped(1, interval);
    }

    /** 302 to {@code location}; a client that follows it would send the signed request elsewhere. */
    static StsBehaviour redirectTo(String location) {
        return call -> StsAnswer.respond(new StsResponse(302, null, Map.of("Location", location), new byte[0]));
    }

    /**
     * 302 to this same fake under the host name {@code localhost} and path {@code /redirected}: a
     * client that follows shows up in {@link FakeSts#requests()} with that path.
     */
    static StsBehaviour redirectToAnotherHost() {
        return call -> redirectTo(call.fakeBaseUrl().replace("127.0.0.1", "localhost") + "/redirected").answer(call);
    }

    /** A well-formed identity document padded (inside an XML comment) to {@code totalBytes}. */
    static StsBehaviour oversizeBody(int totalBytes) {
        return call -> {
            String base = StsXml.identityDocument(StsXml.NAMESPACE, List.of(call.identityOrExample()),
                    call.requestId(), "");
            int padding = Math.max(0, totalBytes - base.getBytes(StandardCharsets.UTF_8).length - "<!--  -->\n".length());
            String document = StsXml.identityDocument(StsXml.NAMESPACE, List.of(call.identityOrExample()),
                    call.requestId(), "<!-- " + "x".repeat(padding) + " -->\n");
            return StsAnswer.respond(xml(200, document));
        };
    }

    /** The identity in AWS's JSON shape, with Content-Type application/json. */
    static StsBehaviour jsonBody() {
        return call -> {
            StsIdentity identity = call.identityOrExample();
            String json = "{\"GetCallerIdentityResponse\":{\"GetCallerIdentityResult\":{\"Arn\":\"" + identity.arn()
                    + "\",\"UserId\":\"" + identity.userId() + "\",\"Account\":\"" + identity.account()
                    + "\"},\"ResponseMetadata\":{\"RequestId\":\"" + call.requestId() + "\"}}}";
            return StsAnswer.respond(StsResponse.of(200, "application/json", json));
        };
    }

    /** A captive-portal-like HTML page with status 200. */
    static StsBehaviour htmlBody() {
        return call -> StsAnswer.respond(StsResponse.of(200, "text/html; charset=utf-8",
                "<!DOCTYPE html><html><head><title>Sign in</title></head><body><p>Please sign in to continue.</p>"
                        + "<p>arn:aws:iam::123456789012:user/alice</p></body></html>"));
    }

    /**
     * A DOCTYPE whose internal entity puts another account's root ARN into Arn: a parser that
     * expands entities would report a different caller than the document shows.
     */
    static StsBehaviour xmlWithInternalEntity() {
        return call -> {
            StsIdentity identity = call.identityOrExample();
            String document = "<?xml version=\"1.0\"?>\n"
                    + "<!DOCTYPE GetCallerIdentityResponse [<!ENTITY arn \"arn:aws:iam::999999999999:root\">]>\n"
                    + StsXml.identityDocument(StsXml.NAMESPACE, List.of(identity), call.requestId(), "")
                            .replace("<Arn>" + StsXml.escape(identity.arn()) + "</Arn>", "<Arn>&arn;</Arn>");
            return StsAnswer.respond(xml(200, document));
        };
    }

    /** A DOCTYPE with an external entity (XXE) reading a local file into Arn. */
    static StsBehaviour xmlWithExternalEntity() {
        return call -> {
            StsIdentity identity = call.identityOrExample();
            String document = "<?xml version=\"1.0\"?>\n"
                    + "<!DOCTYPE GetCallerIdentityResponse [<!ENTITY arn SYSTEM \"file:///etc/hostname\">]>\n"
                    + StsXml.identityDocument(StsXml.NAMESPACE, List.of(identity), call.requestId(), "")
                            .replace("<Arn>" + StsXml.escape(identity.arn()) + "</Arn>", "<Arn>&arn;</Arn>");
            return StsAnswer.respond(xml(200, document));
        };
    }

    /** The right document in a namespace that is not STS's. */
    static StsBehaviour wrongNamespace() {
        return call -> StsAnswer.respond(xml(200, StsXml.identityDocument(
                "https://sts.amazonaws.com/doc/2011-06-16/", List.of(call.identityOrExample()), call.requestId(), "")));
    }

    /** Two GetCallerIdentityResult elements: the caller's, then another account's. */
    static StsBehaviour twoResults() {
        return call -> StsAnswer.respond(xml(200, StsXml.identityDocument(StsXml.NAMESPACE,
                List.of(call.identityOrExample(), new StsIdentity("arn:aws:iam::999999999999:user/mallory",
                        "AIDAMALLORYEXAMPLE", "999999999999")),
                call.requestId(), "")));
    }

    /** Arn, UserId and Account present but empty. */
    static StsBehaviour emptyFields() {
        return call -> StsAnswer.respond(xml(200, StsXml.identityDocument(StsXml.NAMESPACE,
                List.of(new StsIdentity("", "", "")), call.requestId(), "")));
    }

    /** The caller's Arn with another Account, and a UserId that does not go with the Arn. */
    static StsBehaviour inconsistentFields() {
        return call -> {
            StsIdentity identity = call.identityOrExample();
            return StsAnswer.respond(xml(200, StsXml.identityDocument(StsXml.NAMESPACE,
                    List.of(new StsIdentity(identity.arn(), "AIDAOTHERUSEREXAMPLE", "999999999999")),
                    call.requestId(), "")));
        };
    }

    /** Anything at all. */
    static StsBehaviour respond(int status, String contentType, String body) {
        return call -> StsAnswer.respond(StsResponse.of(status, contentType, body));
    }

    private static StsResponse xml(int status, String document) {
        return StsResponse.of(status, "text/xml", document);
    }
}
