package io.github.kcawspack.bench;

/** The grants the benchmark drives, each with its {@code grant_type} value. */
enum Grant {
    AWS_IDENTITY("aws_identity"), CLIENT_CREDENTIALS("client_credentials"), PASSWORD("password"),
    REFRESH_TOKEN("refresh_token"), JWT_BEARER("urn:ietf:params:oauth:grant-type:jwt-bearer");

    private final String wireName;

    Grant(String wireName) {
        this.wireName = wireName;
    }

    String wireName() {
        return wireName;
    }
}
