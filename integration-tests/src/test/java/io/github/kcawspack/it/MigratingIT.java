package io.github.kcawspack.it;

import static io.github.kcawspack.it.DemoRealm.*;
import static io.github.kcawspack.it.harness.PolicyRealm.words;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jwt.JWTClaimsSet;
import io.github.kcawspack.it.harness.Browser;
import io.github.kcawspack.it.harness.Injected;
import io.github.kcawspack.it.harness.KeycloakExtension;
import io.github.kcawspack.it.harness.KeycloakServer;
import io.github.kcawspack.it.harness.OAuthClient;
import io.github.kcawspack.it.harness.TokenVerifier;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.keycloak.admin.client.resource.UserResource;
import org.openqa.selenium.By;

/**
 * README's "Migrating from a classic OAuth2 server": every documented request of the four replaced
 * servers, read from README's blocks and sent as printed ({@code curl} lines run by bash and curl,
 * addresses opened in Chromium), against the demo realm; each answer is checked against what README
 * writes beside it. Only the host (this server's port) and {@code api-client}'s secret (the harness
 * sets its own) are replaced, as a reader replaces them with theirs.
 *
 * <p>Each documented request is asserted here once. ClassicOAuth2FlowsIT keeps the error answers,
 * ClassicScopeSemanticsIT the scope semantics beyond the documented requests, BrowserFlowsIT the
 * browser flows with {@code openid}, PKCE enforcement and single-use codes.
 */
@ExtendWith(KeycloakExtension.class)
class MigratingIT {

