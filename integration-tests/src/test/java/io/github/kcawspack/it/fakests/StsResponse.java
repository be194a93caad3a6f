package io.github.kcawspack.it.fakests;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** An HTTP answer of the fake STS: status, Content-Type (null for none), extra headers, body. */
public record StsResponse(int status, String contentType, Map<String, String> headers, byte[] body) {

    public StsResponse {
        headers = Map.copyOf(headers);
        body = body.clone();
    }

    public static StsResponse of(int status, String contentType, String body) {
        return new StsResponse(status, contentType, Map.of(), body.getBytes(StandardCharsets.UTF_8));
    }

    public StsResponse withHeader(String name, String value) {
        Map<String, String> more = new LinkedHashMap<>(headers);
        more.put(name, value);
        return new StsResponse(status, contentType, more, body);
    }

    @Override
    public byte[] body() {
        return body.clone();
    }

    int bodyLength() {
        return body.length;
    }

    byte[] bodyUnsafe() {
        return body;
    }
}
