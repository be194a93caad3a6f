package io.github.kcawspack.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The demo realm's clients and users as the benchmark uses them (realm-export/demo-realm.json).
 * The secrets are the export's development defaults, set explicitly in Keycloak's environment so
 * that a secret exported in the caller's shell cannot change what the benchmark logs in with.
 */
final class DemoRealmClients {

    static final String REALM = "demo";

    /** Confidential, with a service account: client_credentials, password and refresh_token. */
    static final String TESTCLIENT = "testclient";
    static final String TESTCLIENT_SECRET = "testclient-dev-secret";

    /** Public, aws_identity only, no refresh tokens. */
    static final String AWS_WORKLOAD = "aws-workload";

    static final String[][] USERS = {{"alice", "alice-dev-password"}, {"bob", "bob-dev-password"}};

    private DemoRealmClients() {
    }

    static Map<String, String> environment() {
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("TESTCLIENT_SECRET", TESTCLIENT_SECRET);
        environment.put("ALICE_PASSWORD", USERS[0][1]);
        environment.put("BOB_PASSWORD", USERS[1][1]);
        return environment;
    }
}
