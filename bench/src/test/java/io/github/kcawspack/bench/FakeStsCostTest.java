package io.github.kcawspack.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The fake STS benchmark measures verified requests: a request the fake refuses would measure the refusal. */
class FakeStsCostTest {

    @Test
    void theMeasuredRequestVerifiesAndIsAnswered() throws Exception {
        FakeStsCost benchmark = new FakeStsCost();
        benchmark.signAndStart();
        try {
            assertThat(benchmark.verify().code()).isEqualTo("OK");
            assertThat(benchmark.roundTrip()).isEqualTo(200);
        } finally {
            benchmark.stop();
        }
    }
}
