package io.github.kcawspack.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PhaseRunnerTest {

    @Test
    void comparedPhasesTakeTurnsAbba() {
        assertThat(PhaseRunner.turns(2, 4)).containsExactly(0, 1, 1, 0, 0, 1, 1, 0);
        assertThat(PhaseRunner.turns(2, 1)).containsExactly(0, 1);
        // the default five runs: client_credentials first in three of them, aws_identity first in two
        assertThat(PhaseRunner.turns(2, 5)).containsExactly(0, 1, 1, 0, 0, 1, 1, 0, 0, 1);
    }

    @Test
    void everyPhaseGetsOneTurnPerRoundAndTheSameMeanPosition() {
        // Three phases, two rounds: positions 0+5, 1+4, 2+3; no phase is always later than another.
        assertThat(PhaseRunner.turns(3, 2)).containsExactly(0, 1, 2, 2, 1, 0);
    }
}
