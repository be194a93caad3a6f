package io.github.kcawspack.it.fakests;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.regions.PartitionMetadata;
import software.amazon.awssdk.regions.Region;

/** The three fields of a GetCallerIdentityResult, as STS would fill them for one caller. */
public record StsIdentity(String arn, String userId, String account) {

    /**
     * The SDK's partition of each region asked about: its lookup searches every partition's
     * regular expression with streams, about a quarter of the fake's CPU per request when it ran
     * twice a request (profiled); the answer never changes for a region.
     */
    private static final Map<String, PartitionMetadata> PARTITIONS = new ConcurrentHashMap<>();

    /** The ARN partition STS uses for a region, from the AWS SDK's own partition metadata. */
    public static String partitionOf(String region) {
        return partition(region).id();
    }

    /** STS's regional endpoint host, {@code sts.<region>.<the partition's DNS suffix>}. */
    public static String stsHostOf(String region) {
        return "sts." + region + "." + partition(region).dnsSuffix();
    }

    private static PartitionMetadata partition(String region) {
        return PARTITIONS.computeIfAbsent(region, name -> PartitionMetadata.of(Region.of(name)));
    }
}
