package io.github.kcawspack.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.kcawspack.it.harness.KeycloakServer;
import io.github.kcawspack.it.harness.OAuthClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;

/**
 * A SAML service provider's and a browser's side of Keycloak's SAML logins, over real HTTP:
 * IdP-initiated, SP-initiated with the HTTP-Redirect binding (unsigned AuthnRequest, answer by
 * HTTP-POST), and ECP (SOAP, HTTP Basic). Keycloak's login cookies are Secure, which
 * java.net.CookieManager keeps from plain-HTTP loopback requests, so this class keeps them by hand
 * as a browser sends them; one instance is one browser.
 */
final class SamlFlows {

    private final KeycloakServer server;
    private final String realm;
    /** One for every instance: this class keeps the cookies itself, and the client follows no redirects. */
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private final Map<String, String> cookies = new LinkedHashMap<>();

    SamlFlows(KeycloakServer server, String realm) {
        this.server = server;
        this.realm = realm;
    }

    /** What the browser ended on: the last HTTP answer, and the SAML Response it carries (decoded), if any. */
    record Result(int status, String body) {
        /** The decoded SAMLResponse of Keycloak's auto-submitting form (or of an ECP SOAP answer), or null. */
        String samlResponse() {
            Matcher saml = Pattern.compile("name=\"SAMLResponse\" value=\"([^\"]+)\"").matcher(body);
            if (saml.find()) {
                return new String(Base64.getMimeDecoder().decode(saml.group(1)), StandardCharsets.UTF_8);
            }
            return body.contains(":Response") ? body : null;
        }

        boolean issuedAssertion() {
            String response = samlResponse();
            return response != null && response.contains("Assertion") && response.contains("status:Success");
        }

        @Override
        public String toString() {
            return "HTTP " + status + ": " + (samlResponse() != null ? samlResponse() : body);
        }
    }

    String endpoint() {
        return server.baseUrl() + "/realms/" + realm + "/protocol/saml";
    }

    /** GET of the client's IdP-initiated SSO URL, signing in as {@code user} when the login page shows. */
    Result idpInitiated(String clientUrlName, String user, String password) {
        return signInIfAsked(get(endpoint() + "/clients/" + clientUrlName), user, password);
    }

    /** An unsigned AuthnRequest of {@code issuer} by the HTTP-Redirect binding, answered by HTTP-POST to {@code acs}. */
    Result spInitiated(String issuer, String acs, String user, String password) {
        String request = authnRequest(issuer, acs, "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST");
        String url = endpoint() + "?SAMLRequest=" + URLEncoder.encode(deflate(request), StandardCharsets.UTF_8)
                + "&RelayState=saml-it";
        return signInIfAsked(get(url), user, password);
    }

