package io.github.kcawspack.bench;

import java.util.List;

/**
 * Everything the default benchmark measured and judged.
 *
 * @param warmUp how long the server was warmed up, and its failures (they count towards the
 *               zero-errors target)
 */
record ThroughputReport(ServerWarmUp.Result warmUp, List<PhaseResult> phases, ReplayStoreFootprint.Result replayStore, Targets targets,
        long stsConnections, long stsRequests) {
}
