package io.github.kcawspack.awsidentity.principal;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What an AWS-issued identity token (STS {@code GetWebIdentityToken}) says of its principal's
 * place in AWS Organizations and of its principal tags, read from the token's
 * {@code https://sts.amazonaws.com/} claim (IAM User Guide, "Understanding token claims":
 * {@code org_id}, {@code ou_path}, {@code principal_tags}). STS GetCallerIdentity, which
 * {@code aws_identity} relies on, reports none of this, so that path has no context at all and a
 * binding that asks for any of it never admits its principals (see {@link PrincipalBinding}).
 *
 * @param orgId         the organization id ({@code o-...}), empty when the account is in none or
 *                      the claim is absent or not a string
 * @param ouPath        the account's path from the organization's root, such as
 *                      {@code o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/}; empty likewise
 * @param principalTags the IAM principal's tags; only string values are kept
 */
public record OrganizationContext(Optional<String> orgId, Optional<String> ouPath, Map<String, String> principalTags) {

    public OrganizationContext {
        Objects.requireNonNull(orgId, "orgId");
        Objects.requireNonNull(ouPath, "ouPath");
        principalTags = Map.copyOf(principalTags);
    }

    /**
     * @param awsClaim the value of a token's {@code https://sts.amazonaws.com/} claim as the JSON
     *                 parser gives it (a map, or anything else when the token is odd)
     * @return the context; a claim that is not an object, or a member of an unexpected JSON type,
     *         counts as absent, so that a binding asking for it does not match (fail closed)
     */
    public static OrganizationContext fromAwsClaim(Object awsClaim) {
        if (!(awsClaim instanceof Map<?, ?> claim)) {
            return new OrganizationContext(Optional.empty(), Optional.empty(), Map.of());
        }
        Map<String, String> tags = new LinkedHashMap<>();
        if (claim.get("principal_tags") instanceof Map<?, ?> principalTags) {
            principalTags.forEach((key, value) -> {
                if (key instanceof String k && value instanceof String v) {
                    tags.put(k, v);
                }
            });
        }
        return new OrganizationContext(text(claim.get("org_id")), text(claim.get("ou_path")), tags);
    }

    private static Optional<String> text(Object value) {
        return value instanceof String s ? Optional.of(s) : Optional.empty();
    }
}
