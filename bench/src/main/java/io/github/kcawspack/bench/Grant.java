package io.github.kcawspack.bench;

/** The grants the benchmark drives, by their {@code grant_type} value. */
public enum Grant {
    AWS_IDENTITY("aws_identity"),
    CLIENT_CREDENTIALS("client_credentials"),
    PASSWORD("password"),
    REFRESH_TOKEN("refresh_token");

    private final String wireName;

    Grant(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }
}
