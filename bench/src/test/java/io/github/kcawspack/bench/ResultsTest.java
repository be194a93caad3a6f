package io.github.kcawspack.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class ResultsTest {

    @Test
    void tablesAreMarkdownWithNumbersRightAligned() {
        StringBuilder md = new StringBuilder();
        Results.table(md, "phase | tokens/s", Stream.of(List.of("aws_identity", Results.number(489.4, 0)),
                List.of("password", Results.number(Double.NaN, 0))));

        assertThat(md).hasToString("""
                | phase | tokens/s |
                |---|---:|
                | aws_identity | 489 |
                | password | - |
                """);
    }

    @Test
    void resultsJsonCarriesFiguresNotHistograms() throws Exception {
        org.HdrHistogram.Histogram latencies = Load.histogram();
        latencies.recordValue(12_000_000);
        PhaseResult phase = PhaseResult.of(new ThroughputRun.Phase("aws_identity", "aws_identity", 16, 0,
                BenchServer.clientCredentials()), new Load.Tally(latencies, latencies, Map.of()), new Cpu(1000, 3, 0, 0, 0, 0, 3),
                1, 0, 0, 0, 100);

        String json = new ObjectMapper().writeValueAsString(phase);

        assertThat(json).contains("\"p99Ms\":12.0", "\"p99UncorrectedMs\":12.0").doesNotContain("tally", "Histogram", "source");
    }
}
