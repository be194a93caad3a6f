package io.github.kcawspack.awsidentity.verify;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;

/**
 * The timer that aborts STS calls past their deadline: one thread for the whole server, since it
 * only ever starts an abort.
 *
 * <p>Nearly every call ends well before its deadline and cancels its abort. A cancelled task is
 * dropped from the queue at once: left in until its time (5 s by default), each would keep its
 * finished request alive, headers and body included, a few thousand of them at a few hundred
 * logins per second (seen in the benchmark's class histograms).
 */
public final class StsDeadlines {

    private StsDeadlines() {
    }

    public static ScheduledExecutorService newTimer() {
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "aws-identity-sts-deadlines");
            thread.setDaemon(true);
            return thread;
        });
        timer.setRemoveOnCancelPolicy(true);
        return timer;
    }
}
