package io.github.kcawspack.linkage;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.Member;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Checks, in the running server, that a provider's code links: starting from its factories, it
 * reads every class of the provider that can be reached (its own package), and for every class,
 * field and method those classes use from outside the provider and outside the JDK (Keycloak,
 * and the libraries Keycloak ships) it asks the server's class loader whether it exists, with a
 * signature and access that the compiled code can use. For the provider's concrete classes it
 * also checks that every abstract method of their Keycloak supertypes is implemented, and it
 * loads every one of them (a final method overridden fails there). Methods marked
 * {@link KeycloakOverride} must still override a method of a supertype.
 *
 * <p>These are the failures the JVM would otherwise report only when a request reaches the code:
 * {@code NoClassDefFoundError}, {@code NoSuchMethodError}, {@code NoSuchFieldError},
 * {@code IllegalAccessError}, {@code AbstractMethodError}, {@code IncompatibleClassChangeError}.
 * Behaviour changes with unchanged signatures are not visible here; the integration tests are
 * for those.
 */
public final class LinkageCheck {

    /** Outcome: problems make the provider unusable; warnings are what could not be inspected. */
    public record Report(int classes, int references, List<String> problems, List<String> warnings) {
        public boolean ok() {
            return problems.isEmpty();
        }
    }

    private final ClassLoader loader;
    private final String ownPrefix;
    private final Map<String, ClassFile> own = new LinkedHashMap<>();
    private final Set<String> problems = new LinkedHashSet<>();
    private final Set<String> warnings = new LinkedHashSet<>();
    private int references;

    private LinkageCheck(ClassLoader loader, String ownPackage) {
        this.loader = loader;
        this.ownPrefix = ownPackage.replace('.', '/') + "/";
    }

    /**
     * Checks the classes of package {@code ownPackage} (and its subpackages) reachable from
     * {@code roots}, resolving everything else through {@code loader}.
     */
    public static Report run(ClassLoader loader, String ownPackage, Class<?>... roots) {
        LinkageCheck check = new LinkageCheck(loader, ownPackage);
        for (Class<?> root : roots) {
            check.collect(internalName(root));
        }
        check.verify();
        return new Report(check.own.size(), check.references, List.copyOf(check.problems), List.copyOf(check.warnings));
    }

    private void collect(String root) {
        Deque<String> pending = new ArrayDeque<>(List.of(root));
        while (!pending.isEmpty()) {
            String name = pending.pop();
            if (own.containsKey(name)) {
                continue;
            }
            byte[] bytes = read(name);
            if (bytes == null) {
                problems.add("class " + dotted(name) + " of the provider itself is missing from its JAR");
                continue;
            }
            try {
                ClassFile file = ClassFile.parse(bytes);
                own.put(name, file);
                file.classes().stream().filter(this::isOwn).forEach(pending::push);
            } catch (IOException e) {
                warnings.add("cannot read " + dotted(name) + ": " + e.getMessage());
            }
        }
    }

    private void verify() {
        Set<String> externalClasses = new LinkedHashSet<>();
        Map<ClassFile.MemberRef, Set<String>> members = new LinkedHashMap<>();
        for (ClassFile file : own.values()) {
            for (String name : file.classes()) {
                if (!isOwn(name)) {
                    externalClasses.add(name);
                }
            }
            // Members named through the provider's own classes count too: javac names the
            // receiver's static type, so an inherited Keycloak field or method (this.event,
            // setContext(...)) is referenced as a member of the provider's class.
            for (ClassFile.MemberRef member : file.members()) {
                members.computeIfAbsent(member, m -> new LinkedHashSet<>()).add(file.name());
            }
        }
        references = externalClasses.size() + members.size();

        Map<String, Class<?>> loaded = new LinkedHashMap<>();
        for (String name : externalClasses) {
            Class<?> type = load(name);
            if (type != null) {
                loaded.put(name, type);
            }
        }
        members.forEach((member, callers) -> {
            Class<?> owner = isOwn(member.owner()) ? loadOwn(member.owner()) : loaded.get(member.owner());
            if (owner != null && !isJdk(owner)) {
                checkMember(owner, member, callers);
            }
        });
        for (String name : own.keySet()) {
            Class<?> type = loadOwn(name);
            if (type != null) {
                checkInheritance(type);
            }
        }
    }

