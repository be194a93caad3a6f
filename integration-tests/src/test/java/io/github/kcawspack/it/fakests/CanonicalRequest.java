package io.github.kcawspack.it.fakests;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Task 1 of SigV4: the canonical request, rebuilt from what arrived on the wire.
 *
 * <pre>
 * METHOD \n CanonicalURI \n CanonicalQueryString \n CanonicalHeaders \n SignedHeaders \n hex(SHA256(body))
 * </pre>
 *
 * <p>The receiving side's view matters here: a client encodes its path once before sending and
 * once more while signing ("every service but S3 encodes twice"), so the server must encode the
 * path <em>as received</em> once more. Query parameters are encoded once in total, so they are
 * decoded from the wire and encoded again.
 */
public final class CanonicalRequest {

    private CanonicalRequest() {
    }

    /**
     * The canonical request for {@code request}, signing the headers named in {@code signedHeaders}
     * (lowercase, sorted: {@link AuthorizationHeader} guarantees it).
     */
    public static String of(ReceivedRequest request, List<String> signedHeaders) {
        return request.method() + "\n"
                + canonicalUri(request.rawPath()) + "\n"
                + canonicalQuery(request.rawQuery()) + "\n"
                + canonicalHeaders(request.headers(), signedHeaders) + "\n"
                + String.join(";", signedHeaders) + "\n"
                + SigV4Crypto.sha256Hex(request.body());
    }

    /**
     * Normalises the path (RFC 3986 dot segments, empty segments dropped as AWS's vectors require),
     * then URI-encodes each segment, including any '%' already in it.
     */
    static String canonicalUri(String rawPath) {
        if (rawPath == null || rawPath.isEmpty()) {
            return "/";
        }
        Deque<String> segments = new ArrayDeque<>();
        for (String segment : rawPath.split("/")) {
            if (segment.isEmpty() || segment.equals(".")) {
                continue;
            }
            if (segment.equals("..")) {
                segments.pollLast();
                continue;
            }
            segments.addLast(segment);
        }
        if (segments.isEmpty()) {
            return "/";
        }
        String path = segments.stream().map(CanonicalRequest::uriEncode).collect(Collectors.joining("/", "/", ""));
        return rawPath.endsWith("/") ? path + "/" : path;
    }

    /**
     * Each {@code name=value} decoded from the wire, encoded with SigV4's rules, sorted by name then
     * value (byte order), joined with '&'. A parameter without '=' has an empty value.
     */
    static String canonicalQuery(String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return "";
        }
        List<String[]> pairs = new ArrayList<>();
        for (String parameter : rawQuery.split("&")) {
            if (parameter.isEmpty()) {
                continue;
            }
            int equals = parameter.indexOf('=');
            String name = equals < 0 ? parameter : parameter.substring(0, equals);
            String value = equals < 0 ? "" : parameter.substring(equals + 1);
            pairs.add(new String[] {uriEncode(percentDecode(name)), uriEncode(percentDecode(value))});
        }
        pairs.sort((a, b) -> a[0].equals(b[0]) ? a[1].compareTo(b[1]) : a[0].compareTo(b[0]));
        return pairs.stream().map(pair -> pair[0] + "=" + pair[1]).collect(Collectors.joining("&"));
    }

    /**
     * One {@code name:value\n} line per signed header: lowercase name, values trimmed with inner
     * runs of spaces collapsed, several values of one header joined by ',' in arrival order. A
     * signed header that is absent contributes an empty value, so the signature cannot match a
     * request that had it.
     */
    static String canonicalHeaders(Map<String, List<String>> headers, List<String> signedHeaders) {
        StringBuilder lines = new StringBuilder();
        for (String name : signedHeaders) {
            List<String> values = headers.getOrDefault(name, List.of());
            lines.append(name).append(':')
                    .append(values.stream().map(CanonicalRequest::trimAll).collect(Collectors.joining(",")))
                    .append('\n');
        }
        return lines.toString();
    }

    /** SigV4's "Trimall": strip surrounding whitespace, turn each run of spaces into one space. */
    static String trimAll(String value) {
        return value.strip().replaceAll(" {2,}", " ");
    }

    /** Keeps A-Z a-z 0-9 - _ . ~ and percent-encodes every other UTF-8 byte in uppercase hex. */
    static String uriEncode(String text) {
        StringBuilder encoded = new StringBuilder();
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '_' || c == '.' || c == '~') {
                encoded.append(c);
            } else {
                encoded.append('%').append(Character.toUpperCase(Character.forDigit((b >> 4) & 0xf, 16)))
                        .append(Character.toUpperCase(Character.forDigit(b & 0xf, 16)));
            }
        }
        return encoded.toString();
    }

    /** Decodes %XX sequences only ('+' stays a plus sign: SigV4 is not form decoding). */
    static String percentDecode(String text) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        byte[] raw = text.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < raw.length; i++) {
            if (raw[i] == '%' && i + 2 < raw.length && isHex(raw[i + 1]) && isHex(raw[i + 2])) {
                bytes.write(Character.digit(raw[i + 1], 16) * 16 + Character.digit(raw[i + 2], 16));
                i += 2;
            } else {
                bytes.write(raw[i]);
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static boolean isHex(byte b) {
        return Character.digit(b, 16) >= 0;
    }
}
