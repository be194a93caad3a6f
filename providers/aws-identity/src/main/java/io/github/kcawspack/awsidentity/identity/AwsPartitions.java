package io.github.kcawspack.awsidentity.identity;

import java.util.Set;

/** The ARN partitions of AWS: each is a separate AWS with its own accounts. */
public final class AwsPartitions {

    public static final String DEFAULT = "aws";

    private static final Set<String> KNOWN =
            Set.of("aws", "aws-cn", "aws-us-gov", "aws-iso", "aws-iso-b", "aws-iso-e", "aws-iso-f");

    private AwsPartitions() {
    }

    public static boolean isKnown(String partition) {
        return partition != null && KNOWN.contains(partition);
    }
}