    /** An unsigned AuthnRequest of {@code issuer} by the HTTP-POST binding (a browser's auto-submitted form). */
    Result spInitiatedByPost(String issuer, String acs, String user, String password) {
        String request = Base64.getEncoder().encodeToString(
                authnRequest(issuer, acs, "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST").getBytes(StandardCharsets.UTF_8));
        String form = OAuthClient.formEncode(OAuthClient.form("SAMLRequest", request, "RelayState", "saml-it"));
        return signInIfAsked(follow(HttpRequest.newBuilder(URI.create(endpoint()))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form))),
                user, password);
    }

    /** The ECP profile (SAML 2.0 profiles section 4.2): a SOAP AuthnRequest with the user's password by HTTP Basic. */
    Result ecp(String issuer, String acs, String user, String password) {
        String soap = "<S:Envelope xmlns:S=\"http://schemas.xmlsoap.org/soap/envelope/\"><S:Body>"
                + authnRequest(issuer, acs, "urn:oasis:names:tc:SAML:2.0:bindings:PAOS") + "</S:Body></S:Envelope>";
        String basic = Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        return send(HttpRequest.newBuilder(URI.create(endpoint())).header("Content-Type", "text/xml; charset=utf-8")
                .header("Authorization", "Basic " + basic).POST(HttpRequest.BodyPublishers.ofString(soap)).build());
    }

    /** GET of the client's IdP-initiated SSO URL only: the login page of a login not finished yet. */
    Result startIdpInitiated(String clientUrlName) {
        return get(endpoint() + "/clients/" + clientUrlName);
    }

    /** Finishes the login whose page is {@code loginPage} (its form posts to Keycloak's login-actions), as {@code user}. */
    Result signIn(Result loginPage, String user, String password) {
        return signInIfAsked(loginPage, user, password);
    }

    /** Forgets the browser's cookies (its SSO session). */
    void clearCookies() {
        cookies.clear();
    }

    private Result signInIfAsked(Result page, String user, String password) {
        Matcher action = Pattern.compile("id=\"kc-form-login\"[^>]*action=\"([^\"]+)\"|action=\"([^\"]+)\"[^>]*id=\"kc-form-login\"")
                .matcher(page.body());
        if (!action.find()) {
            return page;
        }
        String target = (action.group(1) != null ? action.group(1) : action.group(2)).replace("&amp;", "&");
        String form = OAuthClient.formEncode(OAuthClient.form("username", user, "password", password, "credentialId", ""));
        Result answer = follow(HttpRequest.newBuilder(URI.create(target))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)));
        assertThat(answer.body()).as("the login went through").doesNotContain("Invalid username");
        return answer;
    }

    private Result get(String url) {
        return follow(HttpRequest.newBuilder(URI.create(url)).GET());
    }

    /** Sends the request and follows Keycloak's redirects (on the server only) as a browser does. */
    private Result follow(HttpRequest.Builder request) {
        Result result = send(withCookies(request).build());
        HttpResponse<String> last = lastResponse;
        for (int hop = 0; hop < 10 && result.status() / 100 == 3; hop++) {
            String location = last.headers().firstValue("Location").orElseThrow();
            URI next = last.uri().resolve(location);
            if (!next.toString().startsWith(server.baseUrl())) {
                return result;
            }
            result = send(withCookies(HttpRequest.newBuilder(next).GET()).build());
            last = lastResponse;
        }
        return result;
    }

    private HttpResponse<String> lastResponse;

    private HttpRequest.Builder withCookies(HttpRequest.Builder request) {
        if (!cookies.isEmpty()) {
            request.header("Cookie", String.join("; ", cookies.entrySet().stream().map(c -> c.getKey() + "=" + c.getValue()).toList()));
        }
        return request;
    }

    private Result send(HttpRequest request) {
        try {
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            for (String header : response.headers().allValues("Set-Cookie")) {
                String[] pair = header.split(";", 2)[0].split("=", 2);
                if (pair.length == 2 && (pair[1].isEmpty() || header.contains("Max-Age=0"))) {
                    cookies.remove(pair[0]);
                } else if (pair.length == 2) {
                    cookies.put(pair[0], pair[1]);
                }
            }
            lastResponse = response;
            return new Result(response.statusCode(), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String authnRequest(String issuer, String acs, String binding) {
        return "<samlp:AuthnRequest xmlns:samlp=\"urn:oasis:names:tc:SAML:2.0:protocol\" "
                + "xmlns:saml=\"urn:oasis:names:tc:SAML:2.0:assertion\" ID=\"_" + UUID.randomUUID() + "\" Version=\"2.0\" "
                + "IssueInstant=\"" + Instant.now() + "\" AssertionConsumerServiceURL=\"" + acs + "\" "
                + "ProtocolBinding=\"" + binding + "\"><saml:Issuer>" + issuer + "</saml:Issuer></samlp:AuthnRequest>";
    }

    /** HTTP-Redirect binding encoding (SAML 2.0 bindings section 3.4.4.1): raw DEFLATE, then base64. */
    private static String deflate(String xml) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DeflaterOutputStream out = new DeflaterOutputStream(bytes, new Deflater(Deflater.DEFLATED, true))) {
            out.write(xml.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Base64.getEncoder().encodeToString(bytes.toByteArray());
    }
}
