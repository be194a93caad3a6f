package io.github.kcawspack.awsidentity.verify;

import io.github.kcawspack.awsidentity.AwsIdentityRejection;
import io.github.kcawspack.awsidentity.verify.RequestPreflight.Preflighted;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.apache.http.Header;
import org.apache.http.HttpEntity;
import org.apache.http.NoHttpResponseException;
import org.apache.http.client.config.RequestConfig;
import org.apache.http.client.methods.CloseableHttpResponse;
import org.apache.http.client.methods.HttpPost;
import org.apache.http.entity.ByteArrayEntity;
import org.apache.http.impl.client.CloseableHttpClient;

/**
 * Step "forward to STS": sends exactly the validated body and headers to the computed endpoint
 * and reads at most the capped number of bytes back, within one overall deadline.
 *
 * <p>A connection that fails before any byte of the answer arrived (a pooled connection STS
 * closed when it restarted) is retried once on a fresh connection, within the same deadline.
 *
 * <p>The HTTP client is Keycloak's own (connection pool, proxy and truststore settings apply);
 * this class only sets what must hold for this call: no redirects, its timeouts, and an abort
 * when the deadline passes, so a slow or dripping STS cannot hold a worker thread longer.
 */
public final class StsForwarder implements StsExchange {

    private final CloseableHttpClient http;
    private final ScheduledExecutorService deadlines;
    private final ForwardingSettings settings;

    public StsForwarder(CloseableHttpClient http, ScheduledExecutorService deadlines, ForwardingSettings settings) {
        this.http = http;
        this.deadlines = deadlines;
        this.settings = settings;
    }

    @Override
    public StsReply forward(Preflighted request) {
        long deadlineAt = System.nanoTime() + settings.deadline().toNanos();
        try {
            return exchange(request, deadlineAt, false);
        } catch (NoAnswerYet first) {
            // Step "retry once": the connection failed before STS sent a byte of its answer,
            // typically a pooled keep-alive connection STS closed when it restarted. GetCallerIdentity
            // changes nothing at AWS and a request is recorded as used only after STS confirmed it,
            // so sending it again on a fresh connection, once, within the same deadline, is safe.
            try {
                return exchange(request, deadlineAt, true);
            } catch (NoAnswerYet second) {
                throw unreachable();
            }
        }
    }

    /*
     * The three ways STS can fail to answer get three descriptions: an operator reading a client's
     * error must tell a network or endpoint problem ("could not be reached") from a slow STS ("did
     * not answer in time") without the server log. None of them carries anything STS sent.
     */
    private static AwsIdentityRejection unreachable() {
        return AwsIdentityRejection.unavailable("sts_unreachable", "AWS STS could not be reached; try again later");
    }

    private static AwsIdentityRejection timedOut() {
        return AwsIdentityRejection.unavailable("sts_timeout", "AWS STS did not answer in time; try again later");
    }

