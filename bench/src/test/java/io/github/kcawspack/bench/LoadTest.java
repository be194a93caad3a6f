package io.github.kcawspack.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.HdrHistogram.Histogram;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/** Percentiles come from HdrHistogram; what is ours is the expected interval and what is read. */
class LoadTest {

    private static final long MS = 1_000_000;

    @Test
    void theExpectedIntervalIsTheClientsPaceDuringTheWarmUp() {
        assertThat(Load.expectedInterval(100 * MS, 10)).isEqualTo(10 * MS);
        assertThat(Load.expectedInterval(0, 0)).isZero();
    }

    /**
     * A client answered every 10 ms, then waited 100 ms once. Measured: 99 answers of 10 ms and
     * one of 100 ms, p99 10 ms. An open-loop client would have sent 9 more requests during the
     * stall, waiting 90, 80, ... 10 ms: those are added, and the p99 shows the stall.
     */
    @Test
    void aStallCountsForTheRequestsTheClientCouldNotSend() {
        Histogram measured = Load.histogram();
        Histogram corrected = Load.histogram();
        for (int i = 0; i < 100; i++) {
            long latency = (i == 50 ? 100 : 10) * MS;
            measured.recordValue(latency);
            corrected.recordValueWithExpectedInterval(latency, Load.expectedInterval(1000 * MS, 100));
        }
        Load.Tally tally = new Load.Tally(measured, corrected, Map.of());

        assertThat(tally.tokens()).isEqualTo(100);
        assertThat(corrected.getTotalCount()).isEqualTo(109);
        assertThat(measured.getValueAtPercentile(99) / 1e6).isCloseTo(10.0, Offset.offset(0.01));
        assertThat(tally.percentileMillis(99)).isCloseTo(90.0, Offset.offset(0.1));
        assertThat(tally.percentileMillis(50)).isCloseTo(10.0, Offset.offset(0.01));
    }

    @Test
    void tallyOfSeveralClientsOrTurnsAddsUp() {
        Histogram a = Load.histogram();
        a.recordValue(5 * MS);
        Histogram b = Load.histogram();
        b.recordValue(7 * MS);
        Load.Tally all = Load.Tally.combine(List.of(new Load.Tally(a, a, Map.of("503", 1L)),
                new Load.Tally(b, b, Map.of("503", 2L, "400", 1L))));

        assertThat(all.tokens()).isEqualTo(2);
        assertThat(all.errors()).isEqualTo(4);
        assertThat(all.percentileMillis(100)).isCloseTo(7.0, Offset.offset(0.01));
    }

    @Test
    void nothingMeasuredHasNoPercentile() {
        assertThat(new Load.Tally(Load.histogram(), Load.histogram(), Map.of()).percentileMillis(99)).isNaN();
    }

    /**
     * One client; a window from 0.4 s to 2.4 s; the server answers the first request after 0.8 s,
     * the second (sent then) after 2 s. The first answer arrives in the window and counts, though
     * its request was sent before the window opened (counting by the time sent would give 0); the
     * second arrives after the window closed and does not. A first request up to 1.6 s late still
     * lands in the window.
     */
    @Test
    void aWindowCountsTheAnswersThatArriveInIt() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        ExecutorService handlers = Executors.newCachedThreadPool();
        server.setExecutor(handlers);
        AtomicInteger requests = new AtomicInteger();
        server.createContext("/token", exchange -> {
            try {
                Thread.sleep(requests.incrementAndGet() == 1 ? 800 : 2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            byte[] body = "{\"access_token\":\"x\"}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try {
            Load load = new Load(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/token"));
            Load.Tally tally = load.run(1, Duration.ofMillis(400), Duration.ofMillis(2000),
                    worker -> new Load.Request("grant_type=client_credentials", null), () -> { }, () -> { });

            assertThat(requests).hasValue(2);
            assertThat(tally.tokens()).isEqualTo(1);
        } finally {
            server.stop(0);
            handlers.shutdownNow();
        }
    }
}
