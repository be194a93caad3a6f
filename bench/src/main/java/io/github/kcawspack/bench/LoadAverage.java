package io.github.kcawspack.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The machine's load averages, recorded with every result: the machine is shared. From
 * /proc/loadavg: the JDK's OperatingSystemMXBean gives only the one-minute average.
 */
record LoadAverage(double oneMinute, double fiveMinutes, double fifteenMinutes) {

    static LoadAverage now() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return new LoadAverage(Double.parseDouble(fields[0]), Double.parseDouble(fields[1]), Double.parseDouble(fields[2]));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read /proc/loadavg", e);
        }
    }

    @Override
    public String toString() {
        return oneMinute + " " + fiveMinutes + " " + fifteenMinutes;
    }
}
