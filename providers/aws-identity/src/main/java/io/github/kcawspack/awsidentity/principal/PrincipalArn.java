package io.github.kcawspack.awsidentity.principal;

import io.github.kcawspack.awsidentity.principal.InvalidPrincipalException.Problem;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The ARN STS reports for a caller, taken apart strictly. Only the three forms GetCallerIdentity
 * answers for the principals we support are accepted:
 * <ul>
 *   <li>{@code arn:P:sts::A:assumed-role/ROLE/SESSION}</li>
 *   <li>{@code arn:P:iam::A:user/NAME} or {@code arn:P:iam::A:user/PATH/NAME}</li>
 *   <li>{@code arn:P:iam::A:root}</li>
 * </ul>
 * Federated users ({@code arn:P:sts::A:federated-user/NAME}) are refused: their name is chosen
 * freely by whoever called GetFederationToken, and STS reports no unique id for them, so nothing
 * in the answer identifies a principal that could be bound safely.
 *
 * @param path for users, the IAM path ({@code /} when none, else {@code /a/b/}); empty otherwise
 * @param sessionName for assumed roles, the session name; empty otherwise
 */
public record PrincipalArn(String partition, String account, PrincipalType type, String name,
        Optional<String> path, Optional<String> sessionName) {

    private static final int MAX_ARN_LENGTH = 2048;
    private static final int MAX_PATH_LENGTH = 512;
    private static final Pattern TWELVE_DIGITS = Pattern.compile("[0-9]{12}");
    // IAM's character set for role, user and session names ([\w+=,.@-]), ASCII only.
    private static final Pattern ROLE_OR_USER_NAME = Pattern.compile("[A-Za-z0-9_+=,.@-]{1,64}");
    private static final Pattern SESSION_NAME = Pattern.compile("[A-Za-z0-9_+=,.@-]{1,64}");
    // IAM path segments: printable ASCII except the separator.
    private static final Pattern PATH_SEGMENT = Pattern.compile("[\\x21-\\x2E\\x30-\\x7E]+");

    public static PrincipalArn parse(String arn) {
        requirePrintableAscii(arn);
        String[] parts = arn.split(":", 6);
        if (parts.length != 6 || !parts[0].equals("arn")) {
            throw new InvalidPrincipalException(Problem.ARN_MALFORMED, "ARN does not have the form arn:...");
        }
        String partition = parts[1];
        String service = parts[2];
        String region = parts[3];
        String account = parts[4];
        String resource = parts[5];
        if (!AwsPartitions.isKnown(partition)) {
            throw new InvalidPrincipalException(Problem.PARTITION_UNKNOWN, "ARN partition is not an AWS partition");
        }
        if (!region.isEmpty()) {
            throw new InvalidPrincipalException(Problem.ARN_MALFORMED, "ARN of a principal has a region");
        }
        if (!TWELVE_DIGITS.matcher(account).matches()) {
            throw new InvalidPrincipalException(Problem.ARN_MALFORMED, "ARN account is not 12 digits");
        }
        return switch (service) {
            case "sts" -> stsPrincipal(partition, account, resource);
            case "iam" -> iamPrincipal(partition, account, resource);
            default -> throw new InvalidPrincipalException(Problem.RESOURCE_UNEXPECTED,
                    "ARN service is neither iam nor sts");
        };
    }

    private static void requirePrintableAscii(String arn) {
        if (arn == null || arn.isEmpty() || arn.length() > MAX_ARN_LENGTH) {
            throw new InvalidPrincipalException(Problem.ARN_MALFORMED, "ARN is empty or too long");
        }
        for (int i = 0; i < arn.length(); i++) {
            char c = arn.charAt(i);
            if (c < 0x21 || c > 0x7E) {
                throw new InvalidPrincipalException(Problem.ARN_MALFORMED,
                        "ARN contains a space, control or non-ASCII character");
            }
        }
    }

    private static PrincipalArn stsPrincipal(String partition, String account, String resource) {
        if (resource.startsWith("federated-user/")) {
            throw new InvalidPrincipalException(Problem.PRINCIPAL_UNSUPPORTED,
                    "federated users are not supported: their name is caller-chosen and has no unique id");
        }
        if (!resource.startsWith("assumed-role/")) {
            throw new InvalidPrincipalException(Problem.RESOURCE_UNEXPECTED,
                    "ARN is not an assumed role, IAM user or root");
        }
        // split with -1 keeps empty segments, so "assumed-role/r//s" and a trailing "/" are refused.
        String[] segments = resource.split("/", -1);
        if (segments.length != 3) {
            throw new InvalidPrincipalException(Problem.NAME_INVALID,
                    "assumed-role ARN must be assumed-role/ROLE/SESSION");
        }
        String role = requireName(segments[1], ROLE_OR_USER_NAME, "role name");
        String session = requireName(segments[2], SESSION_NAME, "role session name");
        return new PrincipalArn(partition, account, PrincipalType.ROLE, role, Optional.empty(), Optional.of(session));
    }

    private static PrincipalArn iamPrincipal(String partition, String account, String resource) {
        if (resource.equals("root")) {
            return new PrincipalArn(partition, account, PrincipalType.ROOT, "root", Optional.empty(),
                    Optional.empty());
        }
        if (!resource.startsWith("user/")) {
            throw new InvalidPrincipalException(Problem.RESOURCE_UNEXPECTED,
                    "ARN is not an assumed role, IAM user or root");
        }
        String pathAndName = resource.substring("user".length());
        int lastSlash = pathAndName.lastIndexOf('/');
        String path = pathAndName.substring(0, lastSlash + 1);
        String name = requireName(pathAndName.substring(lastSlash + 1), ROLE_OR_USER_NAME, "user name");
        return new PrincipalArn(partition, account, PrincipalType.USER, name, Optional.of(requirePath(path)),
                Optional.empty());
    }

    private static String requireName(String value, Pattern pattern, String what) {
        if (!pattern.matcher(value).matches()) {
            throw new InvalidPrincipalException(Problem.NAME_INVALID, "ARN has an invalid " + what);
        }
        return value;
    }

    /** {@code /} or {@code /seg/.../seg/}, no empty segment. */
    private static String requirePath(String path) {
        if (path.length() > MAX_PATH_LENGTH) {
            throw new InvalidPrincipalException(Problem.NAME_INVALID, "ARN has an overlong user path");
        }
        if (path.equals("/")) {
            return path;
        }
        String inner = path.substring(1, path.length() - 1);
        for (String segment : inner.split("/", -1)) {
            if (!PATH_SEGMENT.matcher(segment).matches()) {
                throw new InvalidPrincipalException(Problem.NAME_INVALID, "ARN has an invalid user path");
            }
        }
        return path;
    }
}
