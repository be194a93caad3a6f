package io.github.kcawspack.awsidentity.sts;

/**
 * The three fields of STS's {@code GetCallerIdentityResult}, exactly as STS wrote them. Only
 * {@link GetCallerIdentityResponseParser} creates these from an answer; whether the fields agree
 * with one another is checked once, where {@code principal.AwsPrincipal.from} turns them into a
 * canonical identity.
 */
public record CallerIdentity(String arn, String userId, String account) {
}
