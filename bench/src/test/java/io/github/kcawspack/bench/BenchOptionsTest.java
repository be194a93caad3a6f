package io.github.kcawspack.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import joptsimple.OptionException;
import org.junit.jupiter.api.Test;

class BenchOptionsTest {

    private static BenchOptions parse(String... args) throws IOException {
        return BenchOptions.parse(new PrintStream(new ByteArrayOutputStream()), args);
    }

    @Test
    void defaultsAreTheDocumentedOnes() throws IOException {
        BenchOptions options = parse("--project-root=/tmp/pack");

        assertThat(options.warmupSeconds()).isEqualTo(4);
        assertThat(options.durationSeconds()).isEqualTo(10);
        assertThat(options.runs()).isEqualTo(5);
        assertThat(options.slices()).isEqualTo(5);
        assertThat(options.serverWarmupSeconds()).isEqualTo(30);
        assertThat(options.serverWarmupMaxSeconds()).isEqualTo(90);
        assertThat(options.concurrency()).isEqualTo(16);
        assertThat(options.latencyConcurrency()).isEqualTo(64);
        assertThat(options.stsLatencyMs()).isEqualTo(50);
        assertThat(options.maxConcurrentCalls()).isZero();
        assertThat(options.httpPoolMaxThreads()).isZero();
        assertThat(options.serverSettings())
                .isEqualTo("max-concurrent-calls the server's default, http-pool-max-threads Keycloak's default");
        assertThat(options.soak()).isFalse();
        assertThat(options.soakMinutes()).isEqualTo(10);
        assertThat(options.resultsDir().toString()).isEqualTo("/tmp/pack/bench/results");
    }

    @Test
    void readsEveryParameter() throws IOException {
        BenchOptions options = parse("--warmup=2", "--duration", "5", "--concurrency=8", "--latency-concurrency=32",
                "--sts-latency-ms=20", "--runs=3", "--slices=2", "--max-concurrent-calls=64", "--http-pool-max-threads=100", "--soak", "--soak-minutes=3", "--jfr");

        assertThat(options.warmupSeconds()).isEqualTo(2);
        assertThat(options.durationSeconds()).isEqualTo(5);
        assertThat(options.concurrency()).isEqualTo(8);
        assertThat(options.latencyConcurrency()).isEqualTo(32);
        assertThat(options.stsLatencyMs()).isEqualTo(20);
        assertThat(options.runs()).isEqualTo(3);
        assertThat(options.slices()).isEqualTo(2);
        assertThat(options.maxConcurrentCalls()).isEqualTo(64);
        assertThat(options.httpPoolMaxThreads()).isEqualTo(100);
        assertThat(options.serverSettings()).isEqualTo("max-concurrent-calls 64, http-pool-max-threads 100");
        assertThat(options.soak()).isTrue();
        assertThat(options.soakMinutes()).isEqualTo(3);
        assertThat(options.jfr()).isTrue();
    }

    @Test
    void aMisspeltOrAbbreviatedOptionIsAnErrorNotADefault() {
        assertThatThrownBy(() -> parse("--durration=5")).isInstanceOf(OptionException.class).hasMessageContaining("durration");
        assertThatThrownBy(() -> parse("--dur=5")).isInstanceOf(OptionException.class).hasMessageContaining("dur");
        assertThatThrownBy(() -> parse("five")).hasMessageContaining("five");
    }

    @Test
    void numbersMustMakeSense() {
        assertThatThrownBy(() -> parse("--concurrency=0")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--concurrency must be at least 1, not 0");
        assertThatThrownBy(() -> parse("--duration=ten")).isInstanceOf(OptionException.class).hasMessageContaining("duration");
    }

    @Test
    void helpListsEveryOptionWithItsDefault() throws IOException {
        ByteArrayOutputStream help = new ByteArrayOutputStream();

        assertThat(BenchOptions.parse(new PrintStream(help), "--help")).isNull();
        assertThat(help.toString()).contains("--soak", "--runs", "(default: 5)", "--max-concurrent-calls",
                "--http-pool-max-threads");
    }
}
