package io.github.kcawspack.bench;

import java.util.List;

/** Everything the default benchmark measured and judged. */
record ThroughputReport(List<PhaseResult> phases, ReplayStoreFootprint.Result replayStore, Targets targets,
        long stsConnections) {
}
