package io.github.kcawspack.awsidentity.sts;

import static io.github.kcawspack.awsidentity.sts.StsDocuments.error;
import static io.github.kcawspack.awsidentity.sts.StsDocuments.roleResponse;
import static io.github.kcawspack.awsidentity.sts.StsDocuments.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import com.code_intelligence.jazzer.junit.DictionaryFile;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.code_intelligence.jazzer.mutation.annotation.NotNull;
import com.code_intelligence.jazzer.mutation.annotation.WithLength;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Whatever answers in STS's place with an error status, {@link StsErrorResponseParser} gives a
 * plain error code or none, never an exception, and {@link StsErrorClass} classifies the outcome:
 * the grant's error path has no refusal of its own to fall back on.
 */
class StsErrorResponseFuzzTest {

    private static final StsErrorResponseParser PARSER = new StsErrorResponseParser(StsDocuments.MAX_BODY_BYTES);

    /** Seeds: STS's errors for a client fault, throttling and its own failure, and a success document. */
    static Stream<Arguments> anyErrorAnswerGivesAPlainCodeOrNone() {
        return Stream.of(
                arguments(403, "text/xml", utf8(error("SignatureDoesNotMatch"))),
                arguments(400, "text/xml", utf8(error("Throttling"))),
                arguments(500, "text/xml; charset=utf-8", utf8(error("InternalFailure"))),
                arguments(503, "text/html", utf8("<html><body>Service Unavailable</body></html>")),
                arguments(200, "text/xml", utf8(roleResponse())));
    }

    @MethodSource
    @FuzzTest(maxDuration = "30s")
    @DictionaryFile(resourcePath = "sts-answers.dict")
    void anyErrorAnswerGivesAPlainCodeOrNone(int status, String contentType,
            byte @NotNull @WithLength(max = 8192) [] body) {
        Optional<String> code = PARSER.errorCode(body, contentType);

        code.ifPresent(c -> assertThat(c).matches("[A-Za-z0-9.]{1,64}"));
        assertThat(StsErrorClass.classify(status, code)).isNotNull();
    }
}
