package io.github.kcawspack.bench;

import java.util.Locale;

/** The grants the benchmark drives. */
enum Grant {
    AWS_IDENTITY, CLIENT_CREDENTIALS, PASSWORD, REFRESH_TOKEN;

    /** The {@code grant_type} value. */
    String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
