import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;

/**
 * Build step (run by the POM with Java's single-file source launcher): reads the endpoint metadata
 * of the AWS SDK for Java v2 ({@code software.amazon.awssdk:regions},
 * {@code software/amazon/awssdk/regions/internal/region/endpoints.json}) and writes the small table
 * the provider reads at run time, {@code aws-partitions.json}: per partition its id, region regex,
 * DNS suffix and known regions, in the SDK's order. New partitions and regions arrive with an SDK
 * version bump, without a hand edit.
 *
 * <p>Usage: {@code java -cp <jackson> GenerateAwsPartitions.java <endpoints.json> <out.json> <source label>}
 */
public final class GenerateAwsPartitions {

    public static void main(String[] args) throws IOException {
        ObjectMapper json = new ObjectMapper();
        JsonNode endpoints = json.readTree(Path.of(args[0]).toFile());
        ObjectNode table = json.createObjectNode();
        table.put("source", args[2]);
        ArrayNode partitions = table.putArray("partitions");
        for (JsonNode partition : endpoints.required("partitions")) {
            ObjectNode out = partitions.addObject();
            out.put("id", partition.required("partition").asText());
            out.put("regionRegex", partition.required("regionRegex").asText());
            out.put("dnsSuffix", partition.required("dnsSuffix").asText());
            ArrayNode regions = out.putArray("regions");
            for (Iterator<String> names = partition.required("regions").fieldNames(); names.hasNext(); ) {
                regions.add(names.next());
            }
        }
        if (partitions.isEmpty()) {
            throw new IllegalStateException("no partitions in " + args[0]);
        }
        Path target = Path.of(args[1]);
        Files.createDirectories(target.getParent());
        json.writerWithDefaultPrettyPrinter().writeValue(target.toFile(), table);
        System.out.println("aws-partitions.json: " + partitions.size() + " partitions from " + args[2]);
    }
}
