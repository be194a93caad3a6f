package io.github.kcawspack.it;

import static io.github.kcawspack.it.DemoRealm.REALM;

import io.github.kcawspack.it.fakests.AwsRequestSigner;
import io.github.kcawspack.it.fakests.FakeSts;
import io.github.kcawspack.it.fakests.SignedStsRequest;
import io.github.kcawspack.it.harness.KeycloakServer;
import io.github.kcawspack.it.harness.OAuthClient;
import io.github.kcawspack.it.harness.OAuthClient.Answer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * An AWS workload logging in to the demo realm through the public client aws-workload, with
 * principals registered in the fake STS under account 123456789012 (bound in the demo realm)
 * and 210987654321 (not bound).
 */
final class AwsWorkload {

    static final String CLIENT = "aws-workload";
    static final String ACCOUNT = "123456789012";
    static final String UNBOUND_ACCOUNT = "210987654321";

    static final String DEPLOYER_KEY = "ASIAIDEPLOYEREXAMPLE";
    static final String DEPLOYER_SECRET = "deployer/secret/EXAMPLEKEYEXAMPLEKEYEX";
    static final String DEPLOYER_TOKEN = "IQoJb3JpZ2luX2VjEXAMPLEdeployerSESSIONtoken";

    private final KeycloakServer server;
    private final OAuthClient oauth;

    AwsWorkload(KeycloakServer server, FakeSts sts) {
        this.server = server;
        this.oauth = server.oauth(REALM);
        sts.registerRole(DEPLOYER_KEY, DEPLOYER_SECRET, DEPLOYER_TOKEN, ACCOUNT, "deployer", "ci-run-42", "AROADEPLOYEREXAMPLE1");
    }

    /**
     * Signs as the deployer role for this realm. SigV4 is deterministic: two requests signed in
     * the same second are the same request, and the second is a replay. Like the AWS SDKs, sign a
     * random invocation id to make each one unique.
     */
    AwsRequestSigner deployer() {
        return signer(DEPLOYER_KEY, DEPLOYER_SECRET, DEPLOYER_TOKEN);
    }

    AwsRequestSigner signer(String accessKeyId, String secret, String sessionToken) {
        return withoutAudience(accessKeyId, secret, sessionToken).audience(server.realmUrl(REALM));
    }

    /** The deployer as a legacy client that binds its request to no audience. */
    AwsRequestSigner deployerWithoutAudience() {
        return withoutAudience(DEPLOYER_KEY, DEPLOYER_SECRET, DEPLOYER_TOKEN);
    }

    private static AwsRequestSigner withoutAudience(String accessKeyId, String secret, String sessionToken) {
        AwsRequestSigner signer = AwsRequestSigner.forRegion("us-east-1");
        signer = sessionToken == null ? signer.credentials(accessKeyId, secret) : signer.credentials(accessKeyId, secret, sessionToken);
        return signer.signedHeader("amz-sdk-invocation-id", UUID.randomUUID().toString());
    }

    Answer login(SignedStsRequest signed) {
        return login(new LinkedHashMap<>(signed.grantParameters()));
    }

    /** POSTs grant_type=aws_identity with these parameters as the aws-workload client. */
    Answer login(Map<String, String> parameters) {
        Map<String, String> form = new LinkedHashMap<>(parameters);
        form.put("grant_type", "aws_identity");
        form.put("client_id", CLIENT);
        return oauth.token(form);
    }

    OAuthClient oauth() {
        return oauth;
    }
}
