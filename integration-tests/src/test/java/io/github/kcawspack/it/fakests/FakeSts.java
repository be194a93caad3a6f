package io.github.kcawspack.it.fakests;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardSocketOptions;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.EofException;
import org.eclipse.jetty.io.SelectorManager;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Invocable;
import org.eclipse.jetty.util.thread.Invocable.InvocationType;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * A stand-in for {@code POST https://sts.<region>.amazonaws.com/} answering {@code GetCallerIdentity}
 * and {@code GetWebIdentityToken} (AWS Query protocol, as the AWS SDK for Java v2 speaks it to STS),
 * on 127.0.0.1. It is the only AWS the integration tests have, so it refuses everything real STS
 * would refuse (and, where noted, a little more), and a request that Keycloak altered on its way
 * fails here as it would at AWS.
 *
 * <p>A request passes when, in this order: it is {@code POST /}; its SigV4 signature verifies for
 * service {@code sts} against a registered access key ({@link SigV4Verifier}); its {@code Host} is
 * {@code sts.<scope region>.amazonaws.com} (or the host set with {@link #expectHost}); its
 * Content-Type is {@code application/x-www-form-urlencoded} (optionally {@code ; charset=utf-8});
 * its body is exactly {@code Action=GetCallerIdentity} and {@code Version=2011-06-15}, once each, or
 * {@code Action=GetWebIdentityToken}, that version and that action's parameters as the STS API
 * reference constrains them (the token itself comes from {@link #issueWebIdentityTokensWith}).
 *
 * <p>Tests steer the next answers with {@link #enqueue} (see {@link StsBehaviour}) and read what
 * happened from the counters and {@link #requests()}. TCP connections are counted as the server
 * accepts them, so keep-alive can be measured.
 *
 * <p>The HTTP server is Jetty's (core API, no servlets), its selector threads answering on the
 * spot: in the benchmark the fake shares Keycloak's cores, and the JDK's {@code HttpServer} with
 * the counting relay it needed took several thread hand-offs and 280 to 820 µs of CPU a request.
 */
public final class FakeSts implements AutoCloseable {

    private static final Pattern REGION = Pattern.compile("[a-z]{2,8}(-[a-z]+)+-[0-9]+");
    static final String GET_WEB_IDENTITY_TOKEN = "GetWebIdentityToken";
    /** STS's lifetime when a GetWebIdentityToken request has no DurationSeconds. */
    static final int DEFAULT_TOKEN_SECONDS = 300;
    private static final Pattern AUDIENCE_MEMBER = Pattern.compile("Audience\\.member\\.[1-9][0-9]*");
    private static final Pattern TAG_MEMBER = Pattern.compile("Tags\\.member\\.[1-9][0-9]*\\.(Key|Value)");
    private static final int MAX_REQUEST_BODY = 64 * 1024;
    private static final int MAX_KEPT_REQUESTS = 10_000;
    /** What a connection may sit idle between requests before the fake closes it (as the JDK's server did). */
    static final Duration IDLE_TIMEOUT = Duration.ofSeconds(30);
    /** The built-in default: never blocks, so it is answered on the selector thread. */
    private static final StsBehaviour NORMAL = StsBehaviour.normal();

    private final Server server;
    private final ServerConnector connector;
    private final Scheduler scheduler;
    private final ExecutorService behaviours;
    private final AtomicLong connectionsAccepted = new AtomicLong();
    private final Map<String, StsPrincipal> principals = new ConcurrentHashMap<>();
    private final Queue<StsBehaviour> nextBehaviours = new ConcurrentLinkedQueue<>();
    /** The latest requests; a deque, so dropping the oldest costs nothing once 10,000 are kept (guarded by itself). */
    private final Deque<ReceivedRequest> received = new ArrayDeque<>();
    private final AtomicLong requestCount = new AtomicLong();
    private final AtomicLong verifiedCount = new AtomicLong();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger peakInFlight = new AtomicInteger();
    private final SigV4Verifier verifier;

    private volatile StsBehaviour defaultBehaviour = NORMAL;
    private volatile Duration latency = Duration.ZERO;
    private volatile String expectedHost;
    private volatile Clock clock = Clock.systemUTC();
    private volatile WebIdentityTokenIssuer webIdentityTokenIssuer;
    private final AtomicReference<ReceivedRequest> lastRequest = new AtomicReference<>();
    private final AtomicReference<StsResponse> lastResponse = new AtomicReference<>();

    private FakeSts() throws Exception {
        verifier = new SigV4Verifier(accessKeyId -> Optional.ofNullable(principals.get(accessKeyId))
                .map(StsPrincipal::credentials), "sts");
        QueuedThreadPool threads = new QueuedThreadPool(16, 2);
        threads.setName("fake-sts");
        threads.setDaemon(true);
        server = new Server(threads);
        scheduler = new ScheduledExecutorScheduler("fake-sts-timer", true);
        server.addBean(scheduler);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        // Jetty's default limit is 8 KiB; a signed head with a long session token comes close.
        http.setRequestHeaderSize(64 * 1024);
        // No acceptor thread: a selector accepts too. Two selectors, each connection on one of them
        // for its whole life, so no request is handed over between threads, and on a busy machine
        // one descheduled selector does not stall every connection at once.
        connector = new ServerConnector(server, null, scheduler, null, 0, 2, new HttpConnectionFactory(http));
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        connector.setAcceptQueueSize(200);
        connector.setIdleTimeout(IDLE_TIMEOUT.toMillis());
        connector.getSelectorManager().addEventListener(new SelectorManager.AcceptListener() {
            @Override
            public void onAccepted(SelectableChannel channel) {
                connectionsAccepted.incrementAndGet();
            }
        });
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract.NonBlocking() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                return FakeSts.this.handle(request, response, callback);
            }
        });
        // A server whose handlers can change counts as blocking, and Jetty would then hand every
        // request to another thread; these never change, so requests stay on the selector thread.
        server.setDynamic(false);
        AtomicInteger threadNumber = new AtomicInteger();
        behaviours = Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, "fake-sts-behaviour-" + threadNumber.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        server.start();
    }

    /** Starts a fake on a free port of 127.0.0.1; close it when done. */
    public static FakeSts start() {
        try {
            return new FakeSts();
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the fake STS", e);
        }
    }

    /** {@code http://127.0.0.1:<port>}, where the STS endpoint override should point. */
    public String baseUrl() {
        return "http://127.0.0.1:" + port();
    }

    public int port() {
        return connector.getLocalPort();
    }

    // ---- callers ----------------------------------------------------------------------------

    /** Temporary credentials of an assumed role (access keys ASIA..., role unique id AROA...). */
    public FakeSts registerRole(String accessKeyId, String secretKey, String sessionToken, String account,
            String roleName, String sessionName, String uniqueId) {
        principals.put(accessKeyId, new StsPrincipal(accessKeyId, SigningCredentials.temporary(secretKey, sessionToken),
                account, StsPrincipal.Kind.ASSUMED_ROLE, roleName, sessionName, uniqueId));
        return this;
    }

    /** Permanent access keys of an IAM user (AKIA..., user unique id AIDA...). */
    public FakeSts registerUser(String accessKeyId, String secretKey, String account, String userName,
            String uniqueId) {
        principals.put(accessKeyId, new StsPrincipal(accessKeyId, SigningCredentials.permanent(secretKey), account,
                StsPrincipal.Kind.IAM_USER, userName, null, uniqueId));
        return this;
    }

    /** Temporary credentials of an IAM user (GetSessionToken): STS still answers the user's ARN. */
    public FakeSts registerUserSession(String accessKeyId, String secretKey, String sessionToken, String account,
            String userName, String uniqueId) {
        principals.put(accessKeyId, new StsPrincipal(accessKeyId, SigningCredentials.temporary(secretKey, sessionToken),
                account, StsPrincipal.Kind.IAM_USER, userName, null, uniqueId));
        return this;
    }

    /** From now on, requests signed with this temporary key get {@code ExpiredToken}. */
    public FakeSts expireCredentials(String accessKeyId) {
        principals.computeIfPresent(accessKeyId, (key, principal) ->
                principal.withCredentials(principal.credentials().expiringAt(Instant.MIN)));
        return this;
    }

    /** What a successful answer says for this caller when it signs for {@code region}. */
    public StsIdentity identityOf(String accessKeyId, String region) {
        StsPrincipal principal = principals.get(accessKeyId);
        if (principal == null) {
            throw new IllegalArgumentException("no caller registered with access key id " + accessKeyId);
        }
        return principal.identityIn(region);
    }

    // ---- steering ---------------------------------------------------------------------------

    /** Behaviours for the next requests, one each, in order; afterwards the default applies. */
    public FakeSts enqueue(StsBehaviour... behaviours) {
        nextBehaviours.addAll(List.of(behaviours));
        return this;
    }

    /** The behaviour for every request that finds the queue empty ({@link StsBehaviour#normal()} at start). */
    public FakeSts setDefaultBehaviour(StsBehaviour behaviour) {
        defaultBehaviour = behaviour;
        return this;
    }

    /** A wait before every answer's status line, on top of any behaviour's own delay. */
    public FakeSts setLatency(Duration latency) {
        this.latency = latency;
        return this;
    }

    /** Requires this Host instead of {@code sts.<scope region>.amazonaws.com}; null restores that. */
    public FakeSts expectHost(String host) {
        expectedHost = host;
        return this;
    }

    /**
     * Answers GetWebIdentityToken with tokens from {@code issuer} (the account enabled outbound
     * identity federation); until called, or with null, GetWebIdentityToken gets
     * {@code OutboundWebIdentityFederationDisabledException} (403), as for an account that did not.
     */
    public FakeSts issueWebIdentityTokensWith(WebIdentityTokenIssuer issuer) {
        webIdentityTokenIssuer = issuer;
        return this;
    }

    /** The clock X-Amz-Date is checked against (the system clock by default). */
    public FakeSts setClock(Clock clock) {
        this.clock = clock;
        return this;
    }

    /** Forgets requests, counters and queued behaviours; keeps callers and settings. */
    public FakeSts reset() {
        nextBehaviours.clear();
        synchronized (received) {
            received.clear();
        }
        requestCount.set(0);
        verifiedCount.set(0);
        lastRequest.set(null);
        lastResponse.set(null);
        peakInFlight.set(0);
        connectionsAccepted.set(0);
        return this;
    }

    // ---- observation ------------------------------------------------------------------------

    /** HTTP requests received (every path, every outcome). */
    public long requestCount() {
        return requestCount.get();
    }

    /** Requests whose SigV4 signature verified, whatever the answer was. */
    public long verifiedCount() {
        return verifiedCount.get();
    }

    /**
     * Acts out a restart of STS: every open connection is closed by the STS side, as when the
     * process is replaced, while registrations and scripted behaviours stay; new connections work.
     */
    public FakeSts restart() {
        connector.getConnectedEndPoints().forEach(EndPoint::close);
        return this;
    }

    /** TCP connections accepted (since start or {@link #reset()}), whether or not a request came on them. */
    public long connectionCount() {
        return connectionsAccepted.get();
    }

    /** Whether accepted connections have Nagle's algorithm off, so no answer waits for the client's delayed ACK. */
    boolean answersWithoutNagle() {
        return connector.getAcceptedTcpNoDelay();
    }

    /** Requests being answered right now, delayed ones included. */
    public int inFlight() {
        return inFlight.get();
    }

    /**
     * The most requests answered at the same time since start or {@link #reset()}: shows whether
     * a latency run kept as many requests waiting as its clients sent, or the fake held them back.
     */
    public int peakInFlight() {
        return peakInFlight.get();
    }

    public Optional<ReceivedRequest> lastRequest() {
        return Optional.ofNullable(lastRequest.get());
    }

    /**
     * The response chosen for the latest request, even if it was never sent whole (a hang, a drip
     * the client gave up on); empty when the connection was closed or reset instead.
     */
    public Optional<StsResponse> lastResponse() {
        return Optional.ofNullable(lastResponse.get());
    }

    /** The requests received, oldest first (the latest 10,000). */
    public List<ReceivedRequest> requests() {
        synchronized (received) {
            return List.copyOf(received);
        }
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            throw new IllegalStateException("cannot stop the fake STS", e);
        } finally {
            behaviours.shutdownNow();
        }
    }

    // ---- serving ----------------------------------------------------------------------------

    /**
     * Jetty calls this on its selector thread (the handler is non-blocking), so a request costs no
     * thread hand-off: the body is read as it arrives, and an answer without delay is judged and
     * written right there. A delay is a timer ({@link #scheduler}), not a sleeping thread; a scripted
     * behaviour (test code, which may block: tests hold requests with a latch) runs on a thread of
     * its own, as every request did with the JDK's server, so it never holds back other requests.
     */
    private boolean handle(Request request, Response response, Callback callback) {
        peakInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
        Callback done = new Callback() {
            @Override
            public void succeeded() {
                inFlight.decrementAndGet();
                callback.succeeded();
            }

            @Override
            public void failed(Throwable failure) {
                inFlight.decrementAndGet();
                callback.failed(failure);
            }

            @Override
            public InvocationType getInvocationType() {
                return callback.getInvocationType();
            }
        };
        // No idle timeout while a request is being answered (a hang, a drip): as with the JDK's
        // server, only a connection idle between requests is closed.
        request.addIdleTimeoutListener(timeout -> false);
        readBody(request, new ByteArrayOutputStream(), body -> answer(request, body, response, done), done);
        return true;
    }

    /** Keeps the first {@code MAX_REQUEST_BODY + 1} bytes and discards the rest, reading as data arrives. */
    private static void readBody(Request request, ByteArrayOutputStream kept, Consumer<byte[]> then, Callback done) {
        while (true) {
            Content.Chunk chunk = request.read();
            if (chunk == null) {
                // Non-blocking, or Jetty hands the rest of the request to another thread when it comes.
                request.demand(Invocable.from(InvocationType.NON_BLOCKING, () -> readBody(request, kept, then, done)));
                return;
            }
            if (Content.Chunk.isFailure(chunk)) {
                done.failed(chunk.getFailure());
                return;
            }
            ByteBuffer bytes = chunk.getByteBuffer();
            int keep = Math.min(bytes.remaining(), MAX_REQUEST_BODY + 1 - kept.size());
            for (int i = 0; i < keep; i++) {
                kept.write(bytes.get(bytes.position() + i));
            }
            boolean last = chunk.isLast();
            chunk.release();
            if (last) {
                then.accept(kept.toByteArray());
                return;
            }
        }
    }

    private void answer(Request request, byte[] body, Response response, Callback done) {
        ReceivedRequest asReceived = received(request, body);
        record(asReceived);
        StsBehaviour behaviour = Optional.ofNullable(nextBehaviours.poll()).orElse(defaultBehaviour);
        if (behaviour == NORMAL && !callsTheTokenIssuer(asReceived)) {
            answer(request, asReceived, behaviour, response, done);
            return;
        }
        behaviours.execute(() -> answer(request, asReceived, behaviour, response, done));
    }

    private void answer(Request request, ReceivedRequest asReceived, StsBehaviour behaviour, Response response,
            Callback done) {
        StsAnswer answer;
        StsCall call;
        try {
            call = judge(asReceived);
            answer = behaviour.answer(call).delayedBy(latency);
        } catch (RuntimeException | Error e) {
            // as the JDK's server did when a handler threw: the connection closes without an answer
            endPointOf(request).close(e);
            done.failed(e);
            return;
        }
        lastResponse.set(answer.response());
        if (answer.delayBeforeHeaders().isZero()) {
            deliver(request, response, done, answer, call.requestId());
        } else {
            scheduler.schedule(() -> deliver(request, response, done, answer, call.requestId()),
                    answer.delayBeforeHeaders().toNanos(), TimeUnit.NANOSECONDS);
        }
    }

    /** The issuer is test code too (it may sign slowly or block): not for the selector thread. */
    private boolean callsTheTokenIssuer(ReceivedRequest request) {
        return webIdentityTokenIssuer != null && request.bodyAsString().contains(GET_WEB_IDENTITY_TOKEN);
    }

    private static ReceivedRequest received(Request request, byte[] body) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (HttpField header : request.getHeaders()) {
            headers.computeIfAbsent(header.getName(), name -> new ArrayList<>()).add(header.getValue());
        }
        HttpURI uri = request.getHttpURI();
        return new ReceivedRequest(request.getMethod(), uri.getPath(), uri.getQuery(), headers, body);
    }

    private void record(ReceivedRequest request) {
        requestCount.incrementAndGet();
        lastRequest.set(request);
        synchronized (received) {
            if (received.size() >= MAX_KEPT_REQUESTS) {
                received.removeFirst();
            }
            received.add(request);
        }
    }

    /** Everything real STS would check, in the order described on the class. */
    private StsCall judge(ReceivedRequest request) {
        String requestId = UUID.randomUUID().toString();
        VerificationResult verification = verifier.verify(request, clock.instant());
        if (verification.isOk()) {
            verifiedCount.incrementAndGet();
        }
        Map<String, List<String>> parameters = formParameters(request);
        Optional<AwsError> error = checkRoute(request)
                .or(verification::error)
                .or(() -> checkHostAndRegion(request, verification.scope().orElseThrow()))
                .or(() -> checkContentType(request))
                .or(() -> checkAction(parameters));
        if (error.isPresent()) {
            return refused(request, verification, error.get(), requestId);
        }
        String region = verification.scope().orElseThrow().region();
        StsPrincipal principal = principals.get(verification.accessKeyId().orElseThrow());
        StsIdentity identity = principal.identityIn(region);
        if (parameters.get("Action").equals(List.of(GET_WEB_IDENTITY_TOKEN))) {
            return webIdentityToken(request, verification, principal, region, parameters, requestId);
        }
        return new StsCall(request, verification, Optional.of(identity),
                StsResponse.of(200, "text/xml", StsXml.identityResponse(identity, requestId)), requestId, baseUrl());
    }

    private StsCall refused(ReceivedRequest request, VerificationResult verification, AwsError error, String requestId) {
        return new StsCall(request, verification, Optional.empty(),
                StsResponse.of(error.httpStatus(), "text/xml", StsXml.errorResponse(error, requestId)),
                requestId, baseUrl());
    }

    /**
     * GetWebIdentityToken for a verified caller: its parameters as the STS API reference constrains
     * them, then a token from the account's issuer ({@link #issueWebIdentityTokensWith}), or, without
     * one, the error of an account that has not enabled outbound identity federation.
     */
    private StsCall webIdentityToken(ReceivedRequest request, VerificationResult verification, StsPrincipal principal,
            String region, Map<String, List<String>> parameters, String requestId) {
        Optional<AwsError> invalid = checkWebIdentityTokenParameters(parameters);
        if (invalid.isPresent()) {
            return refused(request, verification, invalid.get(), requestId);
        }
        WebIdentityTokenIssuer issuer = webIdentityTokenIssuer;
        if (issuer == null) {
            return refused(request, verification, new AwsError("OutboundWebIdentityFederationDisabledException", 403,
                    "Outbound web identity federation is not enabled for this account."), requestId);
        }
        List<String> audiences = new ArrayList<>();
        for (int n = 1; parameters.containsKey("Audience.member." + n); n++) {
            audiences.add(parameters.get("Audience.member." + n).get(0));
        }
        Duration lifetime = Duration.ofSeconds(Integer.parseInt(
                parameters.getOrDefault("DurationSeconds", List.of(String.valueOf(DEFAULT_TOKEN_SECONDS))).get(0)));
        Instant issuedAt = clock.instant();
        String token = issuer.issue(principal.principalArnIn(region), principal.account(), List.copyOf(audiences),
                parameters.get("SigningAlgorithm").get(0), issuedAt, lifetime);
        return new StsCall(request, verification, Optional.of(principal.identityIn(region)),
                StsResponse.of(200, "text/xml", StsXml.webIdentityTokenResponse(token, issuedAt.plus(lifetime), requestId)),
                requestId, baseUrl());
    }

    /** Stricter than STS, which also takes GET with a query: Keycloak must POST to the root. */
    private static Optional<AwsError> checkRoute(ReceivedRequest request) {
        if (!request.rawPath().equals("/") || !request.rawQuery().isEmpty()) {
            return Optional.of(new AwsError("NotFound", 404, "Only POST / is served here, not "
                    + request.rawPath() + (request.rawQuery().isEmpty() ? "" : "?" + request.rawQuery())));
        }
        if (!request.method().equals("POST")) {
            return Optional.of(new AwsError("MethodNotAllowed", 405, "Only POST is served here, not " + request.method()));
        }
        if (request.body().length > MAX_REQUEST_BODY) {
            return Optional.of(AwsError.badRequest("RequestEntityTooLarge", "Request body too large"));
        }
        return Optional.empty();
    }

    private Optional<AwsError> checkHostAndRegion(ReceivedRequest request, CredentialScope scope) {
        if (!REGION.matcher(scope.region()).matches()) {
            return Optional.of(AwsError.signatureDoesNotMatch("Credential should be scoped to a valid region."));
        }
        String wanted = expectedHost != null ? expectedHost : StsIdentity.stsHostOf(scope.region());
        List<String> hosts = request.values("Host");
        if (hosts.size() != 1 || !hosts.get(0).equalsIgnoreCase(wanted)) {
            return Optional.of(AwsError.signatureDoesNotMatch("Host " + hosts + " is not the STS endpoint for the"
                    + " credential scope's region, " + wanted + "."));
        }
        return Optional.empty();
    }

    private static Optional<AwsError> checkContentType(ReceivedRequest request) {
        List<String> types = request.values("Content-Type");
        String type = types.size() == 1 ? types.get(0).strip().toLowerCase(Locale.ROOT).replace(" ", "") : "";
        if (type.equals("application/x-www-form-urlencoded")
                || type.equals("application/x-www-form-urlencoded;charset=utf-8")) {
            return Optional.empty();
        }
        return Optional.of(AwsError.badRequest("InvalidParameterValue",
                "Content-Type must be application/x-www-form-urlencoded, not " + types));
    }

    private static Map<String, List<String>> formParameters(ReceivedRequest request) {
        Map<String, List<String>> parameters = new LinkedHashMap<>();
        for (String pair : request.bodyAsString().split("&", -1)) {
            int equals = pair.indexOf('=');
            String name = URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), StandardCharsets.UTF_8);
            String value = equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
            parameters.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
        }
        return parameters;
    }

    /**
     * One known Action and Version 2011-06-15, once each; GetCallerIdentity with no other
     * parameter, GetWebIdentityToken with only its own (checked after the signature).
     */
    private static Optional<AwsError> checkAction(Map<String, List<String>> parameters) {
        List<String> action = parameters.getOrDefault("Action", List.of());
        if (action.isEmpty()) {
            return Optional.of(AwsError.badRequest("MissingAction", "Missing Action"));
        }
        if (!action.equals(List.of("GetCallerIdentity")) && !action.equals(List.of(GET_WEB_IDENTITY_TOKEN))) {
            return Optional.of(AwsError.badRequest("InvalidAction",
                    "Could not find operation " + String.join(",", action) + " for version 2011-06-15"));
        }
        if (!parameters.getOrDefault("Version", List.of()).equals(List.of("2011-06-15"))) {
            return Optional.of(AwsError.badRequest("InvalidParameterValue", "Version must be 2011-06-15, once"));
        }
        if (action.get(0).equals("GetCallerIdentity") && parameters.size() != 2) {
            return Optional.of(AwsError.badRequest("InvalidParameterValue",
                    "GetCallerIdentity takes no parameters besides Action and Version: " + parameters.keySet()));
        }
        return Optional.empty();
    }

    /**
     * GetWebIdentityToken's request parameters as the STS API reference constrains them:
     * {@code Audience.member.N} 1 to 10 values of 1 to 1000 characters, numbered from 1;
     * {@code SigningAlgorithm} RS256 or ES384, required; {@code DurationSeconds} 60 to 3600,
     * optional; {@code Tags.member.N.Key/Value} optional. Anything else, or a parameter twice, is
     * refused (stricter than AWS, which ignores unknown parameters).
     */
    private static Optional<AwsError> checkWebIdentityTokenParameters(Map<String, List<String>> parameters) {
        int audiences = 0;
        for (Map.Entry<String, List<String>> parameter : parameters.entrySet()) {
            String name = parameter.getKey();
            if (parameter.getValue().size() != 1) {
                return Optional.of(validationError("parameter " + name + " given " + parameter.getValue().size() + " times"));
            }
            String value = parameter.getValue().get(0);
            if (AUDIENCE_MEMBER.matcher(name).matches()) {
                audiences++;
                if (value.isEmpty() || value.length() > 1000) {
                    return Optional.of(validationError("Value at 'audience' failed to satisfy constraint: Member must"
                            + " have length less than or equal to 1000 and greater than or equal to 1"));
                }
            } else if (!name.equals("Action") && !name.equals("Version") && !name.equals("SigningAlgorithm")
                    && !name.equals("DurationSeconds") && !TAG_MEMBER.matcher(name).matches()) {
                return Optional.of(AwsError.badRequest("InvalidParameterValue",
                        "GetWebIdentityToken takes no parameter " + name));
            }
        }
        for (int n = 1; n <= audiences; n++) {
            if (!parameters.containsKey("Audience.member." + n)) {
                return Optional.of(validationError("Audience members must be numbered from 1 without gaps"));
            }
        }
        if (audiences < 1 || audiences > 10) {
            return Optional.of(validationError("Value at 'audience' failed to satisfy constraint: Member must have"
                    + " length less than or equal to 10 and greater than or equal to 1"));
        }
        List<String> algorithm = parameters.get("SigningAlgorithm");
        if (algorithm == null) {
            return Optional.of(validationError("Value null at 'signingAlgorithm' failed to satisfy constraint:"
                    + " Member must not be null"));
        }
        if (!algorithm.equals(List.of("RS256")) && !algorithm.equals(List.of("ES384"))) {
            return Optional.of(validationError("Value at 'signingAlgorithm' failed to satisfy constraint: Member must"
                    + " satisfy enum value set: [RS256, ES384]"));
        }
        List<String> duration = parameters.get("DurationSeconds");
        if (duration != null) {
            int seconds;
            try {
                seconds = Integer.parseInt(duration.get(0));
            } catch (NumberFormatException e) {
                return Optional.of(AwsError.badRequest("MalformedInput", "DurationSeconds is not an integer"));
            }
            if (seconds < 60 || seconds > 3600) {
                return Optional.of(validationError("Value '" + seconds + "' at 'durationSeconds' failed to satisfy"
                        + " constraint: Member must have value less than or equal to 3600 and greater than or equal to 60"));
            }
        }
        return Optional.empty();
    }

    private static AwsError validationError(String message) {
        return AwsError.badRequest("ValidationError", "1 validation error detected: " + message);
    }

    private void deliver(Request request, Response response, Callback done, StsAnswer answer, String requestId) {
        EndPoint endPoint = endPointOf(request);
        if (answer.resetsConnection()) {
            // A zero linger time makes the close an RST instead of a FIN.
            try {
                ((SocketChannel) endPoint.getTransport()).setOption(StandardSocketOptions.SO_LINGER, 0);
            } catch (IOException e) {
                // already closed: nothing left to reset
            }
            endPoint.close();
            done.failed(new EofException("connection reset by the fake STS"));
            return;
        }
        if (answer.closesConnection()) {
            endPoint.close();
            done.failed(new EofException("connection closed by the fake STS"));
            return;
        }
        StsResponse answered = answer.response();
        byte[] body = answered.bodyUnsafe();
        response.setStatus(answered.status());
        HttpFields.Mutable headers = response.getHeaders();
        if (answered.contentType() != null) {
            headers.put(HttpHeader.CONTENT_TYPE, answered.contentType());
        }
        headers.put("x-amzn-RequestId", requestId);
        answered.headers().forEach(headers::put);
        headers.put(HttpHeader.CONTENT_LENGTH, body.length);
        if (!answer.drips() || body.length == 0) {
            response.write(true, ByteBuffer.wrap(body), done);
            return;
        }
        drip(response, body, 0, answer, done);
    }

    /** One piece of the body now, the next after the drip interval (a timer, not a sleeping thread). */
    private void drip(Response response, byte[] body, int offset, StsAnswer answer, Callback done) {
        int end = Math.min(offset + answer.dripChunkBytes(), body.length);
        if (end == body.length) {
            response.write(true, ByteBuffer.wrap(body, offset, end - offset), done);
            return;
        }
        response.write(false, ByteBuffer.wrap(body, offset, end - offset), Callback.from(InvocationType.NON_BLOCKING,
                () -> scheduler.schedule(() -> drip(response, body, end, answer, done),
                        answer.dripInterval().toNanos(), TimeUnit.NANOSECONDS),
                done::failed));
    }

    private static EndPoint endPointOf(Request request) {
        return request.getConnectionMetaData().getConnection().getEndPoint();
    }
}
