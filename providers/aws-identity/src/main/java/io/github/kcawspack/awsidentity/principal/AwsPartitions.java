package io.github.kcawspack.awsidentity.principal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The partitions of AWS (each a separate AWS with its own accounts, regions and DNS suffix), read
 * from {@code aws-partitions.json}, which the build generates from the AWS SDK for Java v2's own
 * endpoint metadata. One table decides which regions a request may name, which STS host serves
 * them, which partition an STS answer's ARN must name and which partitions a binding may pin: a
 * partition AWS adds arrives with an SDK version bump, in all four places at once.
 */
public final class AwsPartitions {

    public static final String DEFAULT = "aws";

    /** One partition: its id (the ARN's second field), region pattern, known regions and DNS suffix. */
    public record Partition(String id, Pattern regionRegex, Set<String> regions, String dnsSuffix) {

        boolean hasRegion(String region) {
            return regions.contains(region) || regionRegex.matcher(region).matches();
        }
    }

    static final String RESOURCE = "aws-partitions.json";

    // A region becomes a DNS label of the STS host: lower-case words and a number of one or two
    // digits joined by hyphens, whatever a partition's pattern would allow (the SDK's use \w and
    // \d+, which admit '_', capitals and any number).
    private static final Pattern REGION_LABEL = Pattern.compile("[a-z]{2,8}(-[a-z]{1,16}){1,3}-[0-9]{1,2}");
    private static final int MAX_REGION_LENGTH = 32;

    private static final List<Partition> PARTITIONS = load();

    private AwsPartitions() {
    }

    public static boolean isKnown(String partition) {
        return partition != null && PARTITIONS.stream().anyMatch(p -> p.id().equals(partition));
    }

    /** Every partition id, in the SDK's order, for messages. */
    public static List<String> ids() {
        return PARTITIONS.stream().map(Partition::id).toList();
    }

    /** The partition a region belongs to: listed by the SDK, or of the shape of its partition's regions. */
    public static Optional<Partition> ofRegion(String region) {
        if (region == null || region.length() > MAX_REGION_LENGTH || !REGION_LABEL.matcher(region).matches()) {
            return Optional.empty();
        }
        // Listed regions first (as the SDK resolves), then the patterns, which do not overlap.
        return PARTITIONS.stream().filter(p -> p.regions().contains(region)).findFirst()
                .or(() -> PARTITIONS.stream().filter(p -> p.hasRegion(region)).findFirst());
    }

    private static List<Partition> load() {
        try (InputStream in = AwsPartitions.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the JAR; the build generates it");
            }
            JsonNode table = new ObjectMapper().readTree(in);
            List<Partition> partitions = new ArrayList<>();
            for (JsonNode partition : table.required("partitions")) {
                Set<String> regions = new LinkedHashSet<>();
                partition.required("regions").forEach(region -> regions.add(region.asText()));
                partitions.add(new Partition(partition.required("id").asText(),
                        Pattern.compile(partition.required("regionRegex").asText()), Set.copyOf(regions),
                        partition.required("dnsSuffix").asText()));
            }
            if (partitions.isEmpty()) {
                throw new IllegalStateException(RESOURCE + " lists no partitions");
            }
            return List.copyOf(partitions);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }
}
