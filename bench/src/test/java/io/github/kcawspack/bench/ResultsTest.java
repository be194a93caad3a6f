package io.github.kcawspack.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ResultsTest {

    @Test
    void tablesAreMarkdownWithNumbersRightAligned() {
        StringBuilder md = new StringBuilder();
        Results.table(md, List.of("phase", "tokens/s"), List.of(List.of("aws_identity", Results.number(489.4, 0)),
                List.of("password", Results.number(Double.NaN, 0))));

        assertThat(md).hasToString("""
                | phase | tokens/s |
                |---|---:|
                | aws_identity | 489 |
                | password | - |
                """);
    }
}
