package io.github.kcawspack.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The JMH benchmark measures accepted requests: if the pack's checks change, this says so here, not in a JMH run. */
class VerificationCostTest {

    @Test
    void theMeasuredRequestAndAnswerAreAccepted() {
        VerificationCost benchmark = new VerificationCost();
        benchmark.signOneRequest();

        assertThat(benchmark.request().authorization().accessKeyId()).isEqualTo("ASIAEXAMPLEEXAMPLE12");
        assertThat(benchmark.both().account()).isEqualTo("123456789012");
    }
}
