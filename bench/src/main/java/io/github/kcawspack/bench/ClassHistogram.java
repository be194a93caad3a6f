package io.github.kcawspack.bench;

import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** Live objects per class, as {@code jcmd PID GC.class_histogram} prints them after a full GC. */
final class ClassHistogram {

    /** What a class gained between two histograms. */
    record Delta(String className, long instances, long bytes) {
    }

    // "   1:        123456        9876543  [B (java.base@17.0.15)"
    private static final Pattern ROW = Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+)");

    // "Total        150100        9204000"
    private static final Pattern TOTAL = Pattern.compile("^Total\\s+\\d+\\s+(\\d+)");

    private final Map<String, long[]> byClass;
    private final long totalBytes;

    private ClassHistogram(Map<String, long[]> byClass, long totalBytes) {
        this.byClass = byClass;
        this.totalBytes = totalBytes;
    }

    /**
     * Bytes of all live objects: what the full GC before the histogram left, object by object,
     * without the partly used regions that the heap's "used" figure also counts.
     */
    long totalBytes() {
        return totalBytes;
    }

    static ClassHistogram parse(String jcmdOutput) {
        Map<String, long[]> byClass = new HashMap<>();
        long total = -1;
        for (String line : jcmdOutput.split("\n")) {
            Matcher row = ROW.matcher(line);
            Matcher totalRow = TOTAL.matcher(line);
            if (row.find()) {
                byClass.merge(row.group(3), new long[] {Long.parseLong(row.group(1)), Long.parseLong(row.group(2))},
                        (a, b) -> new long[] {a[0] + b[0], a[1] + b[1]});
            } else if (totalRow.find()) {
                total = Long.parseLong(totalRow.group(1));
            }
        }
        if (total < 0) {
            throw new IllegalStateException("no Total line in the class histogram:\n" + jcmdOutput);
        }
        return new ClassHistogram(byClass, total);
    }

    /** The classes that grew most (in bytes) from {@code earlier} to this histogram. */
    List<Delta> largestGrowthSince(ClassHistogram earlier, int limit) {
        return deltasSince(earlier).filter(delta -> delta.bytes() > 0)
                .sorted(Comparator.comparingLong(Delta::bytes).reversed())
                .limit(limit)
                .toList();
    }

    /** The classes that shrank most (in bytes): what else moved the heap while something was measured. */
    List<Delta> largestShrinkSince(ClassHistogram earlier, int limit) {
        return deltasSince(earlier).filter(delta -> delta.bytes() < 0)
                .sorted(Comparator.comparingLong(Delta::bytes))
                .limit(limit)
                .toList();
    }

    private Stream<Delta> deltasSince(ClassHistogram earlier) {
        Set<String> classes = new HashSet<>(byClass.keySet());
        classes.addAll(earlier.byClass.keySet());
        return classes.stream().map(name -> {
            long[] before = earlier.byClass.getOrDefault(name, new long[2]);
            long[] after = byClass.getOrDefault(name, new long[2]);
            return new Delta(name, after[0] - before[0], after[1] - before[1]);
        });
    }
}
