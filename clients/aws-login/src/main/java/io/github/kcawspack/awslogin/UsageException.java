package io.github.kcawspack.awslogin;

/** The command line cannot be run as given; the CLI answers with the usage text and exit status 2. */
public class UsageException extends Exception {

    private static final long serialVersionUID = 1L;

    public UsageException(String message) {
        super(message);
    }
}
