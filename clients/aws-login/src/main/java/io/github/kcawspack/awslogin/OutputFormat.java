package io.github.kcawspack.awslogin;

import java.util.Arrays;
import java.util.Optional;

/** What the CLI prints on success: the whole token response, or only the access token for scripts. */
public enum OutputFormat {
    JSON("json"),
    ACCESS_TOKEN("access-token");

    private final String flagValue;

    OutputFormat(String flagValue) {
        this.flagValue = flagValue;
    }

    public String flagValue() {
        return flagValue;
    }

    public static Optional<OutputFormat> ofFlagValue(String value) {
        return Arrays.stream(values()).filter(format -> format.flagValue.equals(value)).findFirst();
    }
}
