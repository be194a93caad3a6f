package io.github.kcawspack.bench;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The realm's token endpoint over plain HTTP/1.1 with keep-alive, as an OAuth2 library calls it.
 * One client for all workers: the JDK keeps a connection per concurrent request and reuses it.
 */
final class TokenEndpoint {

    /**
     * One POST to the token endpoint, encoded before the clock starts: a worker only sends bytes.
     *
     * @param form          the URL-encoded body
     * @param authorization the Authorization header value (HTTP Basic), or null for a public client
     */
    record Request(String form, String authorization) {
        static Request of(Map<String, String> parameters, String clientId, String clientSecret) {
            return new Request(parameters.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)
                    + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&")),
                    clientSecret == null ? null : "Basic " + Base64.getEncoder().encodeToString(
                            (clientId + ":" + clientSecret).getBytes(StandardCharsets.UTF_8)));
        }
    }

    /** Where a worker's next request comes from; called by many workers at once. */
    @FunctionalInterface
    interface Source {
        /** @param worker the calling worker's number, from 0, for sources that keep per-client state */
        Request next(int worker);
    }

    /** What one request gave: the token response's JSON, or why there was none (status and OAuth2 error). */
    record Outcome(boolean token, String body, String error) {
    }

    private final URI uri;
    private final HttpClient http = HttpClient.newBuilder()
            // HTTP/2 would first try an h2c upgrade on plain http; OAuth2 clients speak HTTP/1.1.
            .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER).build();

    TokenEndpoint(URI uri) {
        this.uri = uri;
    }

    Outcome post(Request request) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(request.form()));
        if (request.authorization() != null) {
            builder.header("Authorization", request.authorization());
        }
        try {
            HttpResponse<String> response = http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
            String body = response.body();
            boolean token = response.statusCode() == 200 && body.contains("\"access_token\"");
            return new Outcome(token, body, token ? null
                    : response.statusCode() + " " + (body.length() > 160 ? body.substring(0, 160) + "..." : body));
        } catch (IOException e) {
            return new Outcome(false, null, e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Outcome(false, null, "interrupted");
        }
    }

    /** The JSON of a successful token response, for set-up steps that need a token's fields. */
    String obtain(Request request) {
        Outcome outcome = post(request);
        if (!outcome.token()) {
            throw new IllegalStateException("token request refused during set-up: " + outcome.error());
        }
        return outcome.body();
    }
}
