package io.github.kcawspack.bench;

import java.util.List;

/** results.svg of the default run: tokens/s and latency percentiles per phase, side by side. */
final class ThroughputChart {

    private static final int LABEL_WIDTH = 300;
    private static final int PANEL_WIDTH = 300;
    private static final int GAP = 60;
    private static final int ROW = 40;
    private static final int TOP = 70;
    private static final String[] LATENCY_COLOURS = {"#9ecae1", "#4292c6", "#08519c"};

    private ThroughputChart() {
    }

    static String svg(List<PhaseResult> phases, String subtitle) {
        int height = TOP + ROW * phases.size() + 50;
        Svg svg = new Svg(LABEL_WIDTH + 2 * PANEL_WIDTH + GAP + 40, height);
        svg.text(10, 22, "Token endpoint, one Keycloak, phases one after the other", 16, "start", "#000");
        svg.text(10, 42, subtitle, 11, "start", "#555");

        double tokensMax = Svg.niceCeiling(phases.stream().mapToDouble(PhaseResult::tokensPerSecond).max().orElse(1));
        double latencyMax = Svg.niceCeiling(phases.stream().mapToDouble(PhaseResult::p99Ms).filter(Double::isFinite).max().orElse(1));
        double tokensX = LABEL_WIDTH;
        double latencyX = LABEL_WIDTH + PANEL_WIDTH + GAP;
        axis(svg, tokensX, TOP, phases.size(), tokensMax, "tokens/s");
        axis(svg, latencyX, TOP, phases.size(), latencyMax, "latency ms: p50, p95, p99");

        for (int i = 0; i < phases.size(); i++) {
            PhaseResult phase = phases.get(i);
            double y = TOP + i * ROW;
            svg.text(LABEL_WIDTH - 8, y + 16, phase.name(), 12, "end", "#000");
            svg.text(LABEL_WIDTH - 8, y + 30, phase.concurrency() + " clients, STS " + phase.stsLatencyMs() + " ms", 10, "end", "#555");
            double tokensWidth = PANEL_WIDTH * phase.tokensPerSecond() / tokensMax;
            svg.rect(tokensX, y + 8, tokensWidth, 20, phase.grant().equals(Grant.AWS_IDENTITY.wireName()) ? "#e6550d" : "#737373");
            svg.text(tokensX + tokensWidth + 4, y + 23, ResultsTables.number(phase.tokensPerSecond(), 0), 11, "start", "#000");
            double[] latencies = {phase.p50Ms(), phase.p95Ms(), phase.p99Ms()};
            for (int p = 0; p < latencies.length; p++) {
                double width = Double.isFinite(latencies[p]) ? PANEL_WIDTH * latencies[p] / latencyMax : 0;
                svg.rect(latencyX, y + 6 + p * 8, width, 7, LATENCY_COLOURS[p]);
            }
            svg.text(latencyX + PANEL_WIDTH * (Double.isFinite(phase.p99Ms()) ? phase.p99Ms() : 0) / latencyMax + 4, y + 29,
                    ResultsTables.number(phase.p99Ms(), 0), 10, "start", "#000");
        }
        return svg.document();
    }

    private static void axis(Svg svg, double x, double top, int rows, double max, String title) {
        double bottom = top + rows * ROW;
        svg.text(x, top - 8, title, 12, "start", "#000");
        for (int tick = 0; tick <= 4; tick++) {
            double tx = x + PANEL_WIDTH * tick / 4.0;
            svg.line(tx, top, tx, bottom, "#e0e0e0");
            svg.text(tx, bottom + 14, ResultsTables.number(max * tick / 4, max >= 8 ? 0 : 1), 10, "middle", "#555");
        }
    }
}
