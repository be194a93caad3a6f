package io.github.kcawspack.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BenchOptionsTest {

    @Test
    void defaultsAreTheDocumentedOnes() {
        BenchOptions options = BenchOptions.parse(new String[] {"--project-root=/tmp/pack"});

        assertThat(options.warmup()).isEqualTo(Duration.ofSeconds(8));
        assertThat(options.serverWarmup()).isEqualTo(Duration.ofSeconds(30));
        assertThat(options.serverWarmupMax()).isEqualTo(Duration.ofSeconds(90));
        assertThat(options.rounds()).isEqualTo(4);
        assertThat(options.duration()).isEqualTo(Duration.ofSeconds(20));
        assertThat(options.concurrency()).isEqualTo(16);
        assertThat(options.latencyConcurrency()).isEqualTo(64);
        assertThat(options.stsLatency()).isEqualTo(Duration.ofMillis(50));
        assertThat(options.soak()).isFalse();
        assertThat(options.soakDuration()).isEqualTo(Duration.ofMinutes(10));
        assertThat(options.resultsDir().toString()).isEqualTo("/tmp/pack/bench/results");
    }

    @Test
    void readsEveryParameter() {
        BenchOptions options = BenchOptions.parse(new String[] {"--warmup=2", "--duration=5", "--concurrency=8",
                "--latency-concurrency=32", "--sts-latency-ms=20", "--soak", "--soak-minutes=3", "--jfr"});

        assertThat(options.warmup()).isEqualTo(Duration.ofSeconds(2));
        assertThat(options.duration()).isEqualTo(Duration.ofSeconds(5));
        assertThat(options.concurrency()).isEqualTo(8);
        assertThat(options.latencyConcurrency()).isEqualTo(32);
        assertThat(options.stsLatency()).isEqualTo(Duration.ofMillis(20));
        assertThat(options.soak()).isTrue();
        assertThat(options.soakDuration()).isEqualTo(Duration.ofMinutes(3));
        assertThat(options.jfr()).isTrue();
    }

    @Test
    void aMisspeltOptionIsAnErrorNotADefault() {
        assertThatThrownBy(() -> BenchOptions.parse(new String[] {"--durration=5"}))
                .hasMessageContaining("--durration");
    }

    @Test
    void numbersMustMakeSense() {
        assertThatThrownBy(() -> BenchOptions.parse(new String[] {"--concurrency=0"}))
                .hasMessageContaining("--concurrency must be a whole number, at least 1");
        assertThatThrownBy(() -> BenchOptions.parse(new String[] {"--duration=ten"}))
                .hasMessageContaining("--duration");
    }
}
