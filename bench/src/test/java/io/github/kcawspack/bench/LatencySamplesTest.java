package io.github.kcawspack.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class LatencySamplesTest {

    @Test
    void percentilesAreNearestRankOverAllWorkers() {
        LatencySamples first = new LatencySamples();
        LatencySamples second = new LatencySamples();
        for (int ms = 1; ms <= 100; ms++) {
            (ms % 2 == 0 ? first : second).add(ms * 1_000_000L);
        }

        LatencySamples.Sorted all = LatencySamples.merge(List.of(first, second));

        assertThat(all.count()).isEqualTo(100);
        assertThat(all.percentileMillis(50)).isEqualTo(50.0);
        assertThat(all.percentileMillis(95)).isEqualTo(95.0);
        assertThat(all.percentileMillis(99)).isEqualTo(99.0);
        assertThat(all.percentileMillis(100)).isEqualTo(100.0);
    }

    @Test
    void growsPastItsFirstArray() {
        LatencySamples samples = new LatencySamples();
        for (int i = 0; i < 10_000; i++) {
            samples.add(i);
        }
        assertThat(samples.size()).isEqualTo(10_000);
        assertThat(LatencySamples.merge(List.of(samples)).percentileMillis(100)).isEqualTo(9_999 / 1e6);
    }

    @Test
    void nothingMeasuredHasNoPercentile() {
        assertThat(LatencySamples.merge(List.of(new LatencySamples())).percentileMillis(99)).isNaN();
    }
}