    /**
     * One HTTP exchange with STS, aborted at {@code deadlineAt}.
     *
     * @param freshConnection check a pooled connection before use and open a new one if the peer
     *                        closed it (the retry must not take another stale connection)
     * @throws NoAnswerYet when the connection failed before any byte of an answer arrived
     */
    private StsReply exchange(Preflighted request, long deadlineAt, boolean freshConnection) throws NoAnswerYet {
        long remainingMillis = TimeUnit.NANOSECONDS.toMillis(deadlineAt - System.nanoTime());
        if (remainingMillis <= 0) {
            throw timedOut();
        }
        HttpPost post = new HttpPost(request.endpoint().uri(settings.endpointOverride()));
        int connectMillis = (int) Math.min(settings.connectTimeout().toMillis(), remainingMillis);
        @SuppressWarnings("deprecation") // still honoured by HttpClient 4.5's MainClientExec on lease
        RequestConfig config = RequestConfig.custom()
                .setRedirectsEnabled(false)
                .setConnectTimeout(connectMillis)
                .setConnectionRequestTimeout(connectMillis)
                .setSocketTimeout((int) remainingMillis)
                .setStaleConnectionCheckEnabled(freshConnection)
                .build();
        post.setConfig(config);
        for (SignedHeaders.Header header : request.forwardedHeaders()) {
            if (header.name().equalsIgnoreCase(ContentLengthCheck.CONTENT_LENGTH)) {
                // The HTTP client frames the request from the entity below and writes its length
                // itself; ContentLengthCheck let a signed Content-Length through only when it equals
                // that length, so STS receives exactly the value that was signed.
                continue;
            }
            // Host is part of the signature: it must reach STS as signed, even through an override.
            post.setHeader(header.name(), header.value());
        }
        post.setEntity(new ByteArrayEntity(request.postBody().getBytes(StandardCharsets.UTF_8)));

        ScheduledFuture<?> abort = deadlines.schedule(post::abort, remainingMillis, TimeUnit.MILLISECONDS);
        CloseableHttpResponse response;
        try {
            response = http.execute(post);
        } catch (IOException e) {
            if (!post.isAborted() && beforeAnyAnswer(e)) {
                abort.cancel(false);
                throw new NoAnswerYet();
            }
            abort.cancel(false);
            // The socket's read timeout is the same deadline as the abort, and either may fire first:
            // a read that timed out means STS was reached and was slow. A connect timeout arrives as
            // HttpClient's ConnectTimeoutException instead and stays "could not be reached".
            throw post.isAborted() || e instanceof SocketTimeoutException ? timedOut() : unreachable();
        }
        try (response) {
            HttpEntity entity = response.getEntity();
            Header contentType = entity == null ? null : entity.getContentType();
            byte[] body = entity == null ? new byte[0] : readCapped(entity, post);
            return new StsReply(response.getStatusLine().getStatusCode(),
                    contentType == null ? null : contentType.getValue(), body);
        } catch (ResponseTooLarge e) {
            throw AwsIdentityRejection.invalidGrant("sts_response_too_large", "AWS STS gave an answer that could not be used");
        } catch (IOException e) {
            // Part of an answer arrived: not retried, whatever broke.
            throw post.isAborted() ? timedOut() : AwsIdentityRejection.unavailable("sts_answer_interrupted",
                    "the connection to AWS STS broke during its answer; try again later");
        } finally {
            abort.cancel(false);
        }
    }

    /**
     * Whether the failure happened before STS sent anything: the peer closed the connection
     * before a status line ({@link NoHttpResponseException}), or the connection was refused, reset
     * or broken while the request was sent or the answer awaited. {@code execute} returns as soon
     * as a status line and headers arrived, so any failure it throws came before an answer. Timeouts
     * are not among them: waiting again would only spend the deadline.
     */
    private static boolean beforeAnyAnswer(IOException e) {
        return e instanceof NoHttpResponseException || e instanceof SocketException;
    }

    private byte[] readCapped(HttpEntity entity, HttpPost post) throws IOException {
        long declared = entity.getContentLength();
        if (declared > settings.maxResponseBytes()) {
            post.abort();
            throw new ResponseTooLarge();
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try (InputStream in = entity.getContent()) {
            int read;
            while ((read = in.read(buffer)) != -1) {
                if (body.size() + read > settings.maxResponseBytes()) {
                    // Abort rather than drain: reading the rest is what the cap is there to avoid.
                    post.abort();
                    throw new ResponseTooLarge();
                }
                body.write(buffer, 0, read);
            }
        }
        return body.toByteArray();
    }

    /** The connection failed before any byte of STS's answer: the one case that is retried. */
    private static final class NoAnswerYet extends Exception {
        NoAnswerYet() {
            super(null, null, false, false);
        }
    }

    private static final class ResponseTooLarge extends IOException {
        ResponseTooLarge() {
            super(null, null);
        }
    }
}
