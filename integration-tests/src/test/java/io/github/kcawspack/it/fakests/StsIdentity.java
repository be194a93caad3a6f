package io.github.kcawspack.it.fakests;

import software.amazon.awssdk.regions.PartitionMetadata;
import software.amazon.awssdk.regions.Region;

/** The three fields of a GetCallerIdentityResult, as STS would fill them for one caller. */
public record StsIdentity(String arn, String userId, String account) {

    /** The ARN partition STS uses for a region, from the AWS SDK's own partition metadata. */
    public static String partitionOf(String region) {
        return PartitionMetadata.of(Region.of(region)).id();
    }

    /** STS's regional endpoint host, {@code sts.<region>.<the partition's DNS suffix>}. */
    public static String stsHostOf(String region) {
        return "sts." + region + "." + PartitionMetadata.of(Region.of(region)).dnsSuffix();
    }
}