    private Class<?> load(String internalName) {
        try {
            return Class.forName(dotted(internalName), false, loader);
        } catch (ClassNotFoundException | NoClassDefFoundError e) {
            problems.add("class " + dotted(internalName) + " is missing");
        } catch (LinkageError e) {
            problems.add("class " + dotted(internalName) + " cannot be loaded: " + e);
        }
        return null;
    }

    private Class<?> loadOwn(String internalName) {
        try {
            return Class.forName(dotted(internalName), false, loader);
        } catch (ClassNotFoundException | LinkageError e) {
            problems.add("class " + dotted(internalName) + " of the provider cannot be loaded: " + e);
            return null;
        }
    }

    private void checkMember(Class<?> owner, ClassFile.MemberRef ref, Set<String> callers) {
        String what = describe(ref, expectedIn(owner)) + " (used by "
                + String.join(", ", callers.stream().map(LinkageCheck::simpleName).toList()) + ")";
        try {
            Member found = ref.kind() == ClassFile.MemberRef.Kind.FIELD ? findField(owner, ref) : findMethod(owner, ref);
            if (found == null) {
                problems.add(what + " is missing");
                return;
            }
            if (isOwn(internalName(found.getDeclaringClass()))) {
                return; // compiled together with its callers
            }
            for (String caller : callers) {
                String denied = accessDenied(found, caller);
                if (denied != null) {
                    problems.add(describe(ref, expectedIn(owner)) + " (used by " + simpleName(caller) + ") is " + denied);
                }
            }
        } catch (LinkageError e) {
            warnings.add("cannot inspect " + owner.getName() + " for " + what + ": " + e);
        }
    }

    private static Field findField(Class<?> owner, ClassFile.MemberRef ref) {
        // JVMS 5.4.3.2: the class, its superinterfaces, then its superclass, recursively.
        for (Class<?> c = owner; c != null; c = c.getSuperclass()) {
            for (Field field : c.getDeclaredFields()) {
                if (field.getName().equals(ref.name()) && descriptor(field.getType()).equals(ref.descriptor())) {
                    return field;
                }
            }
            for (Class<?> type : superinterfaces(c)) {
                for (Field field : type.getDeclaredFields()) {
                    if (field.getName().equals(ref.name()) && descriptor(field.getType()).equals(ref.descriptor())) {
                        return field;
                    }
                }
            }
        }
        return null;
    }

    private static Executable findMethod(Class<?> owner, ClassFile.MemberRef ref) {
        if (ref.name().equals("<init>")) {
            for (Constructor<?> constructor : owner.getDeclaredConstructors()) {
                if (descriptor(constructor).equals(ref.descriptor())) {
                    return constructor;
                }
            }
            return null;
        }
        // JVMS 5.4.3.3/5.4.3.4: the class and its superclasses (Object for interfaces), then superinterfaces.
        List<Class<?>> search = new ArrayList<>();
        for (Class<?> c = owner; c != null; c = c.getSuperclass()) {
            search.add(c);
        }
        if (owner.isInterface()) {
            search.add(Object.class);
        }
        search.addAll(superinterfaces(owner));
        for (Class<?> c : search) {
            for (Method method : c.getDeclaredMethods()) {
                if (method.getName().equals(ref.name()) && descriptor(method).equals(ref.descriptor())) {
                    return method;
                }
            }
        }
        return null;
    }

