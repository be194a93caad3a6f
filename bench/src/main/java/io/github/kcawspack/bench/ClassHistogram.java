package io.github.kcawspack.bench;

import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Live objects per class, as {@code jcmd PID GC.class_histogram} prints them after a full GC.
 *
 * @param byClass    instances and bytes per class name
 * @param totalBytes bytes of all live objects: what the full GC left, object by object, without
 *                   the partly used regions that the heap's "used" figure also counts
 */
record ClassHistogram(Map<String, Delta> byClass, long totalBytes) {

    /** What a class has, or gained between two histograms. */
    record Delta(String className, long instances, long bytes) {
    }

    // "   1:        123456        9876543  [B (java.base@17.0.15)"  and  "Total        150100        9204000"
    private static final Pattern ROW = Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+)|^Total\\s+\\d+\\s+(\\d+)");

    static ClassHistogram parse(String jcmdOutput) {
        Map<String, Delta> byClass = new HashMap<>();
        long total = -1;
        for (String line : jcmdOutput.split("\n")) {
            Matcher row = ROW.matcher(line);
            if (!row.find()) {
                continue;
            }
            if (row.group(4) != null) {
                total = Long.parseLong(row.group(4));
            } else {
                byClass.merge(row.group(3), new Delta(row.group(3), Long.parseLong(row.group(1)), Long.parseLong(row.group(2))),
                        (a, b) -> new Delta(a.className(), a.instances() + b.instances(), a.bytes() + b.bytes()));
            }
        }
        if (total < 0) {
            throw new IllegalStateException("no Total line in the class histogram:\n" + jcmdOutput);
        }
        return new ClassHistogram(byClass, total);
    }

    /** The classes that grew most (in bytes) from {@code earlier} to this histogram. */
    List<Delta> largestGrowthSince(ClassHistogram earlier, int limit) {
        return deltasSince(earlier).stream().filter(delta -> delta.bytes() > 0)
                .sorted(Comparator.comparingLong(Delta::bytes).reversed()).limit(limit).toList();
    }

    /** The classes that shrank most (in bytes): what else moved the heap while something was measured. */
    List<Delta> largestShrinkSince(ClassHistogram earlier, int limit) {
        return deltasSince(earlier).stream().filter(delta -> delta.bytes() < 0)
                .sorted(Comparator.comparingLong(Delta::bytes)).limit(limit).toList();
    }

    private List<Delta> deltasSince(ClassHistogram earlier) {
        Set<String> classes = new HashSet<>(byClass.keySet());
        classes.addAll(earlier.byClass.keySet());
        Delta none = new Delta("", 0, 0);
        return classes.stream().map(name -> new Delta(name,
                byClass.getOrDefault(name, none).instances() - earlier.byClass.getOrDefault(name, none).instances(),
                byClass.getOrDefault(name, none).bytes() - earlier.byClass.getOrDefault(name, none).bytes())).toList();
    }
}
