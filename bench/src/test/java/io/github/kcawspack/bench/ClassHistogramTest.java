package io.github.kcawspack.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ClassHistogramTest {

    private static final String BEFORE = """
            12345:
             num     #instances         #bytes  class name (module)
            -------------------------------------------------------
               1:        100000        8000000  [B (java.base@17.0.15)
               2:         50000        1200000  java.lang.String (java.base@17.0.15)
               3:           100           4000  org.infinispan.container.entries.MortalCacheEntry
            Total        150100        9204000
            """;

    private static final String AFTER = """
            12345:
             num     #instances         #bytes  class name (module)
            -------------------------------------------------------
               1:        110000        9000000  [B (java.base@17.0.15)
               2:         49000        1176000  java.lang.String (java.base@17.0.15)
               3:         10100         404000  org.infinispan.container.entries.MortalCacheEntry
               4:         10000         160000  org.keycloak.models.sessions.infinispan.entities.SingleUseObjectValueEntity
            Total        179100       10740000
            """;

    @Test
    void listsTheClassesThatGrewLargestFirst() {
        assertThat(BenchServer.ClassHistogram.parse(AFTER).changesSince(BenchServer.ClassHistogram.parse(BEFORE), true, 10)).containsExactly(
                new BenchServer.ClassHistogram.Delta("[B", 10000, 1000000),
                new BenchServer.ClassHistogram.Delta("org.infinispan.container.entries.MortalCacheEntry", 10000, 400000),
                new BenchServer.ClassHistogram.Delta("org.keycloak.models.sessions.infinispan.entities.SingleUseObjectValueEntity",
                        10000, 160000));
    }

    @Test
    void readsTheTotalOfLiveObjects() {
        assertThat(BenchServer.ClassHistogram.parse(BEFORE).totalBytes()).isEqualTo(9204000);
        assertThat(BenchServer.ClassHistogram.parse(AFTER).totalBytes()).isEqualTo(10740000);
    }

    @Test
    void listsTheClassesThatShrank() {
        assertThat(BenchServer.ClassHistogram.parse(AFTER).changesSince(BenchServer.ClassHistogram.parse(BEFORE), false, 10)).containsExactly(
                new BenchServer.ClassHistogram.Delta("java.lang.String", -1000, -24000));
    }
}
