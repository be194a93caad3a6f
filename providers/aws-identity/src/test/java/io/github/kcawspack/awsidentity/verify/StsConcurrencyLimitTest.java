package io.github.kcawspack.awsidentity.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.kcawspack.awsidentity.AwsIdentityRejection.OAuthError;
import io.github.kcawspack.awsidentity.AwsIdentityRejection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Calls to a hanging STS hold their slots and the next one is refused without calling STS; calls
 * to an STS that keeps answering wait for their turn.
 */
class StsConcurrencyLimitTest {

    private static final StsReply OK = new StsReply(200, "text/xml", new byte[0]);

    private final ExecutorService workers = Executors.newCachedThreadPool();
    private final CountDownLatch stsAnswers = new CountDownLatch(1);
    private final AtomicInteger stsCalls = new AtomicInteger();

    /** STS that accepts every call and answers only when the test lets it. */
    private final StsExchange hangingSts = answeringWhen(stsAnswers);

    @AfterEach
    void stop() {
        stsAnswers.countDown();
        workers.shutdownNow();
    }

    @Test
    void callsPastTheLimitAreRefusedAsAnOutageWhileStsHangs() throws Exception {
        StsExchange limited = new StsConcurrencyLimit(3).around(hangingSts);
        List<Future<StsReply>> hanging = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            hanging.add(workers.submit(() -> limited.forward(null)));
        }
        awaitStsCalls(3);

        long start = System.nanoTime();
        assertThatThrownBy(() -> limited.forward(null)).isInstanceOfSatisfying(AwsIdentityRejection.class, r -> {
            assertThat(r.error()).isEqualTo(OAuthError.TEMPORARILY_UNAVAILABLE);
            assertThat(r.reason()).isEqualTo("sts_concurrency_limit");
        });
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(StsConcurrencyLimit.LONGEST_WAIT)
                .as("refused once STS answered no call for the stall time").isGreaterThanOrEqualTo(StsConcurrencyLimit.STALL);
        assertThat(stsCalls).hasValue(3);

