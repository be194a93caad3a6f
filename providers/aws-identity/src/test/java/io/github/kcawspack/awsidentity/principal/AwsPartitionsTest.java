package io.github.kcawspack.awsidentity.principal;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.kcawspack.awsidentity.sts.CallerIdentity;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The partition table the build generates from the AWS SDK's metadata, and the three places that read it. */
class AwsPartitionsTest {

    @Test
    void theTableHasEveryPartitionOfAwsFromTheSdksMetadata() throws Exception {
        assertThat(AwsPartitions.ids()).containsExactlyInAnyOrder(
                "aws", "aws-cn", "aws-us-gov", "aws-iso", "aws-iso-b", "aws-iso-e", "aws-iso-f", "aws-eusc");
        try (InputStream in = AwsPartitions.class.getResourceAsStream(AwsPartitions.RESOURCE)) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8))
                    .as("generated, not hand-written").contains("\"source\" : \"software.amazon.awssdk:regions:");
        }
    }

    @Test
    void theEuropeanSovereignCloudIsAPartitionOfItsOwn() {
        AwsPartitions.Partition eusc = AwsPartitions.ofRegion("eusc-de-east-1").orElseThrow();

        assertThat(eusc.id()).isEqualTo("aws-eusc");
        assertThat(eusc.dnsSuffix()).isEqualTo("amazonaws.eu");
    }

    @ParameterizedTest
    @ValueSource(strings = {"aws", "aws-cn", "aws-us-gov", "aws-iso", "aws-iso-b", "aws-iso-e", "aws-iso-f", "aws-eusc"})
    void aBindingMayPinEveryPartition(String partition) {
        PrincipalBinding binding = PrincipalBindings.parse("[{\"partition\":\"" + partition
                + "\",\"account\":\"123456789012\",\"type\":\"role\",\"namePattern\":\"deployer\"}]").bindings().get(0);

        assertThat(binding.partition()).isEqualTo(partition);
    }

    @Test
    void aBindingOfAnUnknownPartitionNamesTheKnownOnes() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> PrincipalBindings.parse(
                "[{\"partition\":\"aws-mars\",\"account\":\"123456789012\",\"type\":\"role\",\"namePattern\":\"x\"}]"))
                .hasMessageContaining("bindings[0].partition:").hasMessageContaining("aws-eusc");
    }

    @Test
    void stsAnswersOfTheSovereignCloudNameAPrincipal() {
        AwsPrincipal principal = AwsPrincipal.from(new CallerIdentity(
                "arn:aws-eusc:sts::123456789012:assumed-role/deployer/s1", "AROAEXAMPLEROLEID:s1", "123456789012"));

        assertThat(principal.canonicalArn()).isEqualTo("arn:aws-eusc:iam::123456789012:role/deployer");
    }
}
