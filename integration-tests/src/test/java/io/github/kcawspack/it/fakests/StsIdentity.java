package io.github.kcawspack.it.fakests;

/** The three fields of a GetCallerIdentityResult, as STS would fill them for one caller. */
public record StsIdentity(String arn, String userId, String account) {

    /** The ARN partition STS uses for a region: China and GovCloud have their own. */
    public static String partitionOf(String region) {
        if (region.startsWith("cn-")) {
            return "aws-cn";
        }
        if (region.startsWith("us-gov-")) {
            return "aws-us-gov";
        }
        return "aws";
    }

    /** STS's regional endpoint host; China's endpoints live under amazonaws.com.cn. */
    public static String stsHostOf(String region) {
        return "sts." + region + ".amazonaws.com" + (region.startsWith("cn-") ? ".cn" : "");
    }
}
