package io.github.kcawspack.it;

import static io.github.kcawspack.it.harness.PolicyRealm.ALICE;
import static io.github.kcawspack.it.harness.PolicyRealm.BOB;
import static io.github.kcawspack.it.harness.PolicyRealm.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.kcawspack.it.harness.KeycloakExtension;
import io.github.kcawspack.it.harness.KeycloakServer;
import io.github.kcawspack.it.harness.OAuthClient;
import io.github.kcawspack.it.harness.PolicyRealm;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Attack on issue 13: the restricted-scope policy is judged only where Keycloak builds an OIDC
 * access token (the token context encoder). A SAML client's assertion is built from its client
 * scopes' SAML mappers without that call, so a rule on a SAML client scope is never applied:
 * bob, who lacks the rule's role, gets the scope's attribute in his assertion. README promises the
 * policy "holds on every token Keycloak builds" and that a withheld scope that cannot be left out
 * (a default scope) is refused, fail closed.
 */
@ExtendWith(KeycloakExtension.class)
class AttackSamlScopePolicyIT {

    private static final String SAML_CLIENT = "saml-app";
    private static final String ACS = "https://saml.example.invalid/acs";
    private static final String ATTRIBUTE = "saml_write_access";

    private static PolicyRealm realm;
    private static KeycloakServer server;

    @BeforeAll
    static void createRealmWithSamlClient(KeycloakServer keycloak) {
        server = keycloak;
        realm = PolicyRealm.create(keycloak, "attack-saml");
        realm.admin("POST", "/client-scopes", """
                {"name": "saml-write", "protocol": "saml",
                 "protocolMappers": [{"name": "write access", "protocol": "saml",
                   "protocolMapper": "saml-hardcode-attribute-mapper",
                   "config": {"attribute.name": "%s", "attribute.value": "granted", "attribute.nameformat": "Basic"}}]}
                """.formatted(ATTRIBUTE));
        realm.admin("POST", "/clients", """
                {"clientId": "%s", "protocol": "saml", "enabled": true, "frontchannelLogout": false,
                 "redirectUris": ["%s"], "baseUrl": "%s",
                 "attributes": {"saml_idp_initiated_sso_url_name": "%s", "saml.client.signature": "false",
                   "saml_assertion_consumer_url_post": "%s", "saml.force.post.binding": "true",
                   "saml.server.signature": "true", "saml.assertion.signature": "false", "saml.encrypt": "false"},
                 "defaultClientScopes": ["saml-write"]}
                """.formatted(SAML_CLIENT, ACS, ACS, SAML_CLIENT, ACS));
    }

    private static final String SAML_WRITE_FOR_WRITERS = "{\"mode\": \"filter\", \"rules\": ["
            + "{\"scope\": \"write\", \"realmRoles\": [\"writer\"]}, {\"scope\": \"saml-write\", \"realmRoles\": [\"writer\"]}]}";

    @AfterAll
    static void deleteRealm() {
        if (realm != null) {
            realm.close();
        }
    }

    @Test
    void aliceTheWriterGetsTheAttribute() throws Exception {
        // The rule is accepted on save: saml-write exists in the realm.
        realm.policy(SAML_WRITE_FOR_WRITERS);
        String assertion = samlLogin(ALICE);
        assertThat(assertion).contains("SAMLResponse decoded").contains(ATTRIBUTE);
    }

    @Test
    void bobGetsNoAssertionCarryingTheWithheldSamlScope() throws Exception {
        realm.policy(SAML_WRITE_FOR_WRITERS);
        String answer = samlLogin(BOB);
        // Either the login is refused (fail closed) or the assertion lacks the withheld scope's attribute.
        assertThat(answer).as("bob's SAML assertion").doesNotContain(ATTRIBUTE);
    }

    @Test
    void inStrictModeAScopeNoRuleCoversIsWithheldFromSamlToo() throws Exception {
        // README: "Strict withholds every client scope no rule covers (an allowlist)". No rule
        // covers saml-write here; an OIDC client's uncovered scope is refused, the SAML one is issued.
        realm.policy("{\"mode\": \"filter\", \"strict\": true, \"rules\": [{\"scope\": \"write\", \"realmRoles\": [\"writer\"]}]}");
        try {
            assertThat(samlLogin(BOB)).as("bob's SAML assertion under a strict policy").doesNotContain(ATTRIBUTE);
        } finally {
            realm.policy(SAML_WRITE_FOR_WRITERS);
        }
    }

    /** IdP-initiated SAML login of {@code user}; returns the decoded SAMLResponse (prefixed) or the page. */
    private static String samlLogin(String user) throws Exception {
        // Keycloak's login cookies are Secure; java.net.CookieManager keeps them from plain-HTTP
        // loopback requests, so the cookies of the login page go back by hand, as a browser sends them.
        HttpClient http = HttpClient.newHttpClient();
        String start = server.baseUrl() + "/realms/" + realm.name() + "/protocol/saml/clients/" + SAML_CLIENT;
        HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(start)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        String cookies = String.join("; ", page.headers().allValues("Set-Cookie").stream()
                .map(cookie -> cookie.split(";", 2)[0]).toList());
        Matcher action = Pattern.compile("action=\"([^\"]+)\"").matcher(page.body());
        assertThat(action.find()).as("login form on " + page.body()).isTrue();
        String form = OAuthClient.formEncode(OAuthClient.form("username", user, "password", PASSWORD, "credentialId", ""));
        String answer = http.send(HttpRequest.newBuilder(URI.create(action.group(1).replace("&amp;", "&")))
                        .header("Content-Type", "application/x-www-form-urlencoded").header("Cookie", cookies)
                        .POST(HttpRequest.BodyPublishers.ofString(form)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        assertThat(answer).as("the login went through").doesNotContain("Restart login cookie").doesNotContain("Invalid username");
        Matcher saml = Pattern.compile("name=\"SAMLResponse\" value=\"([^\"]+)\"").matcher(answer);
        if (!saml.find()) {
            return answer;
        }
        return "SAMLResponse decoded: " + new String(Base64.getMimeDecoder().decode(saml.group(1)), StandardCharsets.UTF_8);
    }
}
