package io.github.kcawspack.bench;

import java.util.Locale;

/** The run's figures as tables: the same rows on the terminal, in results.md and in README. */
final class ResultsTables {

    private ResultsTables() {
    }

    static Table phases(ThroughputReport report) {
        Table table = new Table("phase", "clients", "STS ms", "tokens/s", "p50 ms", "p95 ms", "p99 ms", "errors",
                "STS conns", "KC CPU ms/token", "KC cores", "KC JIT cores", "other cores", "KC live heap MB");
        for (PhaseResult phase : report.phases()) {
            table.row(phase.name(), phase.concurrency(), phase.stsLatencyMs(), number(phase.tokensPerSecond(), 0),
                    number(phase.p50Ms(), 1), number(phase.p95Ms(), 1), number(phase.p99Ms(), 1), phase.errors(),
                    phase.stsConnections(), number(phase.keycloakCpuMsPerToken(), 2), number(phase.keycloakCores(), 2),
                    number(phase.keycloakJitCores(), 2), number(phase.othersCores(), 2), number(phase.heapAfterGcBytes() / 1048576.0, 1));
        }
        return table;
    }

    static Table targets(Targets targets) {
        Table table = new Table("#", "target", "measured", "result");
        for (Targets.Check check : targets.checks()) {
            table.row(check.number(), check.target(), check.measured(), check.verdict());
        }
        return table;
    }

    static Table soakGrants(SoakReport report) {
        Table table = new Table("grant", "clients", "tokens/s", "p50 ms", "p95 ms", "p99 ms", "errors");
        for (SoakReport.GrantSummary grant : report.grants()) {
            table.row(grant.grant(), grant.clients(), number(grant.tokensPerSecond(), 0), number(grant.p50Ms(), 1),
                    number(grant.p95Ms(), 1), number(grant.p99Ms(), 1), grant.errors());
        }
        return table;
    }

    static Table soakReadings(SoakReport report) {
        Table table = new Table("reading", "first", "last", "change", "result");
        table.row("Keycloak heap after GC (live objects), MB", number(report.heap().start() / 1048576.0, 1),
                number(report.heap().end() / 1048576.0, 1), percent(report.heap().change()),
                report.heap().pass() ? "PASS" : "FAIL");
        table.row("Keycloak open file descriptors", report.fileDescriptors().start(), report.fileDescriptors().end(),
                percent(report.fileDescriptors().change()), report.fileDescriptors().pass() ? "PASS" : "FAIL");
        return table;
    }

    static String number(double value, int decimals) {
        return Double.isFinite(value) ? String.format(Locale.ROOT, "%." + decimals + "f", value) : "-";
    }

    private static String percent(double change) {
        return String.format(Locale.ROOT, "%+.1f %%", change * 100);
    }
}
