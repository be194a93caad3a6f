package io.github.kcawspack.linkage;

import java.io.InputStream;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jboss.logging.Logger;
import org.keycloak.common.Version;

/**
 * The start-time gate each provider factory calls first in {@code init()}, through its JAR's
 * {@code ProviderLinkage.require()}. The JAR starts only on a Keycloak minor the compatibility
 * matrix tested (the root POM's {@code keycloak.tested.minors}, recorded in the JAR at build time),
 * and only if, by reflection on the running server, each {@link KeycloakOverride} method still
 * overrides a method of a Keycloak supertype (one outside the JDK and the JAR) and no concrete
 * class leaves an abstract Keycloak method unimplemented: what a version comparison cannot see.
 * Else one ERROR line says why and {@code init()} throws, stopping Keycloak's start (a security
 * extension must not run half-linked); else one INFO line. Each JAR carries its own copy of this
 * package, relocated to {@code <its root package>.linkage} (providers/pom.xml): the state below
 * is per JAR, and the classes checked are the JAR's own under that root package.
 */
public final class KeycloakLinkage {

    private static final Logger LOG = Logger.getLogger(KeycloakLinkage.class);
    private static final Pattern MINOR = Pattern.compile("(\\d+\\.\\d+)(?:[.-].*)?");
    private static Verdict verdict;

    record Verdict(boolean refused, String line) {
    }

    /** Checks this JAR once; later calls (the JAR's other factories) repeat the outcome. */
    public static synchronized void require(String jar) {
        if (verdict == null) {
            Properties build = new Properties();
            try (InputStream in = KeycloakLinkage.class.getResourceAsStream("linkage.properties")) {
                build.load(in);
            } catch (Exception e) {
                // no tested minors recorded: the JAR refuses to start
            }
            String root = KeycloakLinkage.class.getPackageName().replaceFirst("\\.linkage$", "");
            verdict = check(jar, Version.VERSION, build.getProperty("tested.minors", ""), () -> classesOf(root));
            LOG.log(verdict.refused() ? Logger.Level.ERROR : Logger.Level.INFO, verdict.line());
        }
        if (verdict.refused()) {
            throw new IllegalStateException(verdict.line());
        }
    }

    /** The one log line, for Keycloak {@code running} and the comma-separated tested minors. */
    static Verdict check(String jar, String running, String testedMinors, Callable<List<Class<?>>> jarClasses) {
        List<String> tested = Stream.of(testedMinors.split(",")).map(String::trim).filter(m -> !m.isEmpty()).toList();
        String refusal = jar + " refuses to start on Keycloak " + running + " (tested on Keycloak "
                + String.join(", ", tested) + "): ";
        String remedy = ". Run a tested Keycloak, or remove " + jar + ".jar from providers/.";
        Matcher minor = MINOR.matcher(running == null ? "" : running);
        if (!minor.matches() || !tested.contains(minor.group(1))) {
            return new Verdict(true, refusal + "not a tested minor" + remedy);
        }
        List<String> problems = new ArrayList<>();
        int overrides = 0;
        int classes;
        try {
            List<Class<?>> own = jarClasses.call();
            for (Class<?> type : own) {
                overrides += inspect(type, own, problems);
            }
            classes = own.size();
        } catch (Exception | LinkageError e) {
            return new Verdict(true, refusal + "cannot inspect its own classes: " + e + remedy);
        }
        if (!problems.isEmpty()) {
            return new Verdict(true, refusal + String.join("; ", problems) + remedy);
        }
        return new Verdict(false, jar + " starts on Keycloak " + running + " (tested on Keycloak "
                + String.join(", ", tested) + "): its " + overrides + " @KeycloakOverride methods override Keycloak"
                + " methods, its " + classes + " classes leave no abstract Keycloak method unimplemented");
    }

