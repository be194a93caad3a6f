package io.github.kcawspack.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

/** The charts are hand-written SVG: they must at least be well-formed and carry the figures. */
class ChartsTest {

    private static PhaseResult phase(String name, String grant, double tokensPerSecond) {
        return new PhaseResult(name, grant, 16, 0, 100, tokensPerSecond, 10, 20, 30, 25, 0, Map.of(), 0, 0, 2.5, 1.5, 0.0, 0.3,
                0.1, 100 << 20, new LoadAverage(0.5, 0.4, 0.3), 0, Load.histogram());
    }

    @Test
    void throughputChartIsWellFormedSvgWithEveryPhase() throws Exception {
        String svg = ThroughputChart.svg(List.of(phase("client_credentials", "client_credentials", 300),
                phase("aws_identity <&>", "aws_identity", 250)), "subtitle & more");

        Document document = parse(svg);
        assertThat(document.getDocumentElement().getLocalName()).isEqualTo("svg");
        assertThat(document.getDocumentElement().getTextContent()).contains("client_credentials", "aws_identity <&>", "300", "250");
    }

    @Test
    void soakChartIsWellFormedSvg() throws Exception {
        SoakReport.Sample first = new SoakReport.Sample(0, 100 << 20, 400, Map.of("aws_identity", 100.0), 0,
                new LoadAverage(1, 1, 1));
        SoakReport.Sample last = new SoakReport.Sample(10, 105 << 20, 402, Map.of("aws_identity", 100.0), 60_000,
                new LoadAverage(1, 1, 1));
        SoakReport report = new SoakReport(List.of(first, last), List.of(),
                SoakReport.Verdict.of(100, 105, 0.1), SoakReport.Verdict.of(400, 402, 0.1), List.of(), List.of());

        assertThat(parse(SoakChart.svg(report, "subtitle")).getDocumentElement().getTextContent()).contains("heap after GC");
    }

    @Test
    void axisMaximaAreRound() {
        assertThat(Svg.niceCeiling(0.7)).isEqualTo(1.0);
        assertThat(Svg.niceCeiling(301)).isEqualTo(500.0);
        assertThat(Svg.niceCeiling(1500)).isEqualTo(2000.0);
        assertThat(Svg.niceCeiling(0)).isEqualTo(1.0);
    }

    private static Document parse(String svg) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newDefaultInstance();
        factory.setNamespaceAware(true);
        return factory.newDocumentBuilder().parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
    }
}
