package io.github.kcawspack.bench;

import java.util.List;
import java.util.Map;

/**
 * Everything the default benchmark measured and judged.
 *
 * @param warmUpErrors failures during the warm-up, which count towards the zero-errors target
 */
record ThroughputReport(Map<String, Long> warmUpErrors, List<PhaseResult> phases, ReplayStoreFootprint.Result replayStore, Targets targets,
        long stsConnections) {
}
