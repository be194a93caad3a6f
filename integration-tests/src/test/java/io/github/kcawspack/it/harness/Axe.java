package io.github.kcawspack.it.harness;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;

/**
 * Runs axe-core, the accessibility engine, inside the page the browser shows: the same checks as
 * the axe browser extension (WCAG 2.x A and AA rules and best practices), on the real rendering,
 * colours included. The script is the {@code axe.min.js} that Deque ships in its Maven artifact.
 */
public final class Axe {

    /** The impacts a page must not have. */
    public static final Set<String> BLOCKING = Set.of("serious", "critical");

    private static final String SCRIPT = load();

    /** One rule a page breaks, with the elements that break it. */
    public record Violation(String rule, String impact, String help, List<String> elements) {
        public boolean blocking() {
            return BLOCKING.contains(impact);
        }

        @Override
        public String toString() {
            return impact + " " + rule + ": " + help + "\n    " + String.join("\n    ", elements);
        }
    }

    private Axe() {
    }

    /** Every violation axe finds in the current page, whatever its impact. */
    @SuppressWarnings("unchecked")
    public static List<Violation> run(WebDriver driver) {
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(60));
        JavascriptExecutor js = (JavascriptExecutor) driver;
        js.executeScript(SCRIPT);
        List<Map<String, Object>> violations = (List<Map<String, Object>>) js.executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                axe.run(document, { resultTypes: ['violations'] })
                   .then(result => done(result.violations.map(v => ({
                       rule: v.id, impact: v.impact, help: v.help,
                       elements: v.nodes.map(n => n.target.join(' ') + ' :: ' + (n.failureSummary || ''))
                   }))))
                   .catch(error => done([{ rule: 'axe-error', impact: 'critical', help: String(error), elements: [] }]));
                """);
        return violations.stream()
                .map(v -> new Violation((String) v.get("rule"), String.valueOf(v.get("impact")), (String) v.get("help"),
                        (List<String>) v.get("elements")))
                .toList();
    }

    /** A readable list, one violation a paragraph, for test output. */
    public static String describe(List<Violation> violations) {
        return violations.isEmpty() ? "no violations"
                : violations.stream().map(Violation::toString).collect(Collectors.joining("\n"));
    }

    private static String load() {
        try (InputStream in = Axe.class.getResourceAsStream("/axe.min.js")) {
            if (in == null) {
                throw new IllegalStateException("axe.min.js is not on the test classpath (com.deque.html.axe-core:selenium)");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
