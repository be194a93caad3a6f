package io.github.kcawspack.it.fakests;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * The tests' STS simulator as a process of its own, for {@code bin/run-keycloak --local-sts}: a
 * newcomer tries {@code aws_identity} on a laptop without an AWS account. It is {@link FakeSts},
 * unchanged: it verifies every SigV4 signature as AWS does and answers {@code GetCallerIdentity}
 * for one demo role, so the clients and the server run exactly the code they run against AWS.
 *
 * <p>Arguments: {@code --port-file FILE} (required): once listening, the simulator writes its port
 * there, so the launcher can point Keycloak at it. It prints the demo credentials as shell
 * {@code export} lines and runs until the process is stopped.
 *
 * <p>The credentials are published in README and only this simulator accepts them; they are not
 * AWS credentials and give access to nothing.
 */
public final class LocalSts {

    /** An assumed role's temporary keys: ASIA + 16 characters, as AWS shapes them. */
    public static final String ACCESS_KEY_ID = "ASIALOCALTRYOUT00001";
    public static final String SECRET_ACCESS_KEY = "local-try-out-secret-not-an-aws-secret-00";
    public static final String SESSION_TOKEN = "local-try-out-session-token";
    public static final String ACCOUNT = "123456789012";
    public static final String ROLE = "deployer";
    public static final String SESSION_NAME = "local-try-out";
    public static final String ROLE_UNIQUE_ID = "AROALOCALTRYOUT00001";
    public static final String REGION = "us-east-1";

    private LocalSts() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        if (args.length != 2 || !"--port-file".equals(args[0])) {
            System.err.println("usage: LocalSts --port-file FILE");
            System.exit(2);
        }
        FakeSts sts = FakeSts.start().registerRole(ACCESS_KEY_ID, SECRET_ACCESS_KEY, SESSION_TOKEN, ACCOUNT, ROLE,
                SESSION_NAME, ROLE_UNIQUE_ID);
        Runtime.getRuntime().addShutdownHook(new Thread(sts::close, "local-sts-stop"));

        // Written whole, then moved: the launcher never reads half a port number.
        Path portFile = Path.of(args[1]);
        Path partial = portFile.resolveSibling(portFile.getFileName() + ".partial");
        Files.writeString(partial, Integer.toString(sts.port()), StandardCharsets.US_ASCII);
        Files.move(partial, portFile, java.nio.file.StandardCopyOption.ATOMIC_MOVE);

        System.out.printf("Local STS simulator on %s: answers GetCallerIdentity as%n"
                        + "  arn:aws:sts::%s:assumed-role/%s/%s%n"
                        + "for requests signed with these demo credentials (they are not AWS credentials):%n"
                        + "  export AWS_ACCESS_KEY_ID=%s AWS_SECRET_ACCESS_KEY=%s AWS_SESSION_TOKEN=%s AWS_REGION=%s%n",
                sts.baseUrl(), ACCOUNT, ROLE, SESSION_NAME, ACCESS_KEY_ID, SECRET_ACCESS_KEY, SESSION_TOKEN, REGION);
        new CountDownLatch(1).await();
    }
}
