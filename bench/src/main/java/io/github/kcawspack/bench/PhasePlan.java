package io.github.kcawspack.bench;

import java.time.Duration;

/**
 * One phase: {@code concurrency} clients send {@code grant} requests back to back (each waits for
 * its answer, then sends the next) for {@code warmup} plus {@code duration}; only requests sent
 * and answered within {@code duration} are measured.
 */
record PhasePlan(String name, Grant grant, int concurrency, Duration stsLatency, Duration warmup, Duration duration) {
}
