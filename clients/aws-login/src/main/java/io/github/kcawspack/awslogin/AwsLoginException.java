package io.github.kcawspack.awslogin;

/** The token endpoint could not be asked or gave no usable answer. Messages never carry secrets. */
public class AwsLoginException extends Exception {

    private static final long serialVersionUID = 1L;

    public AwsLoginException(String message) {
        super(message);
    }

    public AwsLoginException(String message, Throwable cause) {
        super(message, cause);
    }
}
