package io.github.kcawspack.linkage;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.keycloak.common.Version;

/**
 * The two halves of the start-time check: the running Keycloak's minor against the tested ones,
 * and, for what a version comparison cannot see, a provider compiled against one version of an API
 * checked against a later one that renamed an overridden method and added an abstract method.
 */
class KeycloakLinkageTest {

    private static final String TESTED = "26.5,26.6,26.7";

    private static final Map<String, String> API_V1 = Map.of(
            "api/Base.java", """
                    package api;
                    public abstract class Base {
                        protected void hook() {}
                        protected void renamedHook() {}
                        public abstract Object create();
                    }""",
            "api/Spi.java", """
                    package api;
                    public interface Spi { void a(); default void a2() {} }""");

    private static final Map<String, String> API_V2 = Map.of(
            "api/Base.java", """
                    package api;
                    public abstract class Base {
                        protected void hook() {}
                        protected void renamedHookV2() {}
                        public abstract Object create();
                    }""",
            "api/Spi.java", """
                    package api;
                    public interface Spi { void a(); void b(); default void a2() {} }""");

    private static final Map<String, String> PROVIDER = Map.of(
            "provider/Impl.java", """
                    package provider;
                    public class Impl extends api.Base implements api.Spi {
                        @io.github.kcawspack.linkage.KeycloakOverride @Override protected void hook() {}
                        @io.github.kcawspack.linkage.KeycloakOverride @Override protected void renamedHook() {}
                        @io.github.kcawspack.linkage.KeycloakOverride @Override public String create() { return ""; }
                        @Override public void a() {}
                        private void b() {} // does not implement Spi.b() when it appears: the JVM skips private methods
                    }""",
            "provider/inner/Helper.java", """
                    package provider.inner;
                    public abstract class Helper implements api.Spi { }""");

    @TempDir
    static Path dir;
    private static Path v1;
    private static Path v2;
    private static Path provider;

    @BeforeAll
    static void compile() throws Exception {
        v1 = compile("v1", API_V1, null);
        v2 = compile("v2", API_V2, null);
        Path linkage = Path.of(KeycloakOverride.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        provider = compile("provider", PROVIDER, v1 + File.pathSeparator + linkage);
    }

    @ParameterizedTest
    @ValueSource(strings = {"26.5.6", "26.6.4", "26.7.3", "26.7.0-SNAPSHOT", "26.6", "26.5.6.redhat-00001"})
    void aTestedMinorStartsWithOneInfoLine(String running) {
        KeycloakLinkage.Verdict verdict = KeycloakLinkage.check("aws-pack-x", running, TESTED, List::of);

        assertThat(verdict.refused()).isFalse();
        assertThat(verdict.line()).isEqualTo("aws-pack-x starts on Keycloak " + running + " (tested on Keycloak"
                + " 26.5, 26.6, 26.7): its 0 @KeycloakOverride methods override Keycloak methods, its 0 classes"
                + " leave no abstract Keycloak method unimplemented");
    }

    @ParameterizedTest
    @ValueSource(strings = {"26.4.9", "25.0.6", "26.8.0", "27.0.0", "999.0.0-SNAPSHOT", "26.10.1", "26", "26.x",
            "unknown", ""})
    void anyOtherVersionIsRefusedNamingTheRunningAndTheTestedVersions(String running) {
        KeycloakLinkage.Verdict verdict = KeycloakLinkage.check("aws-pack-x", running, TESTED, List::of);

        assertThat(verdict.refused()).isTrue();
        assertThat(verdict.line()).isEqualTo("aws-pack-x refuses to start on Keycloak " + running
                + " (tested on Keycloak 26.5, 26.6, 26.7): not a tested minor. Run a tested Keycloak, or remove"
                + " aws-pack-x.jar from providers/.");
    }

    @Test
    void noRecordedMinorsOrNoVersionRefuses() {
        assertThat(KeycloakLinkage.check("aws-pack-x", "26.7.3", "", List::of).refused()).isTrue();
        assertThat(KeycloakLinkage.check("aws-pack-x", null, TESTED, List::of).refused()).isTrue();
    }

    @Test
    void aProviderStartsOnTheApiItWasCompiledAgainst() throws Exception {
        try (URLClassLoader loader = loader(v1)) {
            List<Class<?>> classes = KeycloakLinkage.classesOf(provider, "provider", loader);
            KeycloakLinkage.Verdict verdict = KeycloakLinkage.check("aws-pack-x", "26.7.3", TESTED, () -> classes);

            assertThat(classes).extracting(Class::getName).containsExactly("provider.Impl", "provider.inner.Helper");
            assertThat(verdict.refused()).as(verdict.line()).isFalse();
            assertThat(verdict.line()).contains("its 3 @KeycloakOverride methods override Keycloak methods, its 2 classes");
        }
    }

    @Test
    void anOverrideOfNothingAndAnUnimplementedAbstractMethodRefuse() throws Exception {
        try (URLClassLoader loader = loader(v2)) {
            KeycloakLinkage.Verdict verdict = KeycloakLinkage.check("aws-pack-x", "26.7.3", TESTED,
                    () -> KeycloakLinkage.classesOf(provider, "provider", loader));

            assertThat(verdict.refused()).isTrue();
            assertThat(verdict.line()).isEqualTo("aws-pack-x refuses to start on Keycloak 26.7.3 (tested on Keycloak"
                    + " 26.5, 26.6, 26.7): Impl.renamedHook() overrides no Keycloak method: Keycloak would never call it;"
                    + " Impl does not implement the abstract method api.Spi.b(). Run a tested Keycloak, or remove"
                    + " aws-pack-x.jar from providers/.");
        }
    }

    @Test
    void theBuildRecordsTheTestedMinorsAndTheRunningKeycloakIsOneOfThem() {
        // linkage.properties, filtered from the root POM; keycloak-common here is the compiled-against version
        KeycloakLinkage.require("aws-pack-linkage-test");
        KeycloakLinkage.require("aws-pack-linkage-test");

        assertThat(Version.VERSION).startsWith("26.");
    }

    private static URLClassLoader loader(Path api) throws Exception {
        return new URLClassLoader(new URL[] {api.toUri().toURL(), provider.toUri().toURL()},
                KeycloakLinkageTest.class.getClassLoader());
    }

    private static Path compile(String name, Map<String, String> sources, String classpath) throws Exception {
        Path out = Files.createDirectories(dir.resolve(name));
        List<String> args = new ArrayList<>(List.of("-d", out.toString(), "--release", "17"));
        if (classpath != null) {
            args.addAll(List.of("-cp", classpath));
        }
        for (Map.Entry<String, String> source : sources.entrySet()) {
            Path file = dir.resolve(name + "-src").resolve(source.getKey());
            Files.createDirectories(file.getParent());
            Files.writeString(file, source.getValue());
            args.add(file.toString());
        }
        assertThat(ToolProvider.getSystemJavaCompiler().run(null, null, null, args.toArray(String[]::new)))
                .as("javac " + name).isZero();
        return out;
    }
}