        stsAnswers.countDown();
        for (Future<StsReply> call : hanging) {
            assertThat(call.get(10, TimeUnit.SECONDS)).isSameAs(OK);
        }
        assertThat(limited.forward(null)).as("slots are given back when STS answers").isSameAs(OK);
    }

    @Test
    void onceStsWasFoundStuckALoginFindingEverySlotTakenIsRefusedWithoutWaitingUntilStsAnswersAgain() throws Exception {
        StsConcurrencyLimit limit = new StsConcurrencyLimit(1);
        Future<StsReply> hanging = workers.submit(() -> limit.around(hangingSts).forward(null));
        awaitStsCalls(1);
        assertRefusedByTheLimit(limit);

        long start = System.nanoTime();
        assertRefusedByTheLimit(limit);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("refused without waiting for a slot")
                .isLessThan(StsConcurrencyLimit.STALL);

        stsAnswers.countDown();
        assertThat(hanging.get(10, TimeUnit.SECONDS)).isSameAs(OK);
        // STS answered: a login that finds the slot taken waits for it again.
        CountDownLatch answer = new CountDownLatch(1);
        Future<StsReply> slow = workers.submit(() -> limit.around(answeringWhen(answer)).forward(null));
        awaitStsCalls(2);
        Future<StsReply> waiting = workers.submit(() -> limit.around(request -> OK).forward(null));
        awaitWaiting(limit, 1);
        answer.countDown();
        assertThat(waiting.get(10, TimeUnit.SECONDS)).isSameAs(OK);
        assertThat(slow.get(10, TimeUnit.SECONDS)).isSameAs(OK);
    }

    @Test
    void aLastPeriodCutShortByTheLongestWaitDoesNotMakeStsTakenForStuck() throws Exception {
        // By this clock the login has waited 850 ms when it starts to: its only period is the 150 ms
        // left of the longest wait. Refused then, it proves nothing about STS, and the next login
        // finding the slot taken still waits a whole period before it is refused.
        AtomicInteger reads = new AtomicInteger();
        StsConcurrencyLimit limit = new StsConcurrencyLimit(1,
                () -> System.nanoTime() - (reads.getAndIncrement() == 0 ? TimeUnit.MILLISECONDS.toNanos(850) : 0));
        workers.submit(() -> limit.around(hangingSts).forward(null));
        awaitStsCalls(1);
        reads.set(0);
        assertRefusedByTheLimit(limit);

        long start = System.nanoTime();
        assertRefusedByTheLimit(limit);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("waited a whole stall period")
                .isGreaterThanOrEqualTo(StsConcurrencyLimit.STALL);
    }

    @Test
    void whileStsIsTakenForStuckALoginFindingASlotFreeTakesItAndATimeoutIsNoAnswer() throws Exception {
        StsConcurrencyLimit limit = new StsConcurrencyLimit(1);
        CountDownLatch deadline = new CountDownLatch(1);
        StsExchange timeoutAt = answeringWhen(deadline);
        Future<StsReply> timingOut = workers.submit(() -> limit.around(request -> {
            timeoutAt.forward(request);
            throw AwsIdentityRejection.unavailable("sts_timeout", "AWS STS did not answer in time; try again later");
        }).forward(null));
        awaitStsCalls(1);
        assertRefusedByTheLimit(limit);
        deadline.countDown();
        assertThatThrownBy(() -> timingOut.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(AwsIdentityRejection.class);

        // The slot is free: the next login takes it and its call shows whether STS answers.
        Future<StsReply> probe = workers.submit(() -> limit.around(hangingSts).forward(null));
        awaitStsCalls(2);
        // The timeout was no answer: a login finding the slot taken is still refused at once.
        long start = System.nanoTime();
        assertRefusedByTheLimit(limit);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(StsConcurrencyLimit.STALL);
        stsAnswers.countDown();
        assertThat(probe.get(10, TimeUnit.SECONDS)).isSameAs(OK);
    }

    @Test
    void whileStsKeepsAnsweringALoginWaitsForItsTurnRatherThanBeingRefused() throws Exception {
        // One slot, six logins at once, 40 ms per call: the last waits about 200 ms (a fixed 100 ms
        // wait refused the fourth), and a call finishes every 40 ms meanwhile.
        StsExchange limited = new StsConcurrencyLimit(1).around(answeringAfter(Duration.ofMillis(40)));
        List<Future<StsReply>> logins = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            logins.add(workers.submit(() -> limited.forward(null)));
        }
        for (Future<StsReply> login : logins) {
            assertThat(login.get(10, TimeUnit.SECONDS)).isSameAs(OK);
        }
        assertThat(stsCalls).hasValue(6);
    }

    @Test
    void noLoginWaitsForASlotLongerThanTheLongestWait() throws Exception {
        // One slot, 150 ms per call, twelve logins: a call finishes within every stall period, but
        // the later logins would wait up to 1.7 s; they are told to come back instead.
        StsExchange limited = new StsConcurrencyLimit(1).around(answeringAfter(Duration.ofMillis(150)));
        int refused = refusedByTheLimit(limited, 12);
        assertThat(stsCalls.get()).as("logins served while STS made progress").isGreaterThanOrEqualTo(3);
        assertThat(refused).as("logins that would have waited past the longest wait").isGreaterThanOrEqualTo(3);
        assertThat(stsCalls.get() + refused).isEqualTo(12);
    }

    @Test
    void aCallSlowerThanTheStallPeriodOnEverySlotCountsAsStuck() throws Exception {
        StsExchange limited = new StsConcurrencyLimit(1).around(answeringAfter(Duration.ofMillis(600)));
        Future<StsReply> first = workers.submit(() -> limited.forward(null));
        awaitStsCalls(1);

        assertThatThrownBy(() -> limited.forward(null)).isInstanceOfSatisfying(AwsIdentityRejection.class,
                r -> assertThat(r.reason()).isEqualTo("sts_concurrency_limit"));
        assertThat(first.get(10, TimeUnit.SECONDS)).isSameAs(OK);
    }

    @Test
    void aWakeUpHeldUpByThisNodeIsNotTakenForAStuckSts() throws Exception {
        // The waiting login's first stall period ends 60 ms late by this clock, as after a GC pause
        // of the node: the call under way (300 ms) may have been held up too, so the login waits
        // one period more instead of being refused at 200 ms, and gets the slot when the call ends.
        AtomicInteger reads = new AtomicInteger();
        StsExchange limited = new StsConcurrencyLimit(1, lateWakeUps(reads, 1)).around(answeringAfter(Duration.ofMillis(300)));
        Future<StsReply> first = workers.submit(() -> limited.forward(null));
        awaitStsCalls(1);
        reads.set(0);

        assertThat(limited.forward(null)).isSameAs(OK);
        assertThat(first.get(10, TimeUnit.SECONDS)).isSameAs(OK);
    }

    @Test
    void whileStsHangsALoginHeldUpOnEveryWakeUpIsRefusedAfterTwoPeriods() throws Exception {
        // The excuse for a late wake-up is given once: a waiting login holds a worker thread too,
        // and on a node whose every wake-up is late it must not wait for STS until the longest wait.
        AtomicInteger reads = new AtomicInteger();
        StsConcurrencyLimit limit = new StsConcurrencyLimit(1, lateWakeUps(reads, Integer.MAX_VALUE));
        StsExchange limited = limit.around(hangingSts);
        workers.submit(() -> limited.forward(null));
        awaitStsCalls(1);
        reads.set(0);

        long start = System.nanoTime();
        assertThatThrownBy(() -> limited.forward(null)).isInstanceOfSatisfying(AwsIdentityRejection.class,
                r -> assertThat(r.reason()).isEqualTo("sts_concurrency_limit"));
        assertThat(Duration.ofNanos(System.nanoTime() - start))
                .as("two stall periods, well short of the longest wait").isLessThan(Duration.ofMillis(700));
        assertThat(stsCalls).hasValue(1);
    }

    @Test
    void callsEndingAtTheirDeadlineAreNoSignThatStsMakesProgress() throws Exception {
        // STS hangs: one slot holds a call that never ends, the other serves logins whose calls time
        // out after 100 ms each. Counting those as finished calls kept all ten waiting to the 1 s
        // bound (each saw a call end every 100 ms and all ten reached the hanging STS); they are
        // refused once STS has answered nothing for a stall period.
        StsConcurrencyLimit limit = new StsConcurrencyLimit(2);
        workers.submit(() -> limit.around(hangingSts).forward(null));
        awaitStsCalls(1);
        AtomicInteger timedOut = new AtomicInteger();
        StsExchange timingOut = limit.around(request -> {
            timedOut.incrementAndGet();
            sleep(Duration.ofMillis(100));
            throw AwsIdentityRejection.unavailable("sts_timeout", "AWS STS did not answer in time; try again later");
        });

        long start = System.nanoTime();
        int refused = refusedByTheLimit(timingOut, 10);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("the last login's answer")
                .isLessThan(Duration.ofMillis(800));
        assertThat(timedOut.get()).as("logins that reached the hanging STS").isLessThanOrEqualTo(6);
        assertThat(refused + timedOut.get()).isEqualTo(10);
    }

    @Test
    void waitingLoginsGetSlotsInTheOrderTheyCame() throws Exception {
        // One slot. "first" and "second" wait from the start, "third" from 100 ms. The holder's call
        // is answered then and "first" gets the slot; at 200 ms "second" has waited a period with an
        // answer in it, and keeps its place: when "first"'s call is answered (250 ms), "second" gets
        // the slot before "third". Re-queued at the back after each period (as a fair semaphore's
        // timed acquire does), it was served after "third".
        StsConcurrencyLimit limit = new StsConcurrencyLimit(1);
        List<String> served = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch holderAnswer = new CountDownLatch(1);
        CountDownLatch firstAnswer = new CountDownLatch(1);
        List<Future<?>> logins = new ArrayList<>();
        logins.add(workers.submit(() -> limit.around(answeringAs("holder", served, holderAnswer)).forward(null)));
        awaitStsCalls(1);
        logins.add(workers.submit(() -> limit.around(answeringAs("first", served, firstAnswer)).forward(null)));
        awaitWaiting(limit, 1);
        logins.add(workers.submit(() -> limit.around(answeringAs("second", served, new CountDownLatch(0))).forward(null)));
        awaitWaiting(limit, 2);
        sleep(Duration.ofMillis(100));
        logins.add(workers.submit(() -> limit.around(answeringAs("third", served, new CountDownLatch(0))).forward(null)));
        awaitWaiting(limit, 3);
        holderAnswer.countDown();
        awaitStsCalls(2);
        sleep(Duration.ofMillis(150));
        firstAnswer.countDown();

        for (Future<?> login : logins) {
            login.get(10, TimeUnit.SECONDS);
        }
        assertThat(served).containsExactly("holder", "first", "second", "third");
    }

    @Test
    void noSlotIsLostOrDuplicatedWhateverCallsAndWaitingLoginsDo() throws Exception {
        // Ten threads on three slots for two seconds; calls answer, time out or fail with a bug,
        // waiting logins are interrupted at random. Never more than three calls under way, and
        // afterwards exactly three slots are left: a slot handed to a login that then gave up
        // must go on to the next. Interrupts come back to back: with one a millisecond, a lost slot
        // of a login interrupted just as its slot was handed over went unnoticed in two runs.
        StsConcurrencyLimit limit = new StsConcurrencyLimit(3);
        AtomicInteger underWay = new AtomicInteger();
        AtomicInteger mostUnderWay = new AtomicInteger();
        StsExchange erratic = limit.around(request -> {
            mostUnderWay.accumulateAndGet(underWay.incrementAndGet(), Math::max);
            try {
                sleep(Duration.ofMillis(ThreadLocalRandom.current().nextInt(3)));
                switch (ThreadLocalRandom.current().nextInt(3)) {
                    case 0:
                        return OK;
                    case 1:
                        throw AwsIdentityRejection.unavailable("sts_timeout", "AWS STS did not answer in time");
                    default:
                        throw new IllegalStateException("a bug in the call");
                }
            } finally {
                underWay.decrementAndGet();
            }
        });
        long endAt = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        List<Thread> logins = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            Thread login = new Thread(() -> {
                while (System.nanoTime() < endAt) {
                    try {
                        erratic.forward(null);
                    } catch (RuntimeException expected) {
                        Thread.interrupted();
                    }
                }
            });
            logins.add(login);
            login.start();
        }
        while (System.nanoTime() < endAt) {
            logins.get(ThreadLocalRandom.current().nextInt(logins.size())).interrupt();
            Thread.onSpinWait();
        }
        for (Thread login : logins) {
            login.join(10_000);
        }

        assertThat(mostUnderWay.get()).isLessThanOrEqualTo(3);
        for (int i = 0; i < 3; i++) {
            workers.submit(() -> limit.around(hangingSts).forward(null));
        }
        awaitStsCalls(3);
        assertRefusedByTheLimit(limit);
    }

    @Test
    void aFailedCallGivesItsSlotBack() {
        StsExchange timingOut = request -> {
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

        assertRefusedByTheLimit(limit);
    }

    @Test
    void aLimitBelowOneIsAConfigurationError() {
        assertThatThrownBy(() -> new StsConcurrencyLimit(0)).isInstanceOf(IllegalArgumentException.class);
    }

    /**
     * A real clock on which the first {@code count} wake-ups without an answered call look 60 ms
     * late (more than {@link StsConcurrencyLimit#LATE_WAKE}). A waiting login reads the clock when
     * it starts to wait (read 0), at each stall period's start (1, 3, ...) and after each wake-up
     * that found no call answered (2, 4, ...); only those last reads are moved. Set {@code reads}
     * to 0 when the login to observe starts waiting.
     */
    private static LongSupplier lateWakeUps(AtomicInteger reads, int count) {
        return () -> {
            int read = reads.getAndIncrement();
            boolean wakeUp = read >= 2 && read % 2 == 0 && read / 2 <= count;
            return System.nanoTime() + (wakeUp ? TimeUnit.MILLISECONDS.toNanos(60) : 0);
        };
    }

    /**
     * Sends {@code count} logins through {@code limited} at once and waits for them all.
     *
     * @return how many the limit refused; a login that failed otherwise must have failed at STS
     */
    private int refusedByTheLimit(StsExchange limited, int count) throws Exception {
        List<Future<?>> logins = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            logins.add(workers.submit(() -> limited.forward(null)));
        }
        int refused = 0;
        for (Future<?> login : logins) {
            try {
                login.get(10, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                assertThat(e.getCause()).isInstanceOf(AwsIdentityRejection.class);
                if (((AwsIdentityRejection) e.getCause()).reason().equals("sts_concurrency_limit")) {
                    refused++;
                }
            }
        }
        return refused;
    }

    /** STS answering when {@code answer} is counted down, recording who called it, in order. */
    private StsExchange answeringAs(String login, List<String> served, CountDownLatch answer) {
        return request -> {
            served.add(login);
            return answeringWhen(answer).forward(request);
        };
    }

    /** STS answering when {@code answer} is counted down. */
    private StsExchange answeringWhen(CountDownLatch answer) {
        return request -> {
            stsCalls.incrementAndGet();
            try {
                answer.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return OK;
        };
    }

    private static void assertRefusedByTheLimit(StsConcurrencyLimit limit) {
        assertThatThrownBy(() -> limit.around(request -> OK).forward(null)).isInstanceOfSatisfying(
                AwsIdentityRejection.class, r -> assertThat(r.reason()).isEqualTo("sts_concurrency_limit"));
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void awaitWaiting(StsConcurrencyLimit limit, int count) throws InterruptedException {
        await("logins waiting for a slot", limit::waitingLogins, count);
    }

    private StsExchange answeringAfter(Duration latency) {
        return request -> {
            stsCalls.incrementAndGet();
            sleep(latency);
            return OK;
        };
    }

    private void awaitStsCalls(int count) throws InterruptedException {
        await("STS calls", stsCalls::get, count);
    }

    /** Polls {@code actual} for up to 10 s until it reaches {@code count}, which it must then equal. */
    private static void await(String what, IntSupplier actual, int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (actual.getAsInt() < count && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        assertThat(actual.getAsInt()).as(what).isEqualTo(count);
    }
}