    /** Null when {@code caller} may use {@code member}; otherwise why not. */
    private String accessDenied(Member member, String caller) {
        int modifiers = member.getModifiers();
        Class<?> declaring = member.getDeclaringClass();
        if (Modifier.isPublic(modifiers) && Modifier.isPublic(declaring.getModifiers())) {
            return null;
        }
        Class<?> callerClass = loadOwn(caller);
        if (callerClass == null) {
            return null; // already reported
        }
        boolean samePackage = Objects.equals(declaring.getPackageName(), callerClass.getPackageName());
        if (Modifier.isPrivate(modifiers)) {
            return "private";
        }
        if (Modifier.isProtected(modifiers)) {
            for (Class<?> c = callerClass; c != null; c = c.getDeclaringClass()) {
                if (declaring.isAssignableFrom(c)) {
                    return null;
                }
            }
            return samePackage ? null : "protected in " + declaring.getName() + " and " + simpleName(caller) + " is no subclass";
        }
        if (!Modifier.isPublic(modifiers)) {
            return samePackage ? null : "package-private in " + declaring.getName();
        }
        return null; // public member of a non-public class reached through a public subclass
    }

    /**
     * {@link KeycloakOverride} methods that override nothing any more, and abstract methods of the
     * server's supertypes left unimplemented. (A final method overridden, or a class that became
     * an interface, already fails loading the provider's class.)
     */
    private void checkInheritance(Class<?> type) {
        try {
            for (Method method : type.getDeclaredMethods()) {
                if (method.isAnnotationPresent(KeycloakOverride.class) && !overridesSupertype(type, method)) {
                    problems.add(simpleName(internalName(type)) + "." + method.getName()
                            + readable(descriptor(method)) + " no longer overrides a method of "
                            + expectedIn(type) + " or its interfaces: Keycloak would never call it");
                }
            }
            Set<Class<?>> supertypes = new LinkedHashSet<>();
            for (Class<?> c = type.getSuperclass(); c != null; c = c.getSuperclass()) {
                supertypes.add(c);
            }
            supertypes.addAll(superinterfaces(type));
            boolean concrete = !type.isInterface() && !Modifier.isAbstract(type.getModifiers());
            for (Class<?> supertype : supertypes) {
                if (isJdk(supertype)) {
                    continue;
                }
                for (Method method : supertype.getDeclaredMethods()) {
                    int modifiers = method.getModifiers();
                    if (Modifier.isStatic(modifiers) || Modifier.isPrivate(modifiers)) {
                        continue;
                    }
                    if (concrete && Modifier.isAbstract(modifiers) && !implemented(type, method)) {
                        problems.add(simpleName(internalName(type)) + " does not implement the abstract method "
                                + supertype.getName() + "." + method.getName() + readable(descriptor(method)));
                    }
                }
            }
        } catch (LinkageError e) {
            warnings.add("cannot inspect the supertypes of " + type.getName() + ": " + e);
        }
    }

