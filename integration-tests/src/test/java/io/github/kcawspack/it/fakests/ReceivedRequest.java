package io.github.kcawspack.it.fakests;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * An HTTP request as it arrived on the wire: method, path and query exactly as sent (still
 * percent-encoded), every header value in arrival order, the body bytes.
 *
 * <p>Header names are case-insensitive (HTTP says so); several lines with one name keep all their
 * values, because SigV4 signs all of them.
 */
public record ReceivedRequest(String method, String rawPath, String rawQuery,
        Map<String, List<String>> headers, byte[] body) {

    public ReceivedRequest {
        TreeMap<String, List<String>> caseInsensitive = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.forEach((name, values) ->
                caseInsensitive.computeIfAbsent(name, n -> new ArrayList<>()).addAll(values));
        caseInsensitive.replaceAll((name, values) -> List.copyOf(values));
        headers = Collections.unmodifiableMap(caseInsensitive);
        rawQuery = rawQuery == null ? "" : rawQuery;
        body = body.clone();
    }

    /** Every value of a header, in arrival order; empty when absent. */
    public List<String> values(String name) {
        return headers.getOrDefault(name, List.of());
    }

    /** The header's only value; null when absent, and also null when it came more than once. */
    public String single(String name) {
        List<String> values = values(name);
        return values.size() == 1 ? values.get(0) : null;
    }

    @Override
    public byte[] body() {
        return body.clone();
    }

    public String bodyAsString() {
        return new String(body, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return method + " " + rawPath + (rawQuery.isEmpty() ? "" : "?" + rawQuery) + " " + headers
                + " body=" + bodyAsString();
    }
}
