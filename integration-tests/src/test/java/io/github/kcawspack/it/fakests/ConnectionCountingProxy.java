package io.github.kcawspack.it.fakests;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketAddress;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP relay on 127.0.0.1 in front of the JDK HTTP server, one backend connection per client
 * connection. It exists only to count accepted TCP connections: {@code HttpServer} has no hook
 * for that, and counting distinct remote ports would miss connections that never send a request
 * and would confuse reused ports. Bytes pass through unchanged and unbuffered, so delays, slow
 * bodies and closed connections reach the client exactly as the server produced them.
 *
 * <p>It is also where a connection can be reset: {@code HttpServer} never hands out its sockets,
 * so only the relay's client-side socket can be closed with an RST ({@link #reset}).
 */
final class ConnectionCountingProxy implements AutoCloseable {

    private final ServerSocket listener;
    private final InetSocketAddress backend;
    private final ExecutorService threads;
    private final AtomicLong accepted = new AtomicLong();
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    /** The backend connection's local address (what the server sees as its peer) → the client's socket. */
    private final Map<SocketAddress, Socket> clientsByBackendAddress = new ConcurrentHashMap<>();

    ConnectionCountingProxy(InetSocketAddress backend) throws IOException {
        this.backend = backend;
        this.listener = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
        AtomicInteger threadNumber = new AtomicInteger();
        this.threads = Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, "fake-sts-relay-" + threadNumber.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        threads.execute(this::acceptLoop);
    }

    int port() {
        return listener.getLocalPort();
    }

    long connectionsAccepted() {
        return accepted.get();
    }

    void resetCount() {
        accepted.set(0);
    }

    /**
     * Resets the client connection relayed from {@code serverPeer} (the remote address the server
     * saw): closing with a zero linger time sends an RST instead of a FIN.
     */
    void reset(SocketAddress serverPeer) {
        Socket client = clientsByBackendAddress.get(serverPeer);
        if (client == null) {
            throw new IllegalStateException("no relayed connection comes from " + serverPeer);
        }
        try {
            client.setSoLinger(true, 0);
        } catch (IOException e) {
            // already closed: nothing left to reset
        }
        closeQuietly(client);
    }

    /**
     * Closes every relayed connection, client and server side, as the STS process going away
     * does (its kernel sends a FIN on each): what a restart of STS looks like to a client that
     * keeps connections open. New connections are relayed as before.
     */
    void closeAllConnections() {
        open.forEach(ConnectionCountingProxy::closeQuietly);
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                accepted.incrementAndGet();
                threads.execute(() -> relay(client));
            } catch (IOException e) {
                // closed by close(), or a client that vanished during accept: either way, go on or stop
            }
        }
    }

    private void relay(Socket client) {
        try (Socket server = new Socket()) {
            open.add(client);
            open.add(server);
            server.connect(backend, 5_000);
            // Registered before any byte is relayed, so the server cannot see a request from it first.
            clientsByBackendAddress.put(server.getLocalSocketAddress(), client);
            client.setTcpNoDelay(true);
            server.setTcpNoDelay(true);
            threads.execute(() -> {
                // The client finished sending: let the server see end of stream, keep its answer coming.
                copy(client, server);
                shutdownOutput(server);
            });
            // The server closed (or finished): nothing more can come for this client.
            copy(server, client);
        } catch (IOException e) {
            // backend gone: the client just sees its connection close
        } finally {
            closeQuietly(client);
            clientsByBackendAddress.values().remove(client);
            open.removeIf(Socket::isClosed);
        }
    }

    private static void copy(Socket from, Socket to) {
        byte[] buffer = new byte[8192];
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            for (int n; (n = in.read(buffer)) >= 0; ) {
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // one side closed or reset: the relay ends
        }
    }

    private static void shutdownOutput(Socket socket) {
        try {
            if (!socket.isClosed()) {
                socket.shutdownOutput();
            }
        } catch (IOException e) {
            // already closed
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // nothing to do
        }
    }

    @Override
    public void close() {
        try {
            listener.close();
        } catch (IOException e) {
            // nothing to do
        }
        open.forEach(ConnectionCountingProxy::closeQuietly);
        threads.shutdownNow();
    }
}