    /** True when a superclass or interface of {@code type} declares an overridable {@code method}. */
    private static boolean overridesSupertype(Class<?> type, Method method) {
        Set<Class<?>> supertypes = new LinkedHashSet<>();
        for (Class<?> c = type.getSuperclass(); c != null; c = c.getSuperclass()) {
            supertypes.add(c);
        }
        supertypes.addAll(superinterfaces(type));
        String parameters = descriptor(method);
        parameters = parameters.substring(0, parameters.indexOf(')') + 1);
        for (Class<?> supertype : supertypes) {
            for (Method candidate : supertype.getDeclaredMethods()) {
                int modifiers = candidate.getModifiers();
                if (candidate.getName().equals(method.getName()) && !Modifier.isStatic(modifiers)
                        && !Modifier.isPrivate(modifiers) && !Modifier.isFinal(modifiers)
                        && descriptor(candidate).startsWith(parameters)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean implemented(Class<?> type, Method abstractMethod) {
        String wanted = descriptor(abstractMethod);
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            for (Method method : c.getDeclaredMethods()) {
                if (!Modifier.isAbstract(method.getModifiers()) && !Modifier.isStatic(method.getModifiers())
                        && method.getName().equals(abstractMethod.getName()) && descriptor(method).equals(wanted)) {
                    return true;
                }
            }
        }
        for (Class<?> c : superinterfaces(type)) {
            for (Method method : c.getDeclaredMethods()) {
                if (method.isDefault() && method.getName().equals(abstractMethod.getName())
                        && descriptor(method).equals(wanted)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Every interface {@code type} implements, directly or through superclasses and superinterfaces. */
    private static Set<Class<?>> superinterfaces(Class<?> type) {
        Set<Class<?>> result = new LinkedHashSet<>();
        Deque<Class<?>> pending = new ArrayDeque<>();
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            pending.addAll(List.of(c.getInterfaces()));
        }
        while (!pending.isEmpty()) {
            Class<?> next = pending.pop();
            if (result.add(next)) {
                pending.addAll(List.of(next.getInterfaces()));
            }
        }
        return result;
    }

    private boolean isOwn(String internalName) {
        return internalName.startsWith(ownPrefix);
    }

    private static boolean isJdk(Class<?> type) {
        ClassLoader classLoader = type.getClassLoader();
        return classLoader == null || classLoader == ClassLoader.getPlatformClassLoader();
    }

    private byte[] read(String internalName) {
        try (InputStream in = loader.getResourceAsStream(internalName + ".class")) {
            return in == null ? null : in.readAllBytes();
        } catch (IOException e) {
            return null;
        }
    }

    static String descriptor(Class<?> type) {
        if (type.isPrimitive()) {
            return switch (type.getName()) {
                case "void" -> "V";
                case "boolean" -> "Z";
                case "byte" -> "B";
                case "char" -> "C";
                case "short" -> "S";
                case "int" -> "I";
                case "long" -> "J";
                case "float" -> "F";
                case "double" -> "D";
                default -> throw new IllegalArgumentException(type.getName());
            };
        }
        if (type.isArray()) {
            return type.getName().replace('.', '/');
        }
        return "L" + internalName(type) + ";";
    }

    static String descriptor(Executable executable) {
        StringBuilder result = new StringBuilder("(");
        for (Class<?> parameter : executable.getParameterTypes()) {
            result.append(descriptor(parameter));
        }
        result.append(')');
        result.append(executable instanceof Method method ? descriptor(method.getReturnType()) : "V");
        return result.toString();
    }

    /**
     * Where a member was expected: its owner, or for a member named through one of the
     * provider's own classes (an inherited one), the nearest superclass outside the provider.
     */
    private String expectedIn(Class<?> owner) {
        Class<?> c = owner;
        while (c.getSuperclass() != null && isOwn(internalName(c))) {
            c = c.getSuperclass();
        }
        return c.getName();
    }

    private static String describe(ClassFile.MemberRef ref, String owner) {
        if (ref.kind() == ClassFile.MemberRef.Kind.FIELD) {
            return "field " + owner + "." + ref.name();
        }
        String name = ref.name().equals("<init>") ? "constructor " + owner : "method " + owner + "." + ref.name();
        return name + readable(ref.descriptor());
    }

    /** {@code (Lorg/x/A;I)V} as {@code (A, int)}. */
    static String readable(String methodDescriptor) {
        List<String> parameters = new ArrayList<>();
        int i = 1;
        while (methodDescriptor.charAt(i) != ')') {
            int start = i;
            while (methodDescriptor.charAt(i) == '[') {
                i++;
            }
            if (methodDescriptor.charAt(i) == 'L') {
                i = methodDescriptor.indexOf(';', i);
            }
            i++;
            parameters.add(readableType(methodDescriptor.substring(start, i)));
        }
        return "(" + String.join(", ", parameters) + ")";
    }

    private static String readableType(String descriptor) {
        if (descriptor.startsWith("[")) {
            return readableType(descriptor.substring(1)) + "[]";
        }
        return switch (descriptor.charAt(0)) {
            case 'Z' -> "boolean";
            case 'B' -> "byte";
            case 'C' -> "char";
            case 'S' -> "short";
            case 'I' -> "int";
            case 'J' -> "long";
            case 'F' -> "float";
            case 'D' -> "double";
            default -> {
                String name = descriptor.substring(1, descriptor.length() - 1);
                yield name.substring(name.lastIndexOf('/') + 1);
            }
        };
    }

    static String internalName(Class<?> type) {
        return type.getName().replace('.', '/');
    }

    private static String dotted(String internalName) {
        return internalName.replace('/', '.');
    }

    private static String simpleName(String internalName) {
        return internalName.substring(internalName.lastIndexOf('/') + 1);
    }
}
