package io.github.kcawspack.linkage;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A provider compiled against one version of an API, checked against that version and against a
 * later one that removed a method and a class, made a method final and added an abstract method:
 * exactly what happens to a provider JAR when Keycloak's internal SPIs change.
 */
class LinkageCheckTest {

    private static final Map<String, String> API_V1 = Map.of(
            "api/Base.java", """
                    package api;
                    public abstract class Base {
                        protected String name = "base";
                        protected void hook() {}
                        protected void renamedHook() {}
                        public void old() {}
                        protected static String helper() { return "h"; }
                    }""",
            "api/Spi.java", """
                    package api;
                    public interface Spi { void a(); default void a2() {} }""",
            "api/Gone.java", """
                    package api;
                    public class Gone { public static int value() { return 1; } }""",
            "api/Hidden.java", """
                    package api;
                    public class Hidden { public static void reach() {} }""");

    private static final Map<String, String> API_V2 = Map.of(
            "api/Base.java", """
                    package api;
                    public abstract class Base {
                        protected String name = "base";
                        protected void hook() {}
                        protected static String helper() { return "h"; }
                    }""",
            "api/Spi.java", """
                    package api;
                    public interface Spi { void a(); void b(); default void a2() {} }""",
            "api/Hidden.java", """
                    package api;
                    public class Hidden { static void reach() {} }""");

    private static final Map<String, String> PROVIDER = Map.of(
            "provider/Factory.java", """
                    package provider;
                    public class Factory {
                        public Object create() { return new Impl(); }
                    }""",
            "provider/Impl.java", """
                    package provider;
                    public class Impl extends api.Base implements api.Spi {
                        @Override protected void hook() { old(); }
                        @io.github.kcawspack.linkage.KeycloakOverride @Override protected void renamedHook() {}
                        @io.github.kcawspack.linkage.KeycloakOverride public void a2() {}
                        @Override public void a() { Runnable r = () -> System.out.println(name + helper()); r.run(); }
                        int gone() { return api.Gone.value(); }
                        void hidden() { api.Hidden.reach(); }
                    }""",
            "provider/Unreachable.java", """
                    package provider;
                    public class Unreachable { void x() { api.Gone.value(); } }""");

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
        provider = compile("provider", PROVIDER, v1 + java.io.File.pathSeparator + linkage);
    }

    @Test
    void aProviderLinksAgainstTheApiItWasCompiledAgainst() throws Exception {
        LinkageCheck.Report report = check(v1);

        assertThat(report.problems()).isEmpty();
        assertThat(report.warnings()).isEmpty();
        assertThat(report.classes()).as("Factory and Impl; Unreachable is not reachable").isEqualTo(2);
        assertThat(report.references()).isPositive();
    }

    @Test
    void everyIncompatibilityOfALaterApiIsNamed() throws Exception {
        LinkageCheck.Report report = check(v2);

        assertThat(report.problems()).containsExactlyInAnyOrder(
                "class api.Gone is missing",
                "method api.Base.old() (used by Impl) is missing",
                "method api.Hidden.reach() (used by Impl) is package-private in api.Hidden",
                "Impl does not implement the abstract method api.Spi.b()",
                "Impl.renamedHook() no longer overrides a method of api.Base or its interfaces: Keycloak would never call it");
        // inherited protected members the provider uses through its own class still resolve
        assertThat(String.join("\n", report.problems())).doesNotContain("field").doesNotContain("helper");
    }

    @Test
    void aClassOverridingAMethodThatBecameFinalCannotBeLoaded() throws Exception {
        Map<String, String> v3 = new java.util.HashMap<>(API_V1);
        v3.put("api/Base.java", API_V1.get("api/Base.java").replace("protected void hook()", "protected final void hook()"));

        LinkageCheck.Report report = check(compile("v3", v3, null));

        assertThat(report.problems()).containsExactly("class provider.Impl of the provider cannot be loaded: "
                + "java.lang.IncompatibleClassChangeError: class provider.Impl overrides final method api.Base.hook()V");
    }

    @Test
    void theClassFileReaderSeesMembersThroughTheProvidersOwnClass() throws Exception {
        ClassFile impl = ClassFile.parse(Files.readAllBytes(provider.resolve("provider/Impl.class")));

        assertThat(impl.name()).isEqualTo("provider/Impl");
        assertThat(impl.classes()).contains("api/Base", "api/Spi", "api/Gone", "java/lang/Runnable");
        assertThat(impl.members()).contains(
                new ClassFile.MemberRef(ClassFile.MemberRef.Kind.METHOD, "provider/Impl", "old", "()V"),
                new ClassFile.MemberRef(ClassFile.MemberRef.Kind.METHOD, "api/Gone", "value", "()I"),
                new ClassFile.MemberRef(ClassFile.MemberRef.Kind.METHOD, "api/Base", "<init>", "()V"));
    }

    @Test
    void descriptorsAreReadable() {
        assertThat(LinkageCheck.readable("(Lorg/keycloak/models/ClientModel;Ljava/lang/String;)Lorg/x/Y;"))
                .isEqualTo("(ClientModel, String)");
        assertThat(LinkageCheck.readable("(I[Ljava/lang/String;[[J)V")).isEqualTo("(int, String[], long[][])");
    }

    private static LinkageCheck.Report check(Path api) throws Exception {
        try (URLClassLoader loader = new URLClassLoader(
                new URL[] {api.toUri().toURL(), provider.toUri().toURL()}, LinkageCheckTest.class.getClassLoader())) {
            return LinkageCheck.run(loader, "provider", loader.loadClass("provider.Factory"));
        }
    }

    private static Path compile(String name, Map<String, String> sources, Object classpath) throws IOException {
        Path src = dir.resolve(name + "-src");
        Path out = Files.createDirectories(dir.resolve(name));
        List<String> args = new ArrayList<>(List.of("-d", out.toString(), "--release", "17"));
        if (classpath != null) {
            args.addAll(List.of("-cp", classpath.toString()));
        }
        for (Map.Entry<String, String> source : sources.entrySet()) {
            Path file = src.resolve(source.getKey());
            Files.createDirectories(file.getParent());
            Files.writeString(file, source.getValue());
            args.add(file.toString());
        }
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        assertThat(compiler.run(null, null, null, args.toArray(String[]::new))).as("javac " + name).isZero();
        return out;
    }
}
