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
import io.github.kcawspack.awsidentity.principal.AwsPrincipal;
import io.github.kcawspack.awsidentity.principal.InvalidPrincipalException;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Whatever answers in STS's place, what the verifier does with a 200 answer ends in a principal
 * or a declared refusal: {@link GetCallerIdentityResponseParser} returns the three fields or
 * refuses with a {@link StsResponseException}, and {@link AwsPrincipal#from} canonicalises those
 * fields or refuses with an {@link InvalidPrincipalException}. Any other exception would reach
 * Keycloak as a server error.
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
        AwsPrincipal principal;
        try {
            principal = AwsPrincipal.from(identity);
        } catch (InvalidPrincipalException refused) {
            assertThat(refused.problem()).isNotNull();
            return;
        }
        // Canonical: the account and partition are the ones STS wrote, never re-derived from elsewhere.
        assertThat(principal.account()).isEqualTo(identity.account());
        assertThat(identity.arn()).startsWith("arn:" + principal.partition() + ":");
    }
}
