package io.github.kcawspack.it.harness;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Predicate;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's headless Chromium driven through Debian's chromedriver: a real browser, started with a
 * fresh profile when a test first uses it and closed after that test (no cookies shared between
 * tests). A test class registers it as a field: {@code @RegisterExtension final Browser browser =
 * new Browser();}. Starting on first use, not before each test, spares the tests of such a class
 * that never open a page a browser start and quit: about 2 s each on the 2-core CI machine, in
 * every cell of the compatibility matrix.
 */
public final class Browser implements AfterEachCallback {

    private static final String CHROMIUM = System.getProperty("chromium.binary", "/usr/bin/chromium");
    private static final String CHROMEDRIVER = System.getProperty("chromedriver.binary", "/usr/bin/chromedriver");

    private ChromeDriver driver;
    private Path profile;

    @Override
    public void afterEach(ExtensionContext context) {
        close();
    }

    /** A new browser with a new profile in place of this one: nothing the old one stored is left. */
    public void restart() {
        close();
        driver();
    }

    private void start() {
        if (!new File(CHROMIUM).canExecute() || !new File(CHROMEDRIVER).canExecute()) {
            throw new IllegalStateException("Browser tests need Debian's chromium and chromium-driver ("
                    + CHROMIUM + ", " + CHROMEDRIVER + "): bin/test installs them");
        }
        try {
            profile = Files.createTempDirectory("chromium-it-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChromeOptions options = new ChromeOptions()
                .setBinary(CHROMIUM)
                .addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                        "--disable-quic", "--no-first-run", "--disable-background-networking",
                        "--disable-component-update", "--disable-sync", "--disable-extensions",
                        "--user-data-dir=" + profile, "--window-size=1280,900", "--lang=en-US");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER))
                .usingAnyFreePort()
                .build();
        driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
    }

    /** The test's browser, started now if this is its first use. */
    public WebDriver driver() {
        if (driver == null) {
            start();
        }
        return driver;
    }

    /**
     * Navigates to {@code url}. When Keycloak redirects straight on to a client whose host this
     * machine cannot resolve (the demo's classic redirect URIs), the browser still shows the
     * address it was sent to, which is all a test reads; other navigation errors propagate.
     */
    public void open(String url) {
        try {
            driver().get(url);
        } catch (WebDriverException e) {
            if (e.getMessage() == null || !e.getMessage().contains("net::ERR_NAME_NOT_RESOLVED")) {
                throw e;
            }
        }
    }

    public WebElement find(By by) {
        return new WebDriverWait(driver(), Duration.ofSeconds(15)).until(d -> d.findElement(by));
    }

    public void type(By field, String text) {
        WebElement element = find(field);
        element.clear();
        element.sendKeys(text);
    }

    public void click(By by) {
        find(by).click();
    }

    /**
     * Signs in on Keycloak's login form and returns once the browser has left it. Waiting matters:
     * the consent page's "Yes" button has the same id ({@code kc-login}) as the sign-in button, so
     * a click or a read right after submitting could still hit the sign-in page.
     */
    public void signIn(String username, String password) {
        WebElement usernameField = find(By.id("username"));
        type(By.id("username"), username);
        type(By.id("password"), password);
        click(By.id("kc-login"));
        awaitGone(usernameField);
    }

    /** Waits until {@code element}'s page has been replaced, e.g. after a click that submits a form. */
    public void awaitGone(WebElement element) {
        new WebDriverWait(driver(), Duration.ofSeconds(20)).until(ExpectedConditions.stalenessOf(element));
    }

    /** Waits until the browser's address matches, e.g. after a redirect to a client. */
    public String awaitUrl(Predicate<String> condition) {
        return new WebDriverWait(driver(), Duration.ofSeconds(20))
                .until(d -> condition.test(d.getCurrentUrl()) ? d.getCurrentUrl() : null);
    }

    public String pageText() {
        return driver().findElement(By.tagName("body")).getText();
    }

    public void resize(int width, int height) {
        driver().manage().window().setSize(new Dimension(width, height));
    }

    /** Saves a PNG of the page, for reviewers, under the screenshots directory. */
    public Path screenshot(String name) {
        Path dir = Path.of(System.getProperty("screenshots.dir", "target/screenshots"));
        try {
            Files.createDirectories(dir);
            Path file = dir.resolve(name + ".png");
            Files.write(file, ((TakesScreenshot) driver()).getScreenshotAs(OutputType.BYTES));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void close() {
        // Also called after a start that failed part way: its error is the one worth reporting.
        try {
            if (driver != null) {
                driver.quit();
            }
        } finally {
            driver = null;
            if (profile != null) {
                try (var files = Files.walk(profile)) {
                    files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                } catch (IOException ignored) {
                    // a temp profile left behind is harmless
                }
                profile = null;
            }
        }
    }
}
