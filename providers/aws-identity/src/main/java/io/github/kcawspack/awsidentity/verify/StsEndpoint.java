package io.github.kcawspack.awsidentity.verify;

import io.github.kcawspack.awsidentity.AwsIdentityRejection;
import io.github.kcawspack.awsidentity.principal.AwsPartitions;
import java.net.URI;

/**
 * The STS endpoint for a region, computed on the server: the request names a region, never a
 * host or URL. A region is accepted only if it is a region of one of AWS's partitions (listed in,
 * or of the shape given by, the partition table generated from the AWS SDK's metadata, see
 * {@link AwsPartitions}); the partition decides the DNS suffix.
 */
public record StsEndpoint(String region, String partition, String host) {

    /** Step "validate region and build endpoint": the partition table decides both. */
    public static StsEndpoint forRegion(String region) {
        AwsPartitions.Partition partition = AwsPartitions.ofRegion(region).orElseThrow(() ->
                AwsIdentityRejection.invalidRequest("region_invalid", "region is not a valid AWS region"));
        return new StsEndpoint(region, partition.id(), "sts." + region + "." + partition.dnsSuffix());
    }

    /** Where the request goes: the real endpoint, or the server-level override (tests, VPC endpoints). */
    public URI uri(URI override) {
        return override != null ? override : URI.create("https://" + host + "/");
    }
}
