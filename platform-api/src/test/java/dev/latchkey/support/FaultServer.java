package dev.latchkey.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A provider that misbehaves at the TCP level, on a port of the test's own: it hangs after reading
 * the request, resets the connection, answers bytes that are not HTTP, trickles its answer slower
 * than any timeout, or answers like OpenAI's {@code client_secrets} when told to behave. What
 * {@link FakeUpstream} cannot do, since it always speaks HTTP. Loopback only; stops with {@link #close()}.
 */
public final class FaultServer implements AutoCloseable {

    public enum Mode { OK, HANG, RESET, GARBAGE, SLOW }

    private final ServerSocket server;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final AtomicInteger connections = new AtomicInteger();
    private final Random random = new Random(42);
    private volatile Mode mode = Mode.OK;

    private FaultServer() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "fault-server-" + server.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public static FaultServer start() {
        try {
            return new FaultServer();
        } catch (IOException e) {
            throw new IllegalStateException("Cannot open a port", e);
        }
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getLocalPort();
    }

    public void mode(Mode mode) {
        this.mode = mode;
    }

    /** Connections accepted so far: a caller whose circuit is open makes none. */
    public int connections() {
        return connections.get();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                connections.incrementAndGet();
                open.add(socket);
                Thread handler = new Thread(() -> handle(socket, mode), "fault-server-connection");
                handler.setDaemon(true);
                handler.start();
            } catch (IOException closed) {
                // the server socket closed
            }
        }
    }

    private void handle(Socket socket, Mode mode) {
        try (socket) {
            readRequestHead(socket.getInputStream());
            OutputStream out = socket.getOutputStream();
            switch (mode) {
                case HANG -> Thread.sleep(60_000);
                case RESET -> socket.setSoLinger(true, 0); // closing now sends a RST
                case GARBAGE -> {
                    byte[] garbage = new byte[512];
                    random.nextBytes(garbage);
                    out.write(garbage);
                }
                case SLOW -> {
                    for (byte b : ok()) {
                        out.write(b);
                        out.flush();
                        Thread.sleep(200);
                    }
                }
                case OK -> out.write(ok());
            }
            out.flush();
        } catch (IOException | InterruptedException gone) {
            // the client gave up or the server stopped
        } finally {
            open.remove(socket);
        }
    }

    private static byte[] ok() {
        String body = "{\"value\":\"ek_fault_server_" + System.nanoTime() + "\",\"expires_at\":"
                + (Instant.now().getEpochSecond() + 600) + ",\"session\":{\"type\":\"realtime\",\"object\":\"realtime.session\"}}";
        return ("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + body.length()
                + "\r\nConnection: close\r\n\r\n" + body).getBytes(StandardCharsets.US_ASCII);
    }

    /** Reads up to the end of the request's head and whatever body arrived with it. */
    private static void readRequestHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        int b;
        while ((b = in.read()) >= 0) {
            head.append((char) b);
            if (head.length() >= 4 && head.substring(head.length() - 4).equals("\r\n\r\n")) {
                break;
            }
        }
        String lower = head.toString().toLowerCase();
        int at = lower.indexOf("content-length:");
        if (at >= 0) {
            int length = Integer.parseInt(lower.substring(at + 15, lower.indexOf("\r\n", at)).trim());
            in.readNBytes(length);
        }
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        open.forEach(socket -> {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        });
    }
}
