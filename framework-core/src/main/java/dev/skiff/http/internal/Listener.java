package dev.skiff.http.internal;

import io.undertow.Undertow;
import io.undertow.server.HttpHandler;
import io.undertow.server.AbstractServerConnection;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.protocol.http.HttpOpenListener;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.xnio.ChannelListener;
import org.xnio.ChannelListeners;
import org.xnio.IoUtils;
import org.xnio.OptionMap;
import org.xnio.Options;
import org.xnio.StreamConnection;
import org.xnio.Xnio;
import org.xnio.XnioWorker;
import org.xnio.channels.AcceptingChannel;

/**
 * The sockets: XNIO's I/O threads, the accepting channels and every open connection. Built from
 * Undertow's parts rather than {@code Undertow.builder()}, to hold the accepting channels: closing
 * them refuses new connections at once while open ones finish ({@code suspend()} would close
 * those too).
 */
final class Listener {

    private final String host;
    private final OptionMap serverOptions;
    private final int writeTimeoutMillis;
    private final XnioWorker worker;
    /** 16 KiB less room for a TLS record's overhead; up to 512 free ones (8 MiB) kept for reuse. */
    private final BufferPool buffers = new BufferPool(16 * 1024 - 20, 512);
    private final List<AcceptingChannel<StreamConnection>> accepting = new ArrayList<>();
    /** Every open connection, with the framing check its bytes pass before Undertow's parser. */
    private final Map<StreamConnection, StrictFraming> connections = new ConcurrentHashMap<>();
    private final ExecutorService tasks =
            Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("skiff-http-task-", 0).factory());

    Listener(String host, OptionMap serverOptions, int writeTimeoutMillis) throws IOException {
        this.host = host;
        this.serverOptions = serverOptions;
        this.writeTimeoutMillis = writeTimeoutMillis;
        // One I/O thread per core: handlers run on virtual threads, so more would only add switching.
        int ioThreads = Math.max(1, Runtime.getRuntime().availableProcessors());
        Xnio xnio = Xnio.getInstance(Undertow.class.getClassLoader());
        worker = xnio.createWorkerBuilder()
                .populateFromOptions(OptionMap.builder()
                        .set(Options.WORKER_IO_THREADS, ioThreads)
                        .set(Options.TCP_NODELAY, true)
                        .set(Options.WORKER_NAME, "skiff-http")
                        .getMap())
                // Handlers run on Skiff's virtual threads; what XNIO runs as a task (housekeeping)
                // runs on virtual threads too, never on jboss-threads' pool, whose thread factory
                // uses sun.misc.Unsafe and makes JDK 24+ print warnings on stderr.
                .setExternalExecutorService(tasks)
                .build();
    }

    /** Listens on a port of the host; {@return the address bound} */
    InetSocketAddress listen(int port, HttpHandler handler) throws IOException {
        var open = new HttpOpenListener(buffers, serverOptions);
        open.setRootHandler(handler);
        // Every connection is known, so that idle keep-alive ones can be closed at the end of a drain.
        // Undertow sets the connection's one close listener while it opens it, so Skiff's is chained
        // in front of Undertow's afterwards; set before, it would be replaced and never run, and the
        // set would keep every connection ever accepted.
        ChannelListener<StreamConnection> tracking = connection -> {
            var framing = new StrictFraming(connection.getSourceChannel().getConduit());
            connection.getSourceChannel().setConduit(framing);
            connections.put(connection, framing);
            open.handleEvent(connection);
            ChannelListener<? super StreamConnection> undertows = connection.getCloseListener();
            connection.setCloseListener(closed -> {
                connections.remove(closed);
                if (undertows != null) {
                    undertows.handleEvent(closed);
                }
            });
            if (!connection.isOpen()) {
                connections.remove(connection);
            }
        };
        OptionMap socketOptions = OptionMap.builder()
                .set(Options.REUSE_ADDRESSES, true)
                .set(Options.TCP_NODELAY, true)
                .set(Options.BACKLOG, 1000)
                // Undertow closes a connection whose writes make no progress this long: a client
                // that stops reading cannot hold a connection, a buffer and a handler for ever.
                .set(Options.WRITE_TIMEOUT, writeTimeoutMillis)
                .getMap();
        AcceptingChannel<StreamConnection> channel = worker.createStreamConnectionServer(
                new InetSocketAddress(InetAddress.getByName(host), port),
                ChannelListeners.openListenerAdapter(tracking), socketOptions);
        accepting.add(channel);
        channel.resumeAccepts();
        return (InetSocketAddress) channel.getLocalAddress();
    }

    /** {@return what was wrong with the framing of the body being read on an exchange's connection, or null} */
    String framingFault(HttpServerExchange exchange) {
        if (exchange.getConnection() instanceof AbstractServerConnection connection) {
            StrictFraming framing = connections.get(connection.getChannel());
            return framing == null ? null : framing.fault();
        }
        return null;
    }

    /** {@return the connections open now} */
    int openConnections() {
        return connections.size();
    }

    /** Refuses new connections from now on; open ones go on. */
    void stopAccepting() {
        accepting.forEach(IoUtils::safeClose);
    }

    /** Closes every open connection: idle keep-alive ones, and those of abandoned requests. */
    void closeConnections() {
        connections.keySet().forEach(IoUtils::safeClose);
    }

    /** Stops the I/O threads, waiting up to a second for them. */
    void shutdown() throws InterruptedException {
        stopAccepting();
        worker.shutdown();
        if (!worker.awaitTermination(1, TimeUnit.SECONDS)) {
            worker.shutdownNow();
        }
        tasks.shutdownNow();
        buffers.close();
    }

    /** Stops everything at once, after a failed start. */
    void shutdownNow() {
        stopAccepting();
        worker.shutdownNow();
        tasks.shutdownNow();
    }
}
