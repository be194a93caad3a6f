package io.github.kcawspack.it.fakests;

import java.time.Duration;

/**
 * How the fake answers one request: a response (or none: the connection is closed, or reset), how
 * long to wait before the status line, and optionally a body written in small pieces with pauses.
 */
public record StsAnswer(StsResponse response, Duration delayBeforeHeaders, int dripChunkBytes,
        Duration dripInterval, boolean resetsConnection) {

    public static StsAnswer respond(StsResponse response) {
        return new StsAnswer(response, Duration.ZERO, 0, Duration.ZERO, false);
    }

    public static StsAnswer closeConnection() {
        return new StsAnswer(null, Duration.ZERO, 0, Duration.ZERO, false);
    }

    /** No response: the TCP connection is reset (RST), which a client reads as "connection reset". */
    public static StsAnswer resetConnection() {
        return new StsAnswer(null, Duration.ZERO, 0, Duration.ZERO, true);
    }

    public boolean closesConnection() {
        return response == null;
    }

    public boolean drips() {
        return dripChunkBytes > 0;
    }

    public StsAnswer delayedBy(Duration delay) {
        return new StsAnswer(response, delayBeforeHeaders.plus(delay), dripChunkBytes, dripInterval, resetsConnection);
    }

    public StsAnswer dripped(int chunkBytes, Duration interval) {
        return new StsAnswer(response, delayBeforeHeaders, chunkBytes, interval, resetsConnection);
    }
}
