package io.github.kcawspack.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Takes the soak's readings on a fixed schedule while the load runs. */
final class SoakSampler {

    private final KeycloakJvm jvm;
    private final Map<Grant, Load> loads;
    private final Map<Grant, Long> tokensAtLastReading = new LinkedHashMap<>();
    private long lastReadingNanos;
    private ClassHistogram firstLiveObjects;
    private ClassHistogram lastLiveObjects;

    SoakSampler(KeycloakJvm jvm, Map<Grant, Load> loads) {
        this.jvm = jvm;
        this.loads = loads;
    }

    /**
     * Readings at {@code firstNanos}, every {@code interval} after it, and at the end of
     * {@code duration}; throughput of the first is over the warm-up since {@code loadStartNanos}.
     */
    List<SoakReport.Sample> sample(long loadStartNanos, long firstNanos, Duration duration, Duration interval) {
        List<SoakReport.Sample> samples = new ArrayList<>();
        lastReadingNanos = loadStartNanos;
        long end = firstNanos + duration.toNanos();
        for (long at = firstNanos; at - end < 0; at += interval.toNanos()) {
            samples.add(readingAt(at, firstNanos));
        }
        samples.add(readingAt(end, firstNanos));
        return samples;
    }

    private SoakReport.Sample readingAt(long nanoTime, long firstNanos) {
        Load.pauseUntil(nanoTime);
        long now = System.nanoTime();
        double seconds = Math.max(1e-9, (now - lastReadingNanos) / 1e9);
        Map<String, Double> tokensPerSecond = new LinkedHashMap<>();
        loads.forEach((grant, load) -> {
            long tokens = load.tokensSoFar();
            long before = tokensAtLastReading.getOrDefault(grant, 0L);
            tokensPerSecond.put(grant.wireName(), (tokens - before) / seconds);
            tokensAtLastReading.put(grant, tokens);
        });
        lastReadingNanos = now;
        // Descriptors first: the GC the heap reading forces must not be what changes them.
        int fds = jvm.openFileDescriptors();
        ClassHistogram live = jvm.liveObjects();
        if (firstLiveObjects == null) {
            firstLiveObjects = live;
        }
        lastLiveObjects = live;
        long heap = live.totalBytes();
        SoakReport.Sample sample = new SoakReport.Sample((now - firstNanos) / 60e9, heap, fds, tokensPerSecond,
                loads.get(Grant.AWS_IDENTITY).tokensSoFar(), LoadAverage.now());
        System.out.printf("  %5.1f min: live objects after GC %6.1f MB, %4d open fds, tokens/s %s%n", sample.minute(),
                heap / 1048576.0, fds, rounded(tokensPerSecond));
        return sample;
    }

    /** The classes whose live objects grew most from the first reading to the last: what the growth is. */
    List<ClassHistogram.Delta> grownClasses(int limit) {
        return lastLiveObjects.largestGrowthSince(firstLiveObjects, limit);
    }

    /** The classes whose live objects shrank most from the first reading to the last. */
    List<ClassHistogram.Delta> shrunkClasses(int limit) {
        return lastLiveObjects.largestShrinkSince(firstLiveObjects, limit);
    }

    private static Map<String, Long> rounded(Map<String, Double> perSecond) {
        Map<String, Long> rounded = new LinkedHashMap<>();
        perSecond.forEach((grant, value) -> rounded.put(grant, Math.round(value)));
        return rounded;
    }
}
