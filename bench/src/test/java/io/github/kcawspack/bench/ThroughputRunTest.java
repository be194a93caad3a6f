package io.github.kcawspack.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ThroughputRunTest {

    @Test
    void comparedPhasesTakeTurnsAbba() {
        assertThat(ThroughputRun.turns(2, 4)).containsExactly(0, 1, 1, 0, 0, 1, 1, 0);
        assertThat(ThroughputRun.turns(2, 1)).containsExactly(0, 1);
        // the default five runs: client_credentials first in three of them, aws_identity first in two
        assertThat(ThroughputRun.turns(2, 5)).containsExactly(0, 1, 1, 0, 0, 1, 1, 0, 0, 1);
        // five slices a run: run 2 starts with the phase run 1 ended with (slices 6 to 10 of 2 x 5 rounds)
        assertThat(ThroughputRun.turns(2, 10).subList(10, 20)).containsExactly(1, 0, 0, 1, 1, 0, 0, 1, 1, 0);
    }

    @Test
    void everyPhaseGetsOneTurnPerRoundAndTheSameMeanPosition() {
        // Three phases, two rounds: positions 0+5, 1+4, 2+3; no phase is always later than another.
        assertThat(ThroughputRun.turns(3, 2)).containsExactly(0, 1, 2, 2, 1, 0);
    }
}
