package io.github.kcawspack.awsidentity.sts;

/**
 * The three fields of STS's {@code GetCallerIdentityResult}, exactly as STS wrote them. Only
 * {@link GetCallerIdentityResponseParser} creates these from an answer, after checking that the
 * fields agree with one another; {@code identity.AwsPrincipal} turns them into a canonical
 * identity.
 */
public record CallerIdentity(String arn, String userId, String account) {
}
