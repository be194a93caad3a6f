package io.github.kcawspack.awsidentity.sts;

import static io.github.kcawspack.awsidentity.sts.StsErrorClass.INVALID_CREDENTIALS;
import static io.github.kcawspack.awsidentity.sts.StsErrorClass.UNAVAILABLE;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class StsErrorClassTest {

    @ParameterizedTest
    @CsvSource({
            "403, SignatureDoesNotMatch",
            "400, IncompleteSignature",
            "403, InvalidClientTokenId",
            "403, ExpiredToken",
            "400, ExpiredTokenException",
            "400, RequestExpired",
            "403, AccessDenied",
            "403, MissingAuthenticationToken",
            "400, InvalidIdentityToken",
            "400, InvalidAction",
            "403, RegionDisabledException",
    })
    void callerErrorsAreInvalidCredentials(int status, String code) {
        assertThat(StsErrorClass.classify(status, Optional.of(code))).isEqualTo(INVALID_CREDENTIALS);
    }

    @ParameterizedTest
    @CsvSource({
            "400, Throttling",
            "400, ThrottlingException",
            "503, RequestLimitExceeded",
            "400, RequestLimitExceeded",
            "503, ServiceUnavailable",
            "500, InternalFailure",
            "403, ServiceUnavailable",
    })
    void throttlingAndAwsFailuresAreUnavailableWhateverTheStatus(int status, String code) {
        assertThat(StsErrorClass.classify(status, Optional.of(code))).isEqualTo(UNAVAILABLE);
    }

    @ParameterizedTest
    @ValueSource(ints = {500, 502, 503, 504, 599, 429, 408})
    void serverStatusesAreUnavailableEvenWithACallerErrorCode(int status) {
        assertThat(StsErrorClass.classify(status, Optional.empty())).isEqualTo(UNAVAILABLE);
        assertThat(StsErrorClass.classify(status, Optional.of("SignatureDoesNotMatch"))).isEqualTo(UNAVAILABLE);
    }

    @ParameterizedTest
    @ValueSource(ints = {400, 401, 403, 404, 405, 413, 499})
    void clientStatusesWithoutCodeAreInvalidCredentials(int status) {
        assertThat(StsErrorClass.classify(status, Optional.empty())).isEqualTo(INVALID_CREDENTIALS);
    }

    @ParameterizedTest
    @ValueSource(ints = {100, 301, 302, 307, 308})
    void redirectsAndOtherOddStatusesAreUnavailable(int status) {
        assertThat(StsErrorClass.classify(status, Optional.empty())).isEqualTo(UNAVAILABLE);
    }

    @Test
    void codesAreCaseSensitiveAsAwsWritesThem() {
        assertThat(StsErrorClass.classify(400, Optional.of("throttling"))).isEqualTo(INVALID_CREDENTIALS);
    }
}
