package io.github.kcawspack.it;

import static io.github.kcawspack.it.DemoRealm.*;
import static io.github.kcawspack.it.harness.OAuthClient.form;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.JWTClaimsSet;
import io.github.kcawspack.it.harness.Axe;
import io.github.kcawspack.it.harness.Browser;
import io.github.kcawspack.it.harness.Injected;
import io.github.kcawspack.it.harness.KeycloakExtension;
import io.github.kcawspack.it.harness.LoginPage;
import io.github.kcawspack.it.harness.OAuthClient;
import io.github.kcawspack.it.harness.OAuthClient.Answer;
import io.github.kcawspack.it.harness.TokenVerifier;
import io.github.kcawspack.it.harness.Users;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.keycloak.admin.client.Keycloak;
import org.keycloak.admin.client.resource.RealmResource;
import org.keycloak.representations.idm.UserRepresentation;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The aws-pack consent page (themes/aws-pack/login/login-oauth-grant.ftl) in a real headless
 * Chromium against the real server: what it shows, what Accept and Decline do, languages,
 * Keycloak's stored consent, accessibility (axe-core, keyboard), and screenshots for reviewers
 * in target/screenshots (desktop 1280 px and phone 390 px wide, on every run).
 *
 * <p>Each test signs in a user of its own, created through the admin API, so that consents
 * stored by one test (or by BrowserFlowsIT for alice) never change what another one sees.
 * Each test has a fresh browser profile.
 *
 * <p>A scope the realm's restricted-scope policy withholds is listed apart, as not granted, with
 * the kind of reason (the demo's deploy scope is only for an AWS role through aws_identity).
 */
@ExtendWith(KeycloakExtension.class)
class ConsentPageIT {

    /** What the demo realm's scopes say on the page, from the theme's messages, by scope. */
    private static final Map<String, String> ENGLISH = Map.of(
            "read", "View your data in the API",
            "write", "Create, change and delete your data in the API",
            "groups", "See which groups you belong to",
            "user_info", "See your username and e-mail address",
            "roles", "See your roles in this service");
    private static final Map<String, String> GERMAN = Map.of(
            "read", "Ihre Daten in der API ansehen",
            "write", "Ihre Daten in der API anlegen, ändern und löschen",
            "groups", "Sehen, welchen Gruppen Sie angehören",
            "roles", "Ihre Rollen in diesem Dienst sehen");
    private static final String DEPLOY = "Deploy new versions through the API";
    /** Scopes that the page lists but that never enter the token's scope string (Keycloak's built-ins). */
    private static final Set<String> NOT_IN_SCOPE_STRING = Set.of("roles");

    private static final String PASSWORD = "consent-it-password";

    @Injected
    OAuthClient oauth;
    @Injected
    TokenVerifier tokens;
    @Injected
    Keycloak admin;
    @Injected
    LoginPage login;
    @RegisterExtension
    final Browser browser = new Browser();

    @Test
    void acceptIssuesACodeForTheScopesThePageShowed() {
        String user = newUser();
        String state = UUID.randomUUID().toString();
        authorize("openid read write groups", state);
        browser.signIn(user, PASSWORD);

        browser.find(By.id("kc-oauth"));
        assertThat(text(By.id("consent-title"))).isEqualTo("Allow Web App to access your account?");
        assertThat(browser.driver().findElement(By.tagName("html")).getAttribute("lang")).isEqualTo("en");
        WebElement logo = browser.find(By.id("consent-client-logo"));
        assertThat(logo.getAttribute("src")).startsWith("data:image/svg+xml,");
        assertThat(((Number) script("return arguments[0].naturalWidth", logo)).intValue())
                .as("the logo loads").isPositive();
        // Changes stand apart from the rest.
        assertThat(texts("#consent-access li")).containsExactlyInAnyOrder(
                ENGLISH.get("read"), ENGLISH.get("groups"), ENGLISH.get("roles"));
        assertThat(text(By.id("consent-access-heading"))).isEqualTo("Web App will be able to");
        assertThat(texts("#consent-write li")).containsExactly(ENGLISH.get("write"));
        assertThat(text(By.id("consent-write-heading"))).isEqualTo("Web App will also be able to make changes");
        assertThat(browser.driver().findElements(By.id("consent-withheld"))).as("nothing withheld").isEmpty();
        // The client's documents, opening in a new window, saying so to screen readers.
        assertThat(links("#consent-documents a")).containsExactly(
                "Terms of service (opens in a new window) -> https://web-app.example.com/terms",
                "Privacy policy (opens in a new window) -> https://web-app.example.com/privacy");
        assertThat(text(By.id("kc-login"))).isEqualTo("Accept");
        assertThat(text(By.id("kc-cancel"))).isEqualTo("Decline");
        Set<String> shown = scopesShown(ENGLISH);
        screenshots("consent-en");

        browser.click(By.id("kc-login"));
        Map<String, String> callback = query(browser.awaitUrl(url -> url.startsWith(WEB_APP_REDIRECT)));
        assertThat(callback).containsEntry("state", state).containsKey("code");
        Answer answer = exchange(callback.get("code"));

        Set<String> granted = scopeSet(answer.text("scope"));
        Set<String> expected = new HashSet<>(shown);
        expected.removeAll(NOT_IN_SCOPE_STRING);
        expected.add("openid");
        assertThat(granted).as("the token's scopes are what the page showed").isEqualTo(expected);
        JWTClaimsSet claims = tokens.verify(answer.text("access_token"));
        assertThat(claims.getClaim("realm_access")).as("the roles the page mentioned").isNotNull();
        assertThat(storedConsent(user)).contains("read", "write", "groups", "roles");
    }

    @Test
    void aScopeThePolicyWithholdsIsShownAsNotGrantedAndStaysOutOfTheToken() throws Exception {
        String user = newUser();
        String state = UUID.randomUUID().toString();
        authorize("openid read deploy", state);
        browser.signIn(user, PASSWORD);

        browser.find(By.id("kc-oauth"));
        assertThat(texts("#consent-access li")).contains(ENGLISH.get("read")).doesNotContain(DEPLOY);
        assertThat(browser.driver().findElements(By.id("consent-write"))).as("deploy is not among the changes granted").isEmpty();
        assertThat(text(By.id("consent-withheld-heading"))).isEqualTo("Asked for, but not granted");
        assertThat(texts("#consent-withheld li")).singleElement().asString()
                .contains(DEPLOY, "Not granted", "Not available when signing in this way.");
        screenshots("consent-withheld");

        browser.click(By.id("kc-login"));
        Map<String, String> callback = query(browser.awaitUrl(url -> url.startsWith(WEB_APP_REDIRECT)));
        Answer answer = exchange(callback.get("code"));

        assertThat(scopeSet(answer.text("scope"))).contains("openid", "read").doesNotContain("deploy");
        assertThat(tokens.verify(answer.text("access_token")).getClaims()).doesNotContainKey("api_deploy");
        assertThat(storedConsent(user)).contains("read").doesNotContain("deploy");
    }

    @Test
    void declineSendsTheUserBackWithAccessDenied() {
        String user = newUser();
        String state = UUID.randomUUID().toString();
        authorize("openid read", state);
        browser.signIn(user, PASSWORD);

        browser.click(By.id("kc-cancel"));

        Map<String, String> callback = query(browser.awaitUrl(url -> url.startsWith(WEB_APP_REDIRECT)));
        assertThat(callback).containsEntry("error", "access_denied").containsEntry("state", state)
                .doesNotContainKey("code");
        assertThat(storedConsent(user)).as("nothing is remembered").isEmpty();
    }

    @Test
    void theUsersLanguageChoiceGivesAGermanPage() {
        String user = newUser();
        authorize("openid read write groups", UUID.randomUUID().toString());
        browser.find(By.id("username"));
        assertThat(browser.driver().findElement(By.tagName("html")).getAttribute("lang"))
                .as("the realm's default locale").isEqualTo("en");
        browser.screenshot("login-en-1280");

        // The user picks German in keycloak.v2's language menu on the sign-in page.
        Select languages = new Select(browser.find(By.id("login-select-toggle")));
        String german = languages.getOptions().stream().map(o -> o.getAttribute("value"))
                .filter(url -> url.contains("kc_locale=de")).findFirst().orElseThrow();
        languages.selectByValue(german);
        new WebDriverWait(browser.driver(), Duration.ofSeconds(15)).until(d ->
                "de".equals(d.findElement(By.tagName("html")).getAttribute("lang")));
        browser.signIn(user, PASSWORD);

        browser.find(By.id("kc-oauth"));
        assertThat(text(By.id("consent-title"))).isEqualTo("Web App Zugriff auf Ihr Konto erlauben?");
        assertThat(texts("#consent-access li")).containsExactlyInAnyOrder(
                GERMAN.get("read"), GERMAN.get("groups"), GERMAN.get("roles"));
        assertThat(texts("#consent-write li")).containsExactly(GERMAN.get("write"));
        assertThat(text(By.id("consent-write-heading"))).isEqualTo("Web App darf außerdem Änderungen vornehmen");
        assertThat(links("#consent-documents a")).containsExactly(
                "Nutzungsbedingungen (öffnet in neuem Fenster) -> https://web-app.example.com/terms",
                "Datenschutzerklärung (öffnet in neuem Fenster) -> https://web-app.example.com/privacy");
        assertThat(text(By.id("kc-login"))).isEqualTo("Annehmen");
        assertThat(text(By.id("kc-cancel"))).isEqualTo("Ablehnen");
        screenshots("consent-de");
    }

    @Test
    void storedConsentIsNotAskedAgainButANewScopeIs() {
        String user = newUser();
        authorize("openid read", UUID.randomUUID().toString());
        browser.signIn(user, PASSWORD);
        assertThat(texts("#consent-access li")).containsExactlyInAnyOrder(ENGLISH.get("read"), ENGLISH.get("roles"));
        browser.click(By.id("kc-login"));
        browser.awaitUrl(url -> url.startsWith(WEB_APP_REDIRECT) && url.contains("code="));

        // Another browser, so a new sign-in: only Keycloak's stored consent can skip the page.
        browser.restart();
        authorize("openid read", UUID.randomUUID().toString());
        browser.signIn(user, PASSWORD);
        String landed = new WebDriverWait(browser.driver(), Duration.ofSeconds(20)).until(d ->
                d.getCurrentUrl().startsWith(WEB_APP_REDIRECT) || !d.findElements(By.id("kc-oauth")).isEmpty()
                        ? d.getCurrentUrl() : null);
        assertThat(landed).as("no consent page the second time").startsWith(WEB_APP_REDIRECT);
        assertThat(scopeSet(exchange(query(landed).get("code")).text("scope"))).containsExactlyInAnyOrder("openid", "read");

        // Same session, one more scope: the page asks for that scope alone.
        authorize("openid read write", UUID.randomUUID().toString());
        browser.find(By.id("kc-oauth"));
        assertThat(browser.driver().findElements(By.id("consent-access"))).isEmpty();
        assertThat(texts("#consent-write li")).containsExactly(ENGLISH.get("write"));
        assertThat(text(By.id("consent-write-heading"))).isEqualTo("Web App will be able to make changes");
        browser.screenshot("consent-new-scope-1280");
        browser.click(By.id("kc-login"));
        Map<String, String> callback = query(browser.awaitUrl(url -> url.startsWith(WEB_APP_REDIRECT)));
        assertThat(scopeSet(exchange(callback.get("code")).text("scope"))).containsExactlyInAnyOrder("openid", "read", "write");
    }

    @Test
    void axeFindsNoSeriousOrCriticalViolations() {
        String user = newUser();
        authorize("openid read write groups user_info", UUID.randomUUID().toString());
        browser.find(By.id("username"));
        List<String> failures = new ArrayList<>(check("sign-in page, 1280 px"));
        browser.signIn(user, PASSWORD);
        browser.find(By.id("kc-oauth"));

        failures.addAll(check("consent page, 1280 px"));
        emulate(390, 900, false);
        failures.addAll(check("consent page, 390 px"));
        emulate(1280, 900, true);
        failures.addAll(check("consent page, 1280 px, dark mode"));
        screenshot("consent-en-dark-1280", 1280);
        clearEmulation();

        assertThat(failures).as("serious or critical accessibility violations").isEmpty();
    }

    @Test
    void keyboardReachesEveryControlInReadingOrderWithAVisibleFocus() {
        String user = newUser();
        authorize("openid read write", UUID.randomUUID().toString());
        browser.signIn(user, PASSWORD);
        browser.find(By.id("kc-oauth"));
        script("document.activeElement.blur(); window.scrollTo(0, 0)");

        List<String> order = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            new Actions(browser.driver()).sendKeys(Keys.TAB).perform();
            WebElement focused = browser.driver().switchTo().activeElement();
            String outline = (String) script("const s = getComputedStyle(arguments[0]);"
                    + " return s.outlineStyle + ' ' + parseFloat(s.outlineWidth)", focused);
            String id = focused.getAttribute("id");
            order.add(id.isEmpty() ? focused.getAttribute("textContent").replaceAll("\\s+", " ").trim() : id);
            assertThat(outline).as("focus ring on " + order.get(i)).doesNotStartWith("none").doesNotEndWith(" 0");
        }
        assertThat(order).containsExactly("login-select-toggle",
                "Terms of service (opens in a new window)", "Privacy policy (opens in a new window)",
                "kc-login", "kc-cancel");
    }

    // --- helpers -----------------------------------------------------------------------------

    /** web-app's authorization code request in the browser: the login page, or consent for a signed-in user. */
    private void authorize(String scope, String state) {
        login.authorize(browser, WEB_APP, WEB_APP_REDIRECT, "code", scope, state);
    }

    private Answer exchange(String code) {
        Answer answer = oauth.token(form("grant_type", "authorization_code", "code", code,
                "redirect_uri", WEB_APP_REDIRECT), WEB_APP + ":" + WEB_APP_SECRET);
        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        return answer;
    }

    /** The scopes whose texts the page lists, read back through the texts. */
    private Set<String> scopesShown(Map<String, String> texts) {
        Map<String, String> scopeByText = texts.entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getValue, Map.Entry::getKey));
        List<String> items = texts(".aws-consent__list li");
        assertThat(scopeByText.keySet()).as("every item is a known scope text").containsAll(items);
        return items.stream().map(scopeByText::get).collect(Collectors.toSet());
    }

    private String text(By by) {
        return browser.find(by).getText().trim();
    }

    private List<String> texts(String css) {
        return browser.driver().findElements(By.cssSelector(css)).stream().map(e -> e.getText().trim()).toList();
    }

    /** Each link as its accessible text (hidden hint included) and its target. */
    private List<String> links(String css) {
        return browser.driver().findElements(By.cssSelector(css)).stream()
                .map(a -> a.getAttribute("textContent").replaceAll("\\s+", " ").trim() + " -> " + a.getAttribute("href")
                        + ("_blank".equals(a.getAttribute("target")) ? "" : " (same window)"))
                .toList();
    }

    private List<String> check(String what) {
        List<Axe.Violation> violations = Axe.run(browser.driver());
        System.out.printf("axe-core, %s: %s%n", what, Axe.describe(violations));
        return violations.stream().filter(Axe.Violation::blocking).map(v -> what + ": " + v).toList();
    }

    /** Desktop and phone screenshots of the whole page. */
    private void screenshots(String name) {
        screenshot(name + "-1280", 1280);
        screenshot(name + "-390", 390);
        clearEmulation();
    }

    /** A PNG of the whole page at {@code width} CSS pixels, however long the page is. */
    private void screenshot(String name, int width) {
        boolean dark = Boolean.TRUE.equals(script("return document.documentElement.classList.contains('pf-v5-theme-dark')"));
        emulate(width, 900, dark);
        // The page is as tall as the window at least; the card may reach further down.
        Number height = (Number) script("return Math.max(document.documentElement.scrollHeight,"
                + " Math.ceil(document.querySelector('main').getBoundingClientRect().bottom) + 48)");
        emulate(width, Math.max(height.intValue(), 600), dark);
        browser.screenshot(name);
    }

    /** Chromium's device emulation: a viewport of this size (a phone's below 600 px), light or dark. */
    private void emulate(int width, int height, boolean dark) {
        ChromeDriver chrome = (ChromeDriver) browser.driver();
        chrome.executeCdpCommand("Emulation.setDeviceMetricsOverride", Map.of(
                "width", width, "height", height, "deviceScaleFactor", 1, "mobile", width < 600));
        chrome.executeCdpCommand("Emulation.setEmulatedMedia", Map.of("features",
                List.of(Map.of("name", "prefers-color-scheme", "value", dark ? "dark" : "light"))));
        // keycloak.v2 switches its dark class when the media query changes; let it settle.
        new WebDriverWait(browser.driver(), Duration.ofSeconds(5)).until(d -> dark == Boolean.TRUE.equals(
                script("return document.documentElement.classList.contains('pf-v5-theme-dark')")));
    }

    private void clearEmulation() {
        emulate(1280, 900, false);
        ((ChromeDriver) browser.driver()).executeCdpCommand("Emulation.clearDeviceMetricsOverride", Map.of());
    }

    private Object script(String js, Object... arguments) {
        return ((ChromeDriver) browser.driver()).executeScript(js, arguments);
    }

    private static Set<String> scopeSet(String scope) {
        return new HashSet<>(Arrays.asList(scope.split(" ")));
    }

    private static Map<String, String> query(String url) {
        return OAuthClient.decodeParameters(URI.create(url).getRawQuery());
    }

    // --- the demo realm through the admin API ----------------------------------------------------

    /** A new user of the demo realm, like alice: role writer, group /staff, profile complete. */
    private String newUser() {
        String username = "consent-" + UUID.randomUUID().toString().substring(0, 8);
        String id = Users.create(demo(), username, PASSWORD, "Consent", "Tester");
        demo().users().get(id).roles().realmLevel().add(List.of(demo().roles().get("writer").toRepresentation()));
        demo().users().get(id).joinGroup(demo().getGroupByPath("staff").getId());
        return username;
    }

    /** The scopes the user has consented to for web-app, as Keycloak stores them. */
    private List<String> storedConsent(String username) {
        List<String> scopes = new ArrayList<>();
        for (Map<String, Object> consent : demo().users().get(userId(username)).getConsents()) {
            if (WEB_APP.equals(consent.get("clientId"))) {
                ((List<?>) consent.get("grantedClientScopes")).forEach(scope -> scopes.add(scope.toString()));
            }
        }
        return scopes;
    }

    private String userId(String username) {
        List<UserRepresentation> users = demo().users().searchByUsername(username, true);
        assertThat(users).hasSize(1);
        return users.get(0).getId();
    }

    private RealmResource demo() {
        return admin.realm(REALM);
    }
}
