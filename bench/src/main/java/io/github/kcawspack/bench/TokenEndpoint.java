package io.github.kcawspack.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The realm's token endpoint over plain HTTP/1.1 with keep-alive, as an OAuth2 library calls it.
 * One client for all workers: the JDK keeps a connection per concurrent request and reuses it.
 */
final class TokenEndpoint {

    /** What one request gave: a token, or why not. */
    record Outcome(boolean token, String error) {
    }

    private final URI uri;
    private final HttpClient http = HttpClient.newBuilder()
            // HTTP/2 would first try an h2c upgrade on plain http; OAuth2 clients speak HTTP/1.1.
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();

    TokenEndpoint(URI uri) {
        this.uri = uri;
    }

    Outcome post(TokenRequest request) {
        try {
            HttpResponse<String> response = exchange(request);
            boolean token = response.statusCode() == 200 && response.body().contains("\"access_token\"");
            return new Outcome(token, token ? null : errorOf(response));
        } catch (IOException e) {
            return new Outcome(false, e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Outcome(false, "interrupted");
        }
    }

    /** The JSON of a successful token response, for set-up steps that need a token's fields. */
    String obtain(TokenRequest request) {
        try {
            HttpResponse<String> response = exchange(request);
            if (response.statusCode() != 200) {
                throw new IllegalStateException("token request refused during set-up: " + errorOf(response));
            }
            return response.body();
        } catch (IOException e) {
            throw new IllegalStateException("token request failed during set-up", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private HttpResponse<String> exchange(TokenRequest request) throws IOException, InterruptedException {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri)
                .timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(request.form()));
        if (request.authorization() != null) {
            builder.header("Authorization", request.authorization());
        }
        return http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Status and OAuth2 error of a refusal (never a token): enough to tell failures apart. */
    private static String errorOf(HttpResponse<String> response) {
        String body = response.body();
        return response.statusCode() + " " + (body.length() > 160 ? body.substring(0, 160) + "..." : body);
    }
}
