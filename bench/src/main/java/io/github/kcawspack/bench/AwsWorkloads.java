package io.github.kcawspack.bench;

import io.github.kcawspack.it.fakests.AwsRequestSigner;
import io.github.kcawspack.it.fakests.FakeSts;
import io.github.kcawspack.it.fakests.SignedStsRequest;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * A fleet of AWS workloads: {@code count} IAM roles of account 123456789012 (which the demo
 * realm's bindings admit, creating a user per role on first login), registered in the fake STS.
 * Each signs sts:GetCallerIdentity for the demo realm with the AWS SDK's own SigV4 signer.
 */
final class AwsWorkloads {

    static final String ACCOUNT = "123456789012";
    static final String REGION = "us-east-1";

    private final String audience;
    private final String[] accessKeys;

    AwsWorkloads(FakeSts sts, String realmUrl, int count) {
        this.audience = realmUrl;
        this.accessKeys = new String[count];
        for (int i = 0; i < count; i++) {
            String number = String.format("%04d", i + 1);
            accessKeys[i] = "ASIABENCHWORKLOAD" + number;
            sts.registerRole(accessKeys[i], secretOf(accessKeys[i]), tokenOf(accessKeys[i]), ACCOUNT,
                    "bench-workload-" + number, "bench-session-" + number, "AROABENCHWORKLOAD" + number);
        }
    }

    int count() {
        return accessKeys.length;
    }

    /**
     * A grant request signed now by workload {@code index}. SigV4 is deterministic: requests
     * signed in the same second would be one request, and all but the first replays. Like the AWS
     * SDKs, a random invocation id, signed, makes each one unique.
     */
    TokenRequest signedRequest(int index) {
        String key = accessKeys[Math.floorMod(index, accessKeys.length)];
        SignedStsRequest signed = AwsRequestSigner.forRegion(REGION)
                .credentials(key, secretOf(key), tokenOf(key))
                .audience(audience)
                .signedHeader("amz-sdk-invocation-id", UUID.randomUUID().toString())
                .sign();
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", Grant.AWS_IDENTITY.wireName());
        form.put("client_id", DemoRealmClients.AWS_WORKLOAD);
        form.putAll(signed.grantParameters());
        return TokenRequest.of(form, DemoRealmClients.AWS_WORKLOAD, null);
    }

    /**
     * Logs each workload in once, one after the other, so that their users exist before load: a
     * fleet's first logins are a separate event (see AwsIdentityConcurrentFirstLoginIT), not the
     * steady state the benchmark measures.
     */
    void logInEachOnce(TokenEndpoint endpoint) {
        for (int i = 0; i < accessKeys.length; i++) {
            TokenEndpoint.Outcome outcome = endpoint.post(signedRequest(i));
            if (!outcome.token()) {
                throw new IllegalStateException("first login of AWS workload " + (i + 1) + " failed: " + outcome.error());
            }
        }
    }

    private static String secretOf(String accessKey) {
        return "bench/secret/" + accessKey;
    }

    private static String tokenOf(String accessKey) {
        return "IQoJb3JpZ2luX2VjEXAMPLEbenchSESSIONtoken" + accessKey;
    }
}
