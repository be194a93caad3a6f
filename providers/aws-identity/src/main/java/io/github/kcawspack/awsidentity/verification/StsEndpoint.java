package io.github.kcawspack.awsidentity.verification;

import java.net.URI;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The STS endpoint for a region, computed on the server: the request names a region, never a
 * host or URL. A region is accepted only if it has the shape of a real region of one of AWS's
 * partitions; the partition decides the DNS suffix.
 */
public record StsEndpoint(String region, String partition, String host) {

    private record Partition(String name, Pattern regions, String dnsSuffix) {
    }

    private static final String DIRECTIONS =
            "(central|north|south|east|west|northeast|northwest|southeast|southwest)";

    // Most specific first: us-gov-west-1 and us-iso-east-1 must not be read as commercial regions.
    private static final List<Partition> PARTITIONS = List.of(
            new Partition("aws-us-gov", Pattern.compile("us-gov-" + DIRECTIONS + "-\\d{1,2}"), "amazonaws.com"),
            new Partition("aws-iso", Pattern.compile("us-iso-" + DIRECTIONS + "-\\d{1,2}"), "c2s.ic.gov"),
            new Partition("aws-iso-b", Pattern.compile("us-isob-" + DIRECTIONS + "-\\d{1,2}"), "sc2s.sgov.gov"),
            new Partition("aws-iso-e", Pattern.compile("eu-isoe-" + DIRECTIONS + "-\\d{1,2}"), "cloud.adc-e.uk"),
            new Partition("aws-iso-f", Pattern.compile("us-isof-" + DIRECTIONS + "-\\d{1,2}"), "csp.hci.ic.gov"),
            new Partition("aws-cn", Pattern.compile("cn-" + DIRECTIONS + "-\\d{1,2}"), "amazonaws.com.cn"),
            new Partition("aws", Pattern.compile("(af|ap|ca|eu|il|me|mx|sa|us)-" + DIRECTIONS + "-\\d{1,2}"),
                    "amazonaws.com"));

    private static final int MAX_REGION_LENGTH = 32;

    /** Step "validate region and build endpoint". */
    public static StsEndpoint forRegion(String region) {
        if (region == null || region.isEmpty() || region.length() > MAX_REGION_LENGTH) {
            throw AwsIdentityRejection.invalidRequest("region_invalid", "region is not a valid AWS region");
        }
        for (Partition partition : PARTITIONS) {
            if (partition.regions().matcher(region).matches()) {
                return new StsEndpoint(region, partition.name(), "sts." + region + "." + partition.dnsSuffix());
            }
        }
        throw AwsIdentityRejection.invalidRequest("region_invalid", "region is not a valid AWS region");
    }

    /** Where the request goes: the real endpoint, or the server-level override (tests, VPC endpoints). */
    public URI uri(URI override) {
        return override != null ? override : URI.create("https://" + host + "/");
    }
}