    private static final Path ROOT = Path.of(System.getProperty("project.root", "..")).toAbsolutePath().normalize();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern ASSIGNMENT = Pattern.compile("([A-Z_]+)=.*");
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Z_]+)}");

    @Injected
    KeycloakServer server;
    @Injected
    TokenVerifier tokens;
    @Injected
    OAuthClient oauth;
    @RegisterExtension
    final Browser browser = new Browser();
    @TempDir
    Path work;

    /**
     * Keycloak keeps a user's consent; the README's flows for alice on web-app expect its consent
     * page, so consent another test (BrowserFlowsIT) or an earlier run stored is revoked first.
     */
    @BeforeEach
    void revokeAlicesConsentForWebApp() {
        UserResource alice = server.admin().realm(REALM).users()
                .get(server.admin().realm(REALM).users().search(ALICE, true).get(0).getId());
        if (alice.getConsents().stream().anyMatch(consent -> WEB_APP.equals(consent.get("clientId")))) {
            alice.revokeConsent(WEB_APP);
        }
    }

    @Test
    void djangoOauthToolkit() throws Exception {
        Replay replay = replay("django-oauth-toolkit");

        Reply password = replay.curl();
        password.assertToken();
        assertThat(words(password.text("scope"))).containsExactlyInAnyOrder("read", "write", "groups");
        assertThat(password.json.fieldNames()).toIterable()
                .as("RFC 6749 section 5.1 and Keycloak's own fields, no id")
                .contains("access_token", "token_type", "expires_in", "refresh_token", "scope", "refresh_expires_in",
                        "not-before-policy")
                .doesNotContain("id");
        JWTClaimsSet claims = tokens.verify(password.text("access_token"));
        assertThat(claims.getStringClaim("azp")).isEqualTo(API_CLIENT);
        assertThat(words(claims.getStringClaim("scope"))).containsExactlyInAnyOrder("read", "write", "groups");
        assertThat(claims.getStringListClaim("groups")).as("groups' mapper ran").containsExactly("/staff");
        assertThat(claims.getExpirationTime().getTime() - claims.getIssueTime().getTime()).isEqualTo(3600_000L);
        assertThat(password.json.get("refresh_expires_in").asInt()).as("14 days, counted from the response")
                .isBetween(1209590, 1209600);

        replay.env.put("REFRESH_TOKEN", password.text("refresh_token"));
        Reply refreshed = replay.curl();
        refreshed.assertToken();
        assertThat(refreshed.text("access_token")).isNotEqualTo(password.text("access_token"));
        assertThat(refreshed.text("refresh_token")).isNotEqualTo(password.text("refresh_token"));
        assertThat(words(refreshed.text("scope"))).containsExactlyInAnyOrder("read", "write", "groups");
        assertThat(tokens.verify(refreshed.text("access_token")).getSubject()).isEqualTo(claims.getSubject());

        Reply read = replay.curl();
        read.assertToken();
        assertThat(read.text("scope")).isEqualTo("read");
        JWTClaimsSet readClaims = tokens.verify(read.text("access_token"));
        assertThat(readClaims.getStringClaim("scope")).isEqualTo("read");
        assertThat(readClaims.getClaim("groups")).as("a scope not granted adds none of its claims").isNull();

        String verifier = replay.assign();
        assertThat(verifier).matches("[A-Z0-9]{43,128}");
        assertThat(replay.assign()).matches("[A-Za-z0-9_-]{43}");
        URI callback = replay.browser(ALICE, ALICE_PASSWORD, WEB_APP_REDIRECT, "View your data in the API",
                "Create, change and delete your data in the API", "See your roles in this service");
        replay.env.put("CODE", OAuthClient.decodeParameters(callback.getRawQuery()).get("code"));
        Reply code = replay.curl();
        code.assertToken();
        assertThat(words(code.text("scope"))).as("web-app's RFC 6749 defaults, as the tutorial answers")
                .containsExactlyInAnyOrder("read", "write");
        JWTClaimsSet codeClaims = tokens.verify(code.text("access_token"));
        assertThat(codeClaims.getStringClaim("azp")).isEqualTo(WEB_APP);
        assertThat(words(codeClaims.getStringClaim("scope"))).containsExactlyInAnyOrder("read", "write");

        replay.assign();
        Reply clientCredentials = replay.curl();
        assertClientCredentials(clientCredentials);
        replay.assertDone();
    }

    @Test
    void djangoOauth2Server() throws Exception {
        Replay replay = replay("django-oauth2-server");

        URI first = replay.browser(BOB, BOB_PASSWORD, TESTCLIENT_REDIRECT);
        Map<String, String> callback = OAuthClient.decodeParameters(first.getRawQuery());
        assertThat(callback).containsEntry("state", "somestate");
        replay.env.put("CODE", callback.get("code"));
        Reply withoutRedirectUri = replay.curl();
        assertThat(withoutRedirectUri.status).as(withoutRedirectUri.toString()).isEqualTo(400);
        assertThat(withoutRedirectUri.text("error")).isEqualTo("invalid_grant");
        assertThat(withoutRedirectUri.text("error_description")).isEqualTo("Incorrect redirect_uri");
        assertThat(withoutRedirectUri.text("access_token")).isNull();
        OAuthClient.Answer spent = oauth.token(OAuthClient.form("grant_type", "authorization_code", "code", callback.get("code"),
                "redirect_uri", TESTCLIENT_REDIRECT), TESTCLIENT + ":" + TESTCLIENT_SECRET);
        assertThat(spent.status()).as("README: the refused attempt spent the code; %s", spent).isEqualTo(400);
        assertThat(spent.text("error")).isEqualTo("invalid_grant");

        URI second = replay.browser(BOB, BOB_PASSWORD, TESTCLIENT_REDIRECT);
        replay.env.put("CODE", OAuthClient.decodeParameters(second.getRawQuery()).get("code"));
        Reply code = replay.curl();
        code.assertToken();
        assertThat(words(code.text("scope"))).containsExactlyInAnyOrder("foo", "bar", "qux");
        assertThat(tokens.verify(code.text("access_token")).getStringClaim("azp")).isEqualTo(TESTCLIENT);

        URI implicit = replay.browser(BOB, BOB_PASSWORD, TESTCLIENT_REDIRECT);
        assertThat(implicit.getRawQuery()).as("the token never travels in the query").isNull();
        Map<String, String> fragment = OAuthClient.decodeParameters(implicit.getRawFragment());
        assertThat(fragment).containsEntry("state", "somestate").containsEntry("token_type", "Bearer")
                .containsKey("access_token").doesNotContainKey("refresh_token");
        // expires_in counts from when the redirect was built, so it may already read 3599.
        assertThat(Integer.parseInt(fragment.get("expires_in"))).isBetween(3590, 3600);
        JWTClaimsSet implicitClaims = tokens.verify(fragment.get("access_token"));
        assertThat(implicitClaims.getStringClaim("azp")).isEqualTo(TESTCLIENT);
        assertThat(words(implicitClaims.getStringClaim("scope"))).containsExactlyInAnyOrder("foo", "bar", "qux");
        assertThat(implicitClaims.getExpirationTime().getTime() - implicitClaims.getIssueTime().getTime())
                .as("the implicit-flow lifetime of the demo realm").isEqualTo(3600_000L);

        Reply password = replay.curl();
        password.assertToken();
        assertThat(words(password.text("scope"))).containsExactlyInAnyOrder("foo", "bar", "qux");
        assertThat(tokens.verify(password.text("access_token")).getStringClaim("azp")).isEqualTo(TESTCLIENT);

        assertClientCredentials(replay.curl());
        assertClientCredentials(replay.curl());

        replay.env.put("REFRESH_TOKEN", password.text("refresh_token"));
        Reply refreshed = replay.curl();
        refreshed.assertToken();
        assertThat(words(refreshed.text("scope"))).containsExactlyInAnyOrder("foo", "bar", "qux");
        replay.assertDone();
    }

    @Test
    void djangoOauth2Provider() throws Exception {
        Replay replay = replay("django-oauth2 (django-oauth2-provider)");

        Reply password = replay.curl();
        password.assertToken();
        assertThat(words(password.text("scope"))).containsExactlyInAnyOrder("read", "write", "groups");
        assertThat(password.json.get("expires_in").asInt()).as("counted from the response").isBetween(3590, 3600);
        assertThat(tokens.verify(password.text("access_token")).getStringClaim("azp")).isEqualTo(API_CLIENT);
        replay.assertDone();
    }

    @Test
    void djoauth2() throws Exception {
        Replay replay = replay("DJOAuth2");

        URI callback = replay.browser(ALICE, ALICE_PASSWORD, WEB_APP_REDIRECT, "See your username and e-mail address");
        replay.env.put("CODE", OAuthClient.decodeParameters(callback.getRawQuery()).get("code"));
        Reply code = replay.curl();
        code.assertToken();
        assertThat(code.text("scope")).isEqualTo("user_info");
        JWTClaimsSet claims = tokens.verify(code.text("access_token"));
        assertThat(claims.getStringClaim("azp")).isEqualTo(WEB_APP);
        assertThat(claims.getStringClaim("preferred_username")).as("user_info's claims").isEqualTo(ALICE);

        replay.env.put("REFRESH_TOKEN", code.text("refresh_token"));
        Reply refreshed = replay.curl();
        refreshed.assertToken();
        assertThat(refreshed.text("scope")).isEqualTo("user_info");
        replay.assertDone();

        // README: Keycloak remembers the consent, so the same request goes straight back to the client.
        URI again = replay.browserUrl(replay.readme.stream().filter(s -> s.kind == Kind.BROWSER).findFirst().orElseThrow());
        browser.open(again.toString());
        assertThat(browser.awaitUrl(url -> url.startsWith(WEB_APP_REDIRECT))).contains("code=");
        // README: without redirect_uri only while scope does not name openid (OpenID Connect requires it).
        browser.open(again.toString().replace("scope=user_info", "scope=openid%20user_info"));
        assertThat(browser.driver().getCurrentUrl()).doesNotStartWith(WEB_APP_REDIRECT);
        assertThat(browser.pageText()).contains("Invalid parameter: redirect_uri");
    }

    private void assertClientCredentials(Reply answer) throws Exception {
        assertThat(answer.status).as(answer.toString()).isEqualTo(200);
        assertThat(answer.text("token_type")).isEqualTo("Bearer");
        assertThat(answer.text("refresh_token")).as("RFC 6749 section 4.4.3: no refresh token").isNull();
        assertThat(words(answer.text("scope"))).containsExactlyInAnyOrder("foo", "bar", "qux");
        JWTClaimsSet claims = tokens.verify(answer.text("access_token"));
        assertThat(claims.getStringClaim("azp")).isEqualTo(TESTCLIENT);
        assertThat(claims.getStringClaim("client_id")).isEqualTo(TESTCLIENT);
    }

    // ---- README's blocks -------------------------------------------------------------------

    enum Kind { ASSIGN, CURL, BROWSER }

    record Step(Kind kind, String text) {
    }

    /** The common block (the token endpoint) followed by the blocks of one server's subsection. */
    private Replay replay(String server) throws Exception {
        Map<String, List<Step>> sections = readmeSections();
        assertThat(sections).as("README's subsections under the migrating marker")
                .containsOnlyKeys("", "django-oauth-toolkit", "django-oauth2-server", "django-oauth2 (django-oauth2-provider)",
                        "DJOAuth2");
        Replay replay = new Replay(sections.get(server));
        for (Step step : sections.get("")) {
            assertThat(step.kind).isEqualTo(Kind.ASSIGN);
            replay.run(step);
        }
        assertThat(replay.env.get("T")).isEqualTo(this.server.tokenEndpoint(REALM));
        return replay;
    }

    /**
     * Steps between README's migrating markers, by "### Migrating from" subsection ("" before the
     * first): assignments and curl lines of bash blocks (comments skipped, continuations joined),
     * addresses of text blocks.
     */
    private static Map<String, List<Step>> readmeSections() throws IOException {
        List<String> lines = Files.readAllLines(ROOT.resolve("README.md"));
        int start = -1;
        int end = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith("<!-- migrating:")) {
                start = i;
            } else if (lines.get(i).equals("<!-- /migrating -->")) {
                end = i;
            }
        }
        assertThat(start).as("README's migrating marker").isNotNegative();
        assertThat(end).as("README's migrating end marker").isGreaterThan(start);
        Map<String, List<Step>> sections = new java.util.LinkedHashMap<>();
        String section = "";
        sections.put(section, new ArrayList<>());
        String fence = null;
        StringBuilder continued = new StringBuilder();
        for (int i = start + 1; i < end; i++) {
            String line = lines.get(i);
            if (fence == null) {
                if (line.startsWith("### Migrating from ")) {
                    section = line.substring("### Migrating from ".length());
                    sections.put(section, new ArrayList<>());
                } else if (line.startsWith("```")) {
                    fence = line.substring(3);
                    assertThat(fence).as("line %d", i + 1).isIn("bash", "text");
                }
                continue;
            }
            if (line.equals("```")) {
                fence = null;
                continue;
            }
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            if (line.endsWith("\\")) {
                continued.append(line, 0, line.length() - 1);
                continue;
            }
            String text = continued.append(line).toString();
            continued.setLength(0);
            Kind kind;
            if (fence.equals("text")) {
                kind = Kind.BROWSER;
            } else if (text.startsWith("curl ")) {
                kind = Kind.CURL;
            } else {
                assertThat(text).as("a bash line is a curl request or an assignment").matches(ASSIGNMENT);
                kind = Kind.ASSIGN;
            }
            sections.get(section).add(new Step(kind, text));
        }
        return sections;
    }

    /** One server's steps, taken in README's order; the shell variables they set and use. */
    private final class Replay {
        final List<Step> readme;
        final Iterator<Step> steps;
        final Map<String, String> env = new HashMap<>();

        Replay(List<Step> steps) {
            this.readme = steps;
            this.steps = steps.iterator();
        }

        Step next(Kind kind) {
            assertThat(steps.hasNext()).as("README has another step (%s)", kind).isTrue();
            Step step = steps.next();
            assertThat(step.kind).as(step.text).isEqualTo(kind);
            return step;
        }

        void assertDone() {
            assertThat(steps.hasNext()).as("every README step was replayed and checked").isFalse();
        }

        /** The next line is an assignment: runs it, keeps and returns the value. */
        String assign() throws Exception {
            return run(next(Kind.ASSIGN));
        }

        String run(Step step) throws Exception {
            Matcher name = ASSIGNMENT.matcher(step.text);
            assertThat(name.matches()).isTrue();
            String value = bash(adapt(step.text) + "\nprintf '%s' \"$" + name.group(1) + "\"\n");
            env.put(name.group(1), value);
            return value;
        }

        /** The next line is a curl request: runs it as printed with curl, which writes the response headers to a file. */
        Reply curl() throws Exception {
            Step step = next(Kind.CURL);
            Path headers = Files.createTempFile(work, "headers", ".txt");
            String body = bash("curl() { command curl -sS -D '" + headers + "' \"$@\"; }\n" + adapt(step.text) + "\n");
            List<String> statusLines = Files.readAllLines(headers).stream().filter(l -> l.startsWith("HTTP/")).toList();
            assertThat(statusLines).as("curl got an answer to %s", step.text).isNotEmpty();
            int status = Integer.parseInt(statusLines.get(statusLines.size() - 1).split(" ")[1]);
            return new Reply(step.text, status, JSON.readTree(body));
        }

        /** The next line is an address: opened in Chromium, signed in and consented if asked; returns where the browser was sent. */
        URI browser(String user, String password, String redirect, String... consentTexts) {
            return browser(next(Kind.BROWSER), user, password, redirect, consentTexts);
        }

        private URI browser(Step step, String user, String password, String redirect, String... consentTexts) {
            browser.open(browserUrl(step).toString());
            if (!browser.driver().getCurrentUrl().startsWith(redirect)
                    && !browser.driver().findElements(By.id("username")).isEmpty()) {
                browser.signIn(user, password);
            }
            if (!browser.driver().getCurrentUrl().startsWith(redirect)
                    && !browser.driver().findElements(By.name("accept")).isEmpty()) {
                if (consentTexts.length > 0) {
                    assertThat(browser.pageText()).contains(consentTexts);
                }
                browser.click(By.name("accept"));
            } else {
                assertThat(consentTexts).as("a consent page was expected").isEmpty();
            }
            return URI.create(browser.awaitUrl(url -> url.startsWith(redirect)));
        }

        URI browserUrl(Step step) {
            Matcher variable = VARIABLE.matcher(adapt(step.text));
            StringBuilder url = new StringBuilder();
            while (variable.find()) {
                assertThat(env).as(step.text).containsKey(variable.group(1));
                variable.appendReplacement(url, Matcher.quoteReplacement(env.get(variable.group(1))));
            }
            return URI.create(variable.appendTail(url).toString());
        }

        private String adapt(String line) {
            return line.replace("http://localhost:8080", server.baseUrl())
                    .replace("api-client-dev-secret", API_CLIENT_SECRET);
        }

        private String bash(String script) throws Exception {
            ProcessBuilder builder = new ProcessBuilder("bash", "-euo", "pipefail", "-c", script)
                    .redirectError(ProcessBuilder.Redirect.INHERIT);
            builder.environment().putAll(env);
            Process process = builder.start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(process.exitValue()).as("bash -c %s", script).isZero();
            return out;
        }
    }

    /** A token endpoint's answer as curl received it. */
    private record Reply(String request, int status, JsonNode json) {
        String text(String field) {
            JsonNode value = json.get(field);
            return value == null || value.isNull() ? null : value.asText();
        }

        void assertToken() {
            assertThat(status).as(toString()).isEqualTo(200);
            assertThat(text("token_type")).isEqualTo("Bearer");
            assertThat(text("access_token")).isNotBlank();
        }

        @Override
        public String toString() {
            return request + " -> " + status + " " + json;
        }
    }
}
