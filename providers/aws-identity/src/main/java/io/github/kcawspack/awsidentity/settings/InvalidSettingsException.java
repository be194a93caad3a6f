package io.github.kcawspack.awsidentity.settings;

/**
 * A realm's aws_identity settings that cannot be used: the message names the item and field and
 * says what is expected, in the words the admin console uses when it refuses to save them. It
 * never carries a configured value, so it may go to logs and events as it is.
 */
public final class InvalidSettingsException extends RuntimeException {

    /** @param message what is wrong, for the operator */
    public InvalidSettingsException(String message) {
        super(message, null, false, false);
    }
}
