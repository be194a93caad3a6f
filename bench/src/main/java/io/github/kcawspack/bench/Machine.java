package io.github.kcawspack.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/** The machine a result was taken on: without it, a throughput figure means little. */
record Machine(int cores, long memoryBytes, String cpu, String os, String benchJava, String keycloakJava) {

    /**
     * The machine's load averages, recorded with every result: the machine is shared. From
     * /proc/loadavg: the JDK's OperatingSystemMXBean gives only the one-minute average.
     */
    record LoadAverage(double oneMinute, double fiveMinutes, double fifteenMinutes) {

        static LoadAverage now() {
            String[] fields = read(Path.of("/proc/loadavg")).trim().split("\\s+");
            return new LoadAverage(Double.parseDouble(fields[0]), Double.parseDouble(fields[1]), Double.parseDouble(fields[2]));
        }

        @Override
        public String toString() {
            return oneMinute + " " + fiveMinutes + " " + fifteenMinutes;
        }
    }

    static Machine describe(Path keycloakJavaHome) {
        return new Machine(Runtime.getRuntime().availableProcessors(),
                ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getTotalMemorySize(),
                // no JDK API names the CPU
                value(read(Path.of("/proc/cpuinfo")), "model name", ':').trim(),
                System.getProperty("os.name") + " " + System.getProperty("os.version"),
                System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"),
                javaRelease(keycloakJavaHome));
    }

    /** IMPLEMENTOR and JAVA_RUNTIME_VERSION from the JDK's release file. */
    private static String javaRelease(Path javaHome) {
        String release = read(javaHome.resolve("release"));
        return (value(release, "IMPLEMENTOR", '=') + " " + value(release, "JAVA_RUNTIME_VERSION", '=')).replace("\"", "");
    }

    private static String value(String text, String key, char separator) {
        return text.lines().filter(line -> line.startsWith(key)).map(line -> line.substring(line.indexOf(separator) + 1))
                .findFirst().orElse("?");
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
