package io.github.kcawspack.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** The machine a result was taken on: without it, a throughput figure means little. */
record Machine(int cores, long memoryBytes, String cpu, String os, String benchJava, String keycloakJava) {

    static Machine describe(Path keycloakJavaHome) {
        return new Machine(
                Runtime.getRuntime().availableProcessors(),
                ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getTotalMemorySize(),
                cpuModel(),
                System.getProperty("os.name") + " " + System.getProperty("os.version"),
                System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"),
                javaRelease(keycloakJavaHome));
    }

    /** No JDK API names the CPU: /proc/cpuinfo. */
    private static String cpuModel() {
        return procLine(Path.of("/proc/cpuinfo"), "model name")
                .map(line -> line.substring(line.indexOf(':') + 1).trim())
                .orElse("unknown");
    }

    /** IMPLEMENTOR and JAVA_RUNTIME_VERSION from the JDK's release file. */
    private static String javaRelease(Path javaHome) {
        try {
            String release = Files.readString(javaHome.resolve("release"));
            return value(release, "IMPLEMENTOR") + " " + value(release, "JAVA_RUNTIME_VERSION");
        } catch (IOException e) {
            return javaHome.toString();
        }
    }

    private static String value(String release, String key) {
        return release.lines().filter(line -> line.startsWith(key + "="))
                .map(line -> line.substring(key.length() + 1).replace("\"", ""))
                .findFirst().orElse("?");
    }

    private static Optional<String> procLine(Path file, String prefix) {
        try {
            return Files.readAllLines(file).stream().filter(line -> line.startsWith(prefix)).findFirst();
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
