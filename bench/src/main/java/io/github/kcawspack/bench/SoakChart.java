package io.github.kcawspack.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

/** soak.svg: Keycloak's heap after GC and its open file descriptors over the soak. */
final class SoakChart {

    private static final int PANEL_WIDTH = 400;
    private static final int PANEL_HEIGHT = 220;
    private static final int LEFT = 60;
    private static final int GAP = 90;
    private static final int TOP = 70;

    private SoakChart() {
    }

    static String svg(SoakReport report, String subtitle) {
        Svg svg = new Svg(LEFT + 2 * PANEL_WIDTH + GAP + 30, TOP + PANEL_HEIGHT + 50);
        svg.text(10, 22, "Soak: mixed grants on one Keycloak", 16, "start", "#000");
        svg.text(10, 42, subtitle, 11, "start", "#555");
        double minutes = report.samples().get(report.samples().size() - 1).minute();
        panel(svg, LEFT, report.samples(), minutes, "live heap after GC, MB", s -> s.heapAfterGcBytes() / 1048576.0, "#e6550d");
        panel(svg, LEFT + PANEL_WIDTH + GAP, report.samples(), minutes, "open file descriptors",
                SoakReport.Sample::openFileDescriptors, "#3182bd");
        return svg.document();
    }

    private static void panel(Svg svg, double x, List<SoakReport.Sample> samples, double minutes, String title,
            ToDoubleFunction<SoakReport.Sample> value, String colour) {
        double max = Svg.niceCeiling(samples.stream().mapToDouble(value).max().orElse(1) * 1.15);
        double bottom = TOP + PANEL_HEIGHT;
        svg.text(x, TOP - 10, title + " (the first and last readings are compared)", 12, "start", "#000");
        for (int tick = 0; tick <= 4; tick++) {
            double y = bottom - PANEL_HEIGHT * tick / 4.0;
            svg.line(x, y, x + PANEL_WIDTH, y, "#e0e0e0");
            svg.text(x - 6, y + 4, ResultsTables.number(max * tick / 4, 0), 10, "end", "#555");
        }
        svg.text(x + PANEL_WIDTH / 2.0, bottom + 30, "minutes after warm-up", 11, "middle", "#555");
        for (int tick = 0; tick <= 4; tick++) {
            svg.text(x + PANEL_WIDTH * tick / 4.0, bottom + 14, ResultsTables.number(minutes * tick / 4, 1), 10, "middle", "#555");
        }
        List<double[]> points = new ArrayList<>();
        for (SoakReport.Sample sample : samples) {
            points.add(new double[] {x + PANEL_WIDTH * sample.minute() / Math.max(minutes, 1e-9),
                    bottom - PANEL_HEIGHT * value.applyAsDouble(sample) / max});
        }
        svg.polyline(points, colour);
    }
}
