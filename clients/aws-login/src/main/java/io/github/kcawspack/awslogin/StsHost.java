package io.github.kcawspack.awslogin;

import java.util.regex.Pattern;
import software.amazon.awssdk.regions.PartitionMetadata;
import software.amazon.awssdk.regions.Region;

/**
 * The host of a region's STS endpoint, which the signature covers and the server recomputes from
 * the region: {@code sts.<region>.<partition DNS suffix>}, e.g. {@code sts.cn-north-1.amazonaws.com.cn}.
 * The partition comes from the SDK's own endpoint metadata, so new partitions arrive with SDK updates.
 */
public final class StsHost {

    // A region becomes part of a host name: keep it one lowercase DNS label. The server checks
    // the exact per-partition shape; this only stops a typo from producing a malformed URL.
    private static final Pattern REGION_LABEL = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");
    private static final int MAX_REGION_LENGTH = 32;

    private StsHost() {
    }

    public static String forRegion(String region) {
        if (region == null || region.length() > MAX_REGION_LENGTH || !REGION_LABEL.matcher(region).matches()) {
            throw new IllegalArgumentException("not an AWS region: " + region);
        }
        return "sts." + region + "." + PartitionMetadata.of(Region.of(region)).dnsSuffix();
    }
}
