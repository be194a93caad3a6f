package io.github.kcawspack.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where Keycloak spent its CPU in a recording: JFR's execution samples counted by method, as the
 * running method (self) and anywhere on the stack (total, once per sample). On a shared machine
 * absolute times mean little; these shares of samples still show which code costs what.
 */
final class JfrHotMethods {

    /** A method and the share of all execution samples it was in. */
    record Entry(String method, long samples, double share) {
        @Override
        public String toString() {
            return String.format("%5.1f %%  %s", share * 100, method);
        }
    }

    record Summary(long samples, List<Entry> self, List<Entry> total, List<Entry> pack) {
        String text(String title) {
            StringBuilder out = new StringBuilder(title).append(": ").append(samples).append(" execution samples\n");
            out.append(" running (self):\n");
            self.forEach(entry -> out.append("   ").append(entry).append('\n'));
            out.append(" on the stack (total):\n");
            total.forEach(entry -> out.append("   ").append(entry).append('\n'));
            out.append(" the pack's code on the stack (total):\n");
            pack.forEach(entry -> out.append("   ").append(entry).append('\n'));
            return out.toString();
        }
    }

    private static final String PACK = "io.github.kcawspack.";

    private JfrHotMethods() {
    }

    /**
     * @param totalPrefixes only methods of classes with one of these prefixes are listed in the
     *                      total view (Keycloak's request plumbing is on every stack and says nothing)
     */
    static Summary of(List<Path> recordings, int limit, List<String> totalPrefixes) {
        Counts counts = new Counts(totalPrefixes);
        for (Path recording : recordings) {
            try (RecordingFile file = new RecordingFile(recording)) {
                while (file.hasMoreEvents()) {
                    RecordedEvent event = file.readEvent();
                    if (event.getEventType().getName().equals("jdk.ExecutionSample") && event.getStackTrace() != null) {
                        counts.add(event.getStackTrace());
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + recording, e);
            }
        }
        return new Summary(counts.samples, top(counts.self, counts.samples, limit),
                top(counts.total, counts.samples, limit), top(counts.pack, counts.samples, 2 * limit));
    }

    /** Samples counted by method: running, on the stack among the listed prefixes, and the pack's. */
    private static final class Counts {
        private final List<String> totalPrefixes;
        private final Map<String, Long> self = new HashMap<>();
        private final Map<String, Long> total = new HashMap<>();
        private final Map<String, Long> pack = new HashMap<>();
        private long samples;

        Counts(List<String> totalPrefixes) {
            this.totalPrefixes = totalPrefixes;
        }

        void add(RecordedStackTrace stack) {
            List<RecordedFrame> frames = stack.getFrames();
            if (frames.isEmpty()) {
                return;
            }
            samples++;
            self.merge(name(frames.get(0)), 1L, Long::sum);
            Set<String> seen = new HashSet<>();
            for (RecordedFrame frame : frames) {
                String name = name(frame);
                if (!seen.add(name)) {
                    continue;
                }
                if (totalPrefixes.stream().anyMatch(name::startsWith)) {
                    total.merge(name, 1L, Long::sum);
                }
                if (name.startsWith(PACK)) {
                    pack.merge(name, 1L, Long::sum);
                }
            }
        }
    }

    private static String name(RecordedFrame frame) {
        return frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
    }

    private static List<Entry> top(Map<String, Long> counts, long samples, int limit) {
        return counts.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .limit(limit)
                .map(e -> new Entry(e.getKey(), e.getValue(), (double) e.getValue() / Math.max(1, samples)))
                .toList();
    }
}
