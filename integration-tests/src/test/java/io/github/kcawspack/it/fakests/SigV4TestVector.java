package io.github.kcawspack.it.fakests;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One vector of AWS's SigV4 test suite, read from {@code src/test/resources/sigv4/<name>/} (see the
 * README there for where the files come from).
 */
record SigV4TestVector(String name, ReceivedRequest signedRequest, String authorization) {

    static final String ACCESS_KEY_ID = "AKIDEXAMPLE";
    static final String SECRET_KEY = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    static final String DATE = "20150830T123600Z";
    /** The token the suite's post-sts-token vectors carry (from its readme.txt and .req files). */
    static final String SESSION_TOKEN = "AQoDYXdzEPT//////////wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQWLWsKWHGB"
            + "uFqwAeMicRXmxfpSPfIeoIYRqTflfKD8YUuwthAx7mSEI/qkPpKPi/kMcGdQrmGdeehM4IC1NtBmUpp2wUE8phUZampKsburEDy0K"
            + "PkyQDYwT7WZ0wq5VSXDvp75YU9HFvlRd8Tx6q6fE8YQcHNVXAkiY9q6d+xo0rKwT38xVqr7ZD0u0iPPkUL64lIZbqBAz+scqKml"
            + "zm8FDrypNC9Yjc8fPOLn9FX9KSYvKTr4rvx3iSIlTJabIQwj2ICCR/oLxBA==";

    static SigV4TestVector load(String name) {
        return new SigV4TestVector(name, parseHttp(read(name, "sreq")), read(name, "authz"));
    }

    /** The signature the suite published, from the .authz file. */
    String publishedSignature() {
        return authorization.substring(authorization.indexOf("Signature=") + "Signature=".length());
    }

    AuthorizationHeader parsedAuthorization() throws AuthorizationHeader.Malformed {
        return AuthorizationHeader.parse(authorization);
    }

    private static String read(String name, String extension) {
        String resource = "/sigv4/" + name + "/" + name + "." + extension;
        try (InputStream in = SigV4TestVector.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no test vector file " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The suite's request files: a request line ("GET /path?query HTTP/1.1", where the path may hold
     * raw spaces or UTF-8), "Name:value" lines, an empty line, the body. Leading and trailing
     * whitespace around a value is dropped, as every HTTP/1.1 server does (RFC 9112 section 5); inner
     * whitespace is kept for the verifier to canonicalise.
     */
    static ReceivedRequest parseHttp(String text) {
        int headerEnd = text.indexOf("\n\n");
        String head = headerEnd < 0 ? text : text.substring(0, headerEnd);
        String body = headerEnd < 0 ? "" : text.substring(headerEnd + 2);
        String[] lines = head.split("\n");

        String requestLine = lines[0];
        String method = requestLine.substring(0, requestLine.indexOf(' '));
        String target = requestLine.substring(method.length() + 1, requestLine.lastIndexOf(" HTTP/"));
        int question = target.indexOf('?');
        String path = question < 0 ? target : target.substring(0, question);
        String query = question < 0 ? "" : target.substring(question + 1);

        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.computeIfAbsent(lines[i].substring(0, colon).toLowerCase(), n -> new ArrayList<>())
                    .add(lines[i].substring(colon + 1).strip());
        }
        // The suite's .sreq files omit Content-Length; on the wire a body always comes with it
        // (unsigned here, so it changes no signature, but the verifier must cope with it).
        if (!body.isEmpty() && !headers.containsKey("content-length")) {
            headers.put("content-length", List.of(String.valueOf(body.getBytes(StandardCharsets.UTF_8).length)));
        }
        return new ReceivedRequest(method, path, query, headers, body.getBytes(StandardCharsets.UTF_8));
    }
}
