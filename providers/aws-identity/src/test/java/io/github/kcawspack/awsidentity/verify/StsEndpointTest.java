package io.github.kcawspack.awsidentity.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.kcawspack.awsidentity.AwsIdentityRejection;
import java.net.URI;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class StsEndpointTest {

    @ParameterizedTest
    @CsvSource({
            "us-east-1, aws, sts.us-east-1.amazonaws.com",
            "eu-west-1, aws, sts.eu-west-1.amazonaws.com",
            "ap-southeast-2, aws, sts.ap-southeast-2.amazonaws.com",
            "il-central-1, aws, sts.il-central-1.amazonaws.com",
            "cn-north-1, aws-cn, sts.cn-north-1.amazonaws.com.cn",
            "us-gov-west-1, aws-us-gov, sts.us-gov-west-1.amazonaws.com",
            "us-iso-east-1, aws-iso, sts.us-iso-east-1.c2s.ic.gov",
            "us-isob-east-1, aws-iso-b, sts.us-isob-east-1.sc2s.sgov.gov",
            "eu-isoe-west-1, aws-iso-e, sts.eu-isoe-west-1.cloud.adc-e.uk",
            "us-isof-south-1, aws-iso-f, sts.us-isof-south-1.csp.hci.ic.gov",
            "eusc-de-east-1, aws-eusc, sts.eusc-de-east-1.amazonaws.eu",
            // not (yet) listed by the SDK, but of its partition's shape: accepted, as the SDK resolves it
            "ap-southeast-9, aws, sts.ap-southeast-9.amazonaws.com",
    })
    void computesTheHostFromTheRegionsPartition(String region, String partition, String host) {
        StsEndpoint endpoint = StsEndpoint.forRegion(region);
        assertThat(endpoint.partition()).isEqualTo(partition);
        assertThat(endpoint.host()).isEqualTo(host);
        assertThat(endpoint.uri(null)).isEqualTo(URI.create("https://" + host + "/"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "", "US-EAST-1", "us-east", "us-east-1.evil.com", "evil.com/us-east-1", "us-east-1/", "us-east-1 ",
            "us-east-1#", "us-east-1@attacker", "xx-east-1", "us-east-123", "us_east-1", "eusc-fr-east-1", "aws-global",
            "us-east-1-fips", "eu-isoe-west-1-", "cn-north-1.amazonaws.com", "sts.us-east-1",
            "localhost", "127.0.0.1", "us-east-1\n", "us-gov-east", "cn-north", "us-east-1?x=1"})
    void refusesAnythingThatIsNotARegion(String region) {
        assertThatThrownBy(() -> StsEndpoint.forRegion(region))
                .isInstanceOfSatisfying(AwsIdentityRejection.class, r -> {
                    assertThat(r.error()).isEqualTo(AwsIdentityRejection.OAuthError.INVALID_REQUEST);
                    assertThat(r.reason()).isEqualTo("region_invalid");
                });
    }

    @org.junit.jupiter.api.Test
    void overrideReplacesOnlyWhereTheRequestGoes() {
        StsEndpoint endpoint = StsEndpoint.forRegion("eu-west-1");
        assertThat(endpoint.uri(URI.create("http://127.0.0.1:4566/"))).isEqualTo(URI.create("http://127.0.0.1:4566/"));
        assertThat(endpoint.host()).as("the signed Host stays the real one").isEqualTo("sts.eu-west-1.amazonaws.com");
    }
}
