package io.github.kcawspack.awsidentity.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.github.kcawspack.awsidentity.AwsIdentityRejection;
import io.github.kcawspack.awsidentity.verify.RequestPreflight.Preflighted;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.http.impl.client.CloseableHttpClient;
import org.apache.http.impl.client.HttpClients;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The forwarding step against a local HTTP server standing in for an endpoint override. */
class StsForwarderTest {

    private static final String BODY = "Action=GetCallerIdentity&Version=2011-06-15";

    private HttpServer server;
    private final AtomicReference<HttpExchangeHandler> handler = new AtomicReference<>();
    private final AtomicReference<String> receivedHost = new AtomicReference<>();
    private final AtomicReference<String> receivedBody = new AtomicReference<>();
    private final CloseableHttpClient http = HttpClients.createDefault();
    private final ScheduledExecutorService timer = StsDeadlines.newTimer();

    interface HttpExchangeHandler {
        void handle(HttpExchange exchange) throws IOException;
    }

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/", exchange -> {
            receivedHost.set(exchange.getRequestHeaders().getFirst("Host"));
            receivedBody.set(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            try {
                handler.get().handle(exchange);
            } finally {
                exchange.close();
            }
        });
        server.start();
    }

    @AfterEach
    void stop() throws IOException {
        server.stop(0);
        http.close();
        timer.shutdownNow();
    }

    @Test
    void forwardsTheSignedHostAndExactBodyAndReturnsTheAnswer() {
        handler.set(exchange -> respond(exchange, 200, "text/xml", "<ok/>"));

        StsReply answer = forwarder(Duration.ofSeconds(5), 65536).forward(request());

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.contentType()).isEqualTo("text/xml");
        assertThat(new String(answer.body(), StandardCharsets.UTF_8)).isEqualTo("<ok/>");
        assertThat(receivedHost.get()).isEqualTo("sts.us-east-1.amazonaws.com");
        assertThat(receivedBody.get()).isEqualTo(BODY);
    }

    @Test
    void aFinishedCallLeavesNoDeadlineBehind() {
        handler.set(exchange -> respond(exchange, 200, "text/xml", "<ok/>"));

        forwarder(Duration.ofSeconds(5), 65536).forward(request());

        // A cancelled abort still queued would hold the finished request until its deadline.
        assertThat(((ScheduledThreadPoolExecutor) timer).getQueue()).isEmpty();
    }

    @Test
    void redirectsAreNotFollowed() {
        handler.set(exchange -> {
            exchange.getResponseHeaders().set("Location", "http://127.0.0.1:1/elsewhere");
            respond(exchange, 302, "text/plain", "moved");
        });

        assertThat(forwarder(Duration.ofSeconds(5), 65536).forward(request()).status()).isEqualTo(302);
    }

    @Test
    void slowHeadersHitTheDeadline() {
        handler.set(exchange -> {
            sleep(Duration.ofSeconds(5));
            respond(exchange, 200, "text/xml", "<late/>");
        });

        long start = System.nanoTime();
        assertThatThrownBy(() -> forwarder(Duration.ofMillis(500), 65536).forward(request()))
                .isInstanceOfSatisfying(AwsIdentityRejection.class, r -> {
                    assertThat(r.error()).isEqualTo(AwsIdentityRejection.OAuthError.TEMPORARILY_UNAVAILABLE);
                    assertThat(r.reason()).isEqualTo("sts_timeout");
                    assertThat(r.description()).isEqualTo("AWS STS did not answer in time; try again later");
                });
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
    }

    /*
     * The socket's read timeout and the abort share one deadline; on a busy machine the read
     * timeout can fire first. A slow STS is still "did not answer in time", never "could not be
     * reached": the timer's only thread is kept busy here so that the abort comes late.
     */
    @Test
    void aReadTimeoutBeforeTheAbortIsStillATimeout() throws Exception {
        handler.set(exchange -> {
            sleep(Duration.ofSeconds(5));
            respond(exchange, 200, "text/xml", "<late/>");
        });
        CountDownLatch busy = new CountDownLatch(1);
        timer.execute(() -> {
            busy.countDown();
            sleep(Duration.ofSeconds(2));
        });
        busy.await();

        assertThatThrownBy(() -> forwarder(Duration.ofMillis(500), 65536).forward(request()))
                .isInstanceOfSatisfying(AwsIdentityRejection.class, r -> assertThat(r.reason()).isEqualTo("sts_timeout"));
    }

    @Test
    void aDrippingBodyHitsTheSameDeadline() {
        handler.set(exchange -> {
            exchange.getResponseHeaders().set("Content-Type", "text/xml");
            exchange.sendResponseHeaders(200, 0);
            OutputStream out = exchange.getResponseBody();
            for (int i = 0; i < 50; i++) {
                out.write('x');
                out.flush();
                sleep(Duration.ofMillis(100));
            }
        });

        assertThatThrownBy(() -> forwarder(Duration.ofMillis(700), 65536).forward(request()))
                .isInstanceOfSatisfying(AwsIdentityRejection.class, r -> assertThat(r.reason()).isEqualTo("sts_timeout"));
    }

    @Test
    void anAnswerOverTheCapIsRefused() {
        handler.set(exchange -> respond(exchange, 200, "text/xml", "x".repeat(5000)));
        assertThatThrownBy(() -> forwarder(Duration.ofSeconds(5), 4096).forward(request()))
                .isInstanceOfSatisfying(AwsIdentityRejection.class, r -> {
                    assertThat(r.reason()).isEqualTo("sts_response_too_large");
                    assertThat(r.description()).doesNotContain("xxxx");
                });

        handler.set(exchange -> {
            exchange.getResponseHeaders().set("Content-Type", "text/xml");
            exchange.sendResponseHeaders(200, 0); // chunked: no length to check up front
            exchange.getResponseBody().write("y".repeat(5000).getBytes(StandardCharsets.UTF_8));
        });
        assertThatThrownBy(() -> forwarder(Duration.ofSeconds(5), 4096).forward(request()))
                .isInstanceOfSatisfying(AwsIdentityRejection.class, r -> assertThat(r.reason()).isEqualTo("sts_response_too_large"));
    }

    @Test
    void aRefusedConnectionIsAnOutage() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        StsForwarder forwarder = new StsForwarder(http, timer, new ForwardingSettings(
                URI.create("http://127.0.0.1:" + closedPort + "/"), Duration.ofSeconds(1), Duration.ofSeconds(2), 65536));

        assertThatThrownBy(() -> forwarder.forward(request()))
                .isInstanceOfSatisfying(AwsIdentityRejection.class, r -> {
                    assertThat(r.error().httpStatus()).isEqualTo(503);
                    assertThat(r.reason()).isEqualTo("sts_unreachable");
                    // Not "did not answer in time": an operator must tell a wrong endpoint from a slow STS.
                    assertThat(r.description()).isEqualTo("AWS STS could not be reached; try again later");
                });
    }

    @Test
    void aPooledConnectionStsClosedWhenItRestartedIsRetriedOnceOnAFreshOne() throws Exception {
        // A raw server: answers on the first connection and keeps it open (keep-alive), then closes
        // it as a restarting STS does; every later connection gets an answer.
        try (RawSts sts = new RawSts(connection -> connection == 1 ? RawSts.Action.ANSWER_THEN_CLOSE_IDLE : RawSts.Action.ANSWER)) {
            StsForwarder forwarder = forwarderTo(sts.port(), Duration.ofSeconds(5));
            assertThat(forwarder.forward(request()).status()).isEqualTo(200);
            sts.awaitClosed(1);

            StsReply answer = forwarder.forward(request());

            assertThat(answer.status()).isEqualTo(200);
            assertThat(sts.connections()).as("the retry opened a connection of its own").isEqualTo(2);
            assertThat(sts.answered()).isEqualTo(2);
        }
    }

    @Test
    void aSecondConnectionFailingBeforeAnyAnswerIsAnOutage() throws Exception {
        try (RawSts sts = new RawSts(connection -> RawSts.Action.READ_THEN_CLOSE)) {
            assertThatThrownBy(() -> forwarderTo(sts.port(), Duration.ofSeconds(5)).forward(request()))
                    .isInstanceOfSatisfying(AwsIdentityRejection.class, r -> {
                        assertThat(r.error().httpStatus()).isEqualTo(503);
                        assertThat(r.reason()).isEqualTo("sts_unreachable");
                    });
            assertThat(sts.requestsRead()).as("sent once, retried once, no more").isEqualTo(2);
        }
    }

    @Test
    void anAnswerCutOffAfterItsFirstBytesIsNotRetried() throws Exception {
        try (RawSts sts = new RawSts(connection -> RawSts.Action.HALF_AN_ANSWER)) {
            assertThatThrownBy(() -> forwarderTo(sts.port(), Duration.ofSeconds(5)).forward(request()))
                    .isInstanceOfSatisfying(AwsIdentityRejection.class, r -> assertThat(r.error().httpStatus()).isEqualTo(503));
            assertThat(sts.requestsRead()).isEqualTo(1);
        }
    }

    private StsForwarder forwarderTo(int port, Duration deadline) {
        return new StsForwarder(http, timer, new ForwardingSettings(URI.create("http://127.0.0.1:" + port + "/"),
                Duration.ofSeconds(1), deadline, 65536));
    }

    /** An HTTP/1.1 server on a raw socket, for what the JDK's HttpServer cannot act out. */
    private static final class RawSts implements AutoCloseable {
        enum Action { ANSWER, ANSWER_THEN_CLOSE_IDLE, READ_THEN_CLOSE, HALF_AN_ANSWER }

        private final ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        private final java.util.function.IntFunction<Action> plan;
        private final java.util.concurrent.atomic.AtomicInteger connections = new java.util.concurrent.atomic.AtomicInteger();
        private final java.util.concurrent.atomic.AtomicInteger requests = new java.util.concurrent.atomic.AtomicInteger();
        private final java.util.concurrent.atomic.AtomicInteger answers = new java.util.concurrent.atomic.AtomicInteger();
        private final java.util.concurrent.Semaphore closed = new java.util.concurrent.Semaphore(0);
        private final Thread acceptor;

        RawSts(java.util.function.IntFunction<Action> plan) throws IOException {
            this.plan = plan;
            acceptor = new Thread(this::serve, "raw-sts");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        int port() {
            return listener.getLocalPort();
        }

        int connections() {
            return connections.get();
        }

        int requestsRead() {
            return requests.get();
        }

        int answered() {
            return answers.get();
        }

        void awaitClosed(int count) throws InterruptedException {
            assertThat(closed.tryAcquire(count, 5, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        }

        private void serve() {
            while (!listener.isClosed()) {
                try {
                    java.net.Socket socket = listener.accept();
                    Action action = plan.apply(connections.incrementAndGet());
                    Thread handler = new Thread(() -> handle(socket, action));
                    handler.setDaemon(true);
                    handler.start();
                } catch (IOException e) {
                    return;
                }
            }
        }

        private void handle(java.net.Socket socket, Action action) {
            try (socket) {
                java.io.InputStream in = socket.getInputStream();
                readRequest(in);
                requests.incrementAndGet();
                OutputStream out = socket.getOutputStream();
                switch (action) {
                    case READ_THEN_CLOSE -> { }
                    case HALF_AN_ANSWER -> {
                        out.write("HTTP/1.1 200 OK\r\nContent-Ty".getBytes(StandardCharsets.US_ASCII));
                        out.flush();
                    }
                    case ANSWER, ANSWER_THEN_CLOSE_IDLE -> {
                        answers.incrementAndGet(); // before the client can see the answer
                        out.write("HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nContent-Length: 5\r\n\r\n<ok/>"
                                .getBytes(StandardCharsets.US_ASCII));
                        out.flush();
                    }
                }
            } catch (IOException ignored) {
                // the client went away
            } finally {
                closed.release();
            }
        }

        private static void readRequest(java.io.InputStream in) throws IOException {
            StringBuilder head = new StringBuilder();
            while (!head.toString().endsWith("\r\n\r\n")) {
                int b = in.read();
                if (b < 0) {
                    throw new IOException("closed");
                }
                head.append((char) b);
            }
            java.util.regex.Matcher length = java.util.regex.Pattern.compile("(?i)content-length: *(\\d+)").matcher(head);
            in.readNBytes(length.find() ? Integer.parseInt(length.group(1)) : 0);
        }

        @Override
        public void close() throws IOException {
            listener.close();
        }
    }

    @Test
    void aSignedContentLengthReachesStsOnceAsTheBodysLength() {
        AtomicReference<List<String>> lengths = new AtomicReference<>();
        handler.set(exchange -> {
            lengths.set(exchange.getRequestHeaders().get("Content-Length"));
            respond(exchange, 200, "text/xml", "<ok/>");
        });

        StsReply answer = forwarder(Duration.ofSeconds(5), 65536)
                .forward(request(List.of(new SignedHeaders.Header("Content-Length", String.valueOf(BODY.length())))));

        assertThat(answer.status()).isEqualTo(200);
        assertThat(lengths.get()).containsExactly(String.valueOf(BODY.length()));
        assertThat(receivedBody.get()).isEqualTo(BODY);
    }

    private StsForwarder forwarder(Duration deadline, int cap) {
        URI override = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
        return new StsForwarder(http, timer, new ForwardingSettings(override, Duration.ofSeconds(1), deadline, cap));
    }

    private static Preflighted request() {
        return request(List.of());
    }

    private static Preflighted request(List<SignedHeaders.Header> extra) {
        StsEndpoint endpoint = StsEndpoint.forRegion("us-east-1");
        List<SignedHeaders.Header> headers = new java.util.ArrayList<>(List.of(
                new SignedHeaders.Header("Host", endpoint.host()),
                new SignedHeaders.Header("Content-Type", "application/x-www-form-urlencoded; charset=utf-8"),
                new SignedHeaders.Header("X-Amz-Date", "20261123T120000Z"),
                new SignedHeaders.Header("Authorization", "AWS4-HMAC-SHA256 Credential=AKIAEXAMPLEEXAMPLE1/20261123/us-east-1/sts/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=" + "b".repeat(64))));
        headers.addAll(extra);
        SigV4Authorization authorization = SigV4Authorization.parse(headers.get(3).value());
        Instant signedAt = Instant.parse("2026-11-23T12:00:00Z");
        return new Preflighted(endpoint, BODY, headers, authorization, signedAt, signedAt.plusSeconds(900), Optional.empty());
    }

    private static void respond(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