    /** Adds {@code type}'s problems; returns how many {@link KeycloakOverride} methods it has. */
    private static int inspect(Class<?> type, List<Class<?>> own, List<String> problems) {
        Set<Class<?>> keycloak = supertypes(type);
        keycloak.removeIf(t -> own.contains(t) || t.getClassLoader() == null
                || t.getClassLoader() == ClassLoader.getPlatformClassLoader());
        int overrides = 0;
        for (Method method : type.getDeclaredMethods()) {
            if (method.isAnnotationPresent(KeycloakOverride.class) && !method.isBridge()) {
                overrides++;
                if (keycloak.stream().flatMap(t -> Arrays.stream(t.getDeclaredMethods())).noneMatch(m ->
                        m.getName().equals(method.getName()) && Arrays.equals(m.getParameterTypes(), method.getParameterTypes())
                        && (m.getModifiers() & (Modifier.STATIC | Modifier.PRIVATE | Modifier.FINAL)) == 0)) {
                    problems.add(type.getSimpleName() + "." + signature(method)
                            + " overrides no Keycloak method: Keycloak would never call it");
                }
            }
        }
        for (Class<?> supertype : Modifier.isAbstract(type.getModifiers()) ? Set.<Class<?>>of() : keycloak) {
            for (Method method : supertype.getDeclaredMethods()) {
                if (Modifier.isAbstract(method.getModifiers()) && !implemented(type, method)) {
                    problems.add(type.getSimpleName() + " does not implement the abstract method "
                            + supertype.getName() + "." + signature(method));
                }
            }
        }
        return overrides;
    }

    /** A concrete method of the class or a supertype (a default method, for an interface), as the JVM links it. */
    private static boolean implemented(Class<?> type, Method wanted) {
        return Stream.concat(Stream.of(type), supertypes(type).stream()).flatMap(t -> Arrays.stream(t.getDeclaredMethods()))
                .anyMatch(m -> (m.getModifiers() & (Modifier.ABSTRACT | Modifier.STATIC | Modifier.PRIVATE)) == 0
                        && m.getName().equals(wanted.getName()) && m.getReturnType() == wanted.getReturnType()
                        && Arrays.equals(m.getParameterTypes(), wanted.getParameterTypes()));
    }

    /** Superclasses and all interfaces, direct or inherited. */
    private static Set<Class<?>> supertypes(Class<?> type) {
        Set<Class<?>> result = new LinkedHashSet<>();
        List<Class<?>> pending = new ArrayList<>(List.of(type));
        while (!pending.isEmpty()) {
            Class<?> next = pending.remove(pending.size() - 1);
            Stream.concat(Stream.ofNullable(next.getSuperclass()), Stream.of(next.getInterfaces()))
                    .filter(result::add).forEach(pending::add);
        }
        return result;
    }

    private static String signature(Method method) {
        return method.getName() + Arrays.stream(method.getParameterTypes()).map(Class::getSimpleName)
                .collect(Collectors.joining(", ", "(", ")"));
    }

    /** The classes under package {@code root} of the JAR (or classes directory) holding this class. */
    static List<Class<?>> classesOf(String root) throws Exception {
        Path location = Path.of(KeycloakLinkage.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        try (FileSystem jar = Files.isDirectory(location) ? null : FileSystems.newFileSystem(location, (ClassLoader) null)) {
            return classesOf(jar == null ? location : jar.getPath("/"), root, KeycloakLinkage.class.getClassLoader());
        }
    }

    static List<Class<?>> classesOf(Path location, String root, ClassLoader loader) throws Exception {
        Path start = location.resolve(root.replace('.', '/'));
        List<Class<?>> classes = new ArrayList<>();
        try (Stream<Path> files = Files.isDirectory(start) ? Files.walk(start) : Stream.empty()) {
            for (String file : files.map(f -> location.relativize(f).toString().replace('\\', '/')).sorted().toList()) {
                if (file.endsWith(".class") && !file.endsWith("-info.class")) {
                    classes.add(Class.forName(file.substring(0, file.length() - 6).replace('/', '.'), false, loader));
                }
            }
        }
        return classes;
    }
}
