package io.github.kcawspack.awsidentity.forwarding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.kcawspack.awsidentity.forwarding.StsForwarder.StsAnswer;
import io.github.kcawspack.awsidentity.verification.AwsIdentityRejection;
import io.github.kcawspack.awsidentity.verification.AwsIdentityRejection.OAuthError;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Calls to a hanging STS hold their slots; the next one is refused at once, without calling STS. */
class StsConcurrencyLimitTest {

    private static final StsAnswer OK = new StsAnswer(200, "text/xml", new byte[0]);

    private final ExecutorService workers = Executors.newCachedThreadPool();
    private final CountDownLatch stsAnswers = new CountDownLatch(1);
    private final AtomicInteger stsCalls = new AtomicInteger();

    /** STS that accepts every call and answers only when the test lets it. */
    private final StsCall hangingSts = request -> {
        stsCalls.incrementAndGet();
        try {
            stsAnswers.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return OK;
    };

    @AfterEach
    void stop() {
        stsAnswers.countDown();
        workers.shutdownNow();
    }

    @Test
    void callsPastTheLimitAreRefusedAsAnOutageWhileStsHangs() throws Exception {
        StsCall limited = new StsConcurrencyLimit(3).around(hangingSts);
        List<Future<StsAnswer>> hanging = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            hanging.add(workers.submit(() -> limited.forward(null)));
        }
        awaitStsCalls(3);

        long start = System.nanoTime();
        assertThatThrownBy(() -> limited.forward(null)).isInstanceOfSatisfying(AwsIdentityRejection.class, r -> {
            assertThat(r.error()).isEqualTo(OAuthError.TEMPORARILY_UNAVAILABLE);
            assertThat(r.reason()).isEqualTo("sts_concurrency_limit");
        });
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
        assertThat(stsCalls).hasValue(3);

        stsAnswers.countDown();
        for (Future<StsAnswer> call : hanging) {
            assertThat(call.get(10, TimeUnit.SECONDS)).isSameAs(OK);
        }
        assertThat(limited.forward(null)).as("slots are given back when STS answers").isSameAs(OK);
    }

    @Test
    void aFailedCallGivesItsSlotBack() {
        StsCall timingOut = request -> {
            throw AwsIdentityRejection.unavailable("sts_timeout", "AWS STS did not answer in time; try again later");
        };
        StsConcurrencyLimit limit = new StsConcurrencyLimit(1);

        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> limit.around(timingOut).forward(null))
                    .isInstanceOfSatisfying(AwsIdentityRejection.class, r -> assertThat(r.reason()).isEqualTo("sts_timeout"));
        }
        assertThat(limit.around(request -> OK).forward(null)).isSameAs(OK);
    }

    @Test
    void theLimitIsSharedByEveryCallWrappedInIt() throws Exception {
        StsConcurrencyLimit limit = new StsConcurrencyLimit(1);
        workers.submit(() -> limit.around(hangingSts).forward(null));
        awaitStsCalls(1);

        assertThatThrownBy(() -> limit.around(request -> OK).forward(null))
                .isInstanceOfSatisfying(AwsIdentityRejection.class,
                        r -> assertThat(r.reason()).isEqualTo("sts_concurrency_limit"));
    }

    @Test
    void aLimitBelowOneIsAConfigurationError() {
        assertThatThrownBy(() -> new StsConcurrencyLimit(0)).isInstanceOf(IllegalArgumentException.class);
    }

    private void awaitStsCalls(int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (stsCalls.get() < count && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(stsCalls).hasValue(count);
    }
}
