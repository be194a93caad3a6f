package io.github.kcawspack.it;

import io.github.kcawspack.it.harness.KeycloakExtension;

/** The demo realm's names and development credentials, as README documents them. */
final class DemoRealm {
    static final String REALM = "demo";

    static final String API_CLIENT = "api-client";
    /** Set by the harness through API_CLIENT_SECRET, overriding the export's dev default. */
    static final String API_CLIENT_SECRET = KeycloakExtension.API_CLIENT_SECRET;
    static final String API_CLIENT_DEV_DEFAULT_SECRET = "api-client-dev-secret";

    static final String TESTCLIENT = "testclient";
    static final String TESTCLIENT_SECRET = "testclient-dev-secret";
    static final String TESTCLIENT_REDIRECT = "https://www.example.com";

    static final String WEB_APP = "web-app";
    static final String WEB_APP_SECRET = "web-app-dev-secret";
    static final String WEB_APP_REDIRECT = "https://www.getpostman.com/oauth2/callback";

    /** The demo API's resource-server client: no flows, introspection only. */
    static final String DEMO_API = "demo-api";
    static final String DEMO_API_SECRET = "demo-api-dev-secret";

    static final String ALICE = "alice";
    static final String ALICE_PASSWORD = "alice-dev-password";
    static final String BOB = "bob";
    static final String BOB_PASSWORD = "bob-dev-password";

    private DemoRealm() {
    }
}
