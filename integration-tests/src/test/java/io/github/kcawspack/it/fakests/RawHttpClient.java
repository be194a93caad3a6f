package io.github.kcawspack.it.fakests;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A minimal HTTP/1.1 client over a plain socket that sends headers exactly as given, Host
 * included. The JDK's {@code HttpClient} refuses to set Host, and {@code HttpURLConnection} only
 * allows it through the JVM-wide {@code sun.net.http.allowRestrictedHeaders} property, read once
 * per JVM; a socket is simpler and byte-exact. One instance is one TCP connection, reusable for
 * several requests (keep-alive) until the server closes it.
 */
public final class RawHttpClient implements AutoCloseable {

    /** A request line target ("/" or "/path?query"), headers in order, body. */
    public record Request(String method, String target, List<Map.Entry<String, String>> headers, byte[] body) {
        public Request {
            headers = List.copyOf(headers);
            body = body.clone();
        }
    }

    /** A response: status, headers (case-insensitive names), body. */
    public record Response(int status, Map<String, List<String>> headers, byte[] body) {
        public String header(String name) {
            List<String> values = headers.get(name);
            return values == null ? null : values.get(0);
        }

        public String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            return status + " " + headers + "\n" + bodyText();
        }
    }

    /** The server closed the connection before a complete status line and headers arrived. */
    public static final class NoResponseException extends EOFException {
        NoResponseException(String message) {
            super(message);
        }
    }

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    public RawHttpClient(URI baseUrl, Duration readTimeout) throws IOException {
        socket = new Socket();
        socket.connect(new InetSocketAddress(baseUrl.getHost(), baseUrl.getPort()), 5_000);
        socket.setSoTimeout((int) readTimeout.toMillis());
        socket.setTcpNoDelay(true);
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    /** Opens a connection, sends one request, reads the answer, closes. */
    public static Response exchange(URI baseUrl, Request request, Duration readTimeout) throws IOException {
        try (RawHttpClient client = new RawHttpClient(baseUrl, readTimeout)) {
            return client.send(request);
        }
    }

    public Response send(Request request) throws IOException {
        StringBuilder head = new StringBuilder(request.method()).append(' ').append(request.target())
                .append(" HTTP/1.1\r\n");
        for (Map.Entry<String, String> header : request.headers()) {
            head.append(header.getKey()).append(": ").append(header.getValue()).append("\r\n");
        }
        head.append("\r\n");
        // Head and body in one write, as Keycloak's HTTP client (Apache HttpClient, which buffers
        // both) sends a small request: one TCP segment, not two.
        byte[] headBytes = head.toString().getBytes(StandardCharsets.UTF_8);
        byte[] whole = Arrays.copyOf(headBytes, headBytes.length + request.body().length);
        System.arraycopy(request.body(), 0, whole, headBytes.length, request.body().length);
        out.write(whole);
        out.flush();
        return readResponse(request.method().equals("HEAD"));
    }

    private Response readResponse(boolean headRequest) throws IOException {
        String statusLine = readLine();
        if (statusLine == null) {
            throw new NoResponseException("connection closed without a response");
        }
        String[] parts = statusLine.split(" ", 3);
        int status = Integer.parseInt(parts[1]);
        Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (String line; !(line = requireLine()).isEmpty(); ) {
            int colon = line.indexOf(':');
            headers.computeIfAbsent(line.substring(0, colon).strip(), n -> new ArrayList<>())
                    .add(line.substring(colon + 1).strip());
        }
        byte[] body;
        String length = headers.containsKey("Content-Length") ? headers.get("Content-Length").get(0) : null;
        String transfer = headers.containsKey("Transfer-Encoding") ? headers.get("Transfer-Encoding").get(0) : "";
        if (headRequest || status == 204 || status == 304 || (status >= 100 && status < 200)) {
            body = new byte[0];
        } else if (transfer.equalsIgnoreCase("chunked")) {
            body = readChunked();
        } else if (length != null) {
            body = readExactly(Integer.parseInt(length));
        } else {
            body = in.readAllBytes();
        }
        return new Response(status, headers, body);
    }

    private byte[] readChunked() throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String sizeLine = requireLine();
            int size = Integer.parseInt(sizeLine.split(";", 2)[0].strip(), 16);
            if (size == 0) {
                while (!requireLine().isEmpty()) {
                    // trailers: ignored
                }
                return body.toByteArray();
            }
            body.write(readExactly(size));
            requireLine();
        }
    }

    private byte[] readExactly(int length) throws IOException {
        byte[] bytes = in.readNBytes(length);
        if (bytes.length != length) {
            throw new EOFException("body ended after " + bytes.length + " of " + length + " bytes");
        }
        return bytes;
    }

    private String requireLine() throws IOException {
        String line = readLine();
        if (line == null) {
            throw new NoResponseException("connection closed inside the response head");
        }
        return line;
    }

    /** A CRLF-terminated line without its terminator; null at end of stream before any byte. */
    private String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b; (b = in.read()) >= 0; ) {
            if (b == '\n') {
                byte[] bytes = line.toByteArray();
                int end = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, end, StandardCharsets.ISO_8859_1);
            }
            line.write(b);
        }
        return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
