/**
 * A fake AWS STS for the integration tests, and the tools to talk to it.
 *
 * <ul>
 * <li>{@link io.github.kcawspack.it.fakests.FakeSts}: {@code POST /} GetCallerIdentity (and
 *     GetWebIdentityToken, its tokens from a {@link io.github.kcawspack.it.fakests.WebIdentityTokenIssuer}) on 127.0.0.1,
 *     refusing what AWS refuses; steer it with {@link io.github.kcawspack.it.fakests.StsBehaviour},
 *     read its counters. Point Keycloak's STS endpoint override at {@code baseUrl()}.</li>
 * <li>{@link io.github.kcawspack.it.fakests.SigV4Verifier}: the SigV4 check inside it, AWS's error
 *     codes in AWS's order, the signature itself re-computed with the AWS SDK's SigV4 code and
 *     tested against AWS's published vectors ({@code src/test/resources/sigv4/}).</li>
 * <li>{@link io.github.kcawspack.it.fakests.AwsRequestSigner}: signs like an AWS workload (AWS SDK for
 *     Java v2) and yields the {@code region}, {@code post_body}, {@code headers_json} grant
 *     parameters.</li>
 * <li>{@link io.github.kcawspack.it.fakests.RawHttpClient}: sends a signed request straight to the
 *     fake with its signed {@code Host} header, which the JDK's HttpClient cannot.</li>
 * </ul>
 *
 * <pre>
 * try (FakeSts sts = FakeSts.start()) {
 *     sts.registerRole("ASIA...", secret, token, "123456789012", "deployer", "session-1", "AROA...");
 *     SignedStsRequest signed = AwsRequestSigner.forRegion("us-east-1")
 *             .credentials("ASIA...", secret, token).audience("demo").sign();
 *     // grant_type=aws_identity with signed.grantParameters(), Keycloak forwarding to sts.baseUrl()
 *     sts.enqueue(StsBehaviour.throttling());   // the next answer only
 * }
 * </pre>
 */
package io.github.kcawspack.it.fakests;
