package io.github.kcawspack.awsidentity.sts;

import static io.github.kcawspack.awsidentity.sts.StsDocuments.ACCOUNT;
import static io.github.kcawspack.awsidentity.sts.StsDocuments.error;
import static io.github.kcawspack.awsidentity.sts.StsDocuments.identity;
import static io.github.kcawspack.awsidentity.sts.StsDocuments.roleResponse;
import static io.github.kcawspack.awsidentity.sts.StsDocuments.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import com.code_intelligence.jazzer.junit.DictionaryFile;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.code_intelligence.jazzer.mutation.annotation.NotNull;
import com.code_intelligence.jazzer.mutation.annotation.WithLength;
import io.github.kcawspack.awsidentity.identity.AwsPrincipal;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Whatever answers in STS's place, {@link GetCallerIdentityResponseParser} returns an identity
 * that holds together or refuses with a {@link StsResponseException}; any other exception would
 * reach Keycloak as a server error.
 */
class GetCallerIdentityResponseFuzzTest {

    private static final GetCallerIdentityResponseParser PARSER = new GetCallerIdentityResponseParser(StsDocuments.MAX_BODY_BYTES);

    /** Seeds: the three principal types STS names, and an error document in the right namespace. */
    static Stream<Arguments> anyAnswerIsAnIdentityOrADeclaredRefusal() {
        return Stream.of(
                arguments("text/xml", utf8(roleResponse())),
                arguments("text/xml;charset=UTF-8",
                        utf8(identity("arn:aws:iam::123456789012:user/division/alice", "AIDAJQABLZS4A3QDU576Q", ACCOUNT))),
                arguments("text/xml", utf8(identity("arn:aws-cn:iam::123456789012:root", ACCOUNT, ACCOUNT))),
                arguments("text/xml", utf8(error("SignatureDoesNotMatch"))));
    }

    @MethodSource
    @FuzzTest(maxDuration = "30s")
    @DictionaryFile(resourcePath = "sts-answers.dict")
    void anyAnswerIsAnIdentityOrADeclaredRefusal(String contentType, byte @NotNull @WithLength(max = 8192) [] body) {
        CallerIdentity identity;
        try {
            identity = PARSER.parse(body, contentType);
        } catch (StsResponseException refused) {
            assertThat(refused.reason()).isNotNull();
            return;
        }
        // The parser promises fields that agree: the grant turns them into a principal without a check of its own.
        assertThat(AwsPrincipal.from(identity).account()).isEqualTo(identity.account());
    }
}
