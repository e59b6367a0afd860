package dev.latchkey.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsServer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The guarded client over real sockets: the name is looked up once, through the guard, and the
 * connection goes to what that lookup returned; TLS still checks the certificate against the
 * name and sends it as SNI.
 */
class GuardedHttpClientTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final List<String> received = new CopyOnWriteArrayList<>();
    private HttpServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    @Test
    void givenANameOnlyTheGuardsResolverKnows_whenCalled_thenTheConnectionGoesToTheAddressItCheckedOnce()
            throws Exception {
        int port = startHttp();
        AtomicInteger lookups = new AtomicInteger();
        OutboundGuard guard = new OutboundGuard(host -> {
            lookups.incrementAndGet();
            return new InetAddress[] {InetAddress.getByName("127.0.0.1")};
        });

        try (GuardedHttpClient client = guard.httpClient(OutboundGuard.Scope.PRIVATE_NETWORKS_ALLOWED, TIMEOUT)) {
            GuardedHttpClient.Exchange answer = client.send("POST", URI.create("http://hooks.pinning.test:" + port
                    + "/hook"), Map.of("Content-Type", List.of("application/json")), "{}".getBytes(), TIMEOUT, true);

            assertThat(answer.status()).isEqualTo(200);
        }
        assertThat(received).containsExactly("POST /hook Host=hooks.pinning.test:" + port);
        assertThat(lookups).hasValue(1);
    }

    @Test
    void givenAResolverThatRebindsAfterTheFirstAnswer_whenCalled_thenTheCheckedAnswerIsTheOneConnectedTo()
            throws Exception {
        int port = startHttp();
        AtomicInteger lookups = new AtomicInteger();
        // A rebinding attacker: public for the check, loopback for whoever asks again.
        OutboundGuard guard = new OutboundGuard(host -> new InetAddress[] {InetAddress.getByName(
                lookups.getAndIncrement() == 0 ? "93.184.215.14" : "127.0.0.1")});

        try (GuardedHttpClient client = guard.httpClient(OutboundGuard.Scope.PUBLIC_ONLY, Duration.ofMillis(500))) {
            assertThatThrownBy(() -> client.send("GET", URI.create("http://rebind.pinning.test:" + port + "/internal"),
                    Map.of(), null, Duration.ofMillis(500), true)).isInstanceOf(IOException.class);
        }
        assertThat(received).as("the loopback service behind the second answer").isEmpty();
        assertThat(lookups).hasValue(1);
    }

    @Test
    void givenNamesAndLiteralsOfInternalAddresses_whenCalledPublicOnly_thenRefusedBeforeAnySocketOpens()
            throws Exception {
        int port = startHttp();
        OutboundGuard guard = new OutboundGuard(host -> new InetAddress[] {
            AddressClassifierTest.v6OrV4(host.startsWith("mapped") ? "::ffff:127.0.0.1" : "127.0.0.1")});

        try (GuardedHttpClient client = guard.httpClient(OutboundGuard.Scope.PUBLIC_ONLY, TIMEOUT)) {
            for (String host : List.of("plain.pinning.test", "mapped.pinning.test", "127.0.0.1", "[::ffff:7f00:1]",
                    "[64:ff9b::7f00:1]", "[::7f00:1]")) {
                assertThatThrownBy(() -> client.send("GET", URI.create("http://" + host + ":" + port + "/"), Map.of(),
                        null, TIMEOUT, true)).as(host).isInstanceOf(RefusedAddressException.class);
            }
        }
        assertThat(received).isEmpty();
    }

    @Test
    void givenCallsThatEndInTime_whenTheyHaveReturned_thenNoneLeavesItsDeadlineBehind() throws Exception {
        int port = startHttp();
        OutboundGuard guard = new OutboundGuard(host -> new InetAddress[] {InetAddress.getByName("127.0.0.1")});

        try (GuardedHttpClient client = guard.httpClient(OutboundGuard.Scope.PRIVATE_NETWORKS_ALLOWED, TIMEOUT)) {
            for (int call = 0; call < 50; call++) {
                assertThat(client.send("POST", URI.create("http://upstream.test:" + port + "/call"), Map.of(),
                        "{}".getBytes(), TIMEOUT, true).status()).isEqualTo(200);
            }
        }
        // A deadline kept until it would fire holds its request (and everything it names) that long.
        assertThat(GuardedHttpClient.pendingDeadlines()).isZero();
    }

    @Test
    void givenARedirect_whenCalled_thenItIsReturnedNotFollowed() throws Exception {
        int port = startHttp();
        OutboundGuard guard = new OutboundGuard(host -> new InetAddress[] {InetAddress.getByName("127.0.0.1")});

        try (GuardedHttpClient client = guard.httpClient(OutboundGuard.Scope.PRIVATE_NETWORKS_ALLOWED, TIMEOUT)) {
            GuardedHttpClient.Exchange answer = client.send("GET", URI.create("http://hooks.pinning.test:" + port
                    + "/redirect"), Map.of(), null, TIMEOUT, true);

            assertThat(answer.status()).isEqualTo(302);
        }
        assertThat(received).containsExactly("GET /redirect Host=hooks.pinning.test:" + port);
    }

    @Test
    void givenHttpsToAPinnedAddress_whenCalled_thenSniAndTheCertificateCheckUseTheName(@TempDir Path dir)
            throws Exception {
        KeyStore keys = certificate(dir, "tenant.pinning.test");
        List<String> serverNames = new CopyOnWriteArrayList<>();
        HttpsServer https = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(keys, "changeit".toCharArray());
        SSLContext serverTls = SSLContext.getInstance("TLS");
        serverTls.init(keyManagers.getKeyManagers(), null, null);
        https.setHttpsConfigurator(new HttpsConfigurator(serverTls));
        https.createContext("/", exchange -> {
            ((ExtendedSSLSession) ((HttpsExchange) exchange).getSSLSession()).getRequestedServerNames()
                    .forEach(name -> serverNames.add(((SNIHostName) name).getAsciiName()));
            received.add(exchange.getRequestMethod() + " " + exchange.getRequestURI());
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        https.start();
        server = https;
        int port = https.getAddress().getPort();
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        Certificate certificate = keys.getCertificate("tenant");
        trusted.setCertificateEntry("tenant", certificate);
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        SSLContext clientTls = SSLContext.getInstance("TLS");
        clientTls.init(null, trust.getTrustManagers(), null);
        OutboundGuard guard = new OutboundGuard(host -> new InetAddress[] {InetAddress.getByName("127.0.0.1")});

        try (GuardedHttpClient client = guard.httpClient(OutboundGuard.Scope.PRIVATE_NETWORKS_ALLOWED, TIMEOUT,
                clientTls)) {
            GuardedHttpClient.Exchange answer = client.send("GET",
                    URI.create("https://tenant.pinning.test:" + port + "/models"), Map.of(), null, TIMEOUT, true);
            assertThat(answer.status()).isEqualTo(200);
            assertThat(serverNames).containsExactly("tenant.pinning.test");

            assertThatThrownBy(() -> client.send("GET", URI.create("https://other.pinning.test:" + port + "/models"),
                    Map.of(), null, TIMEOUT, true)).as("a certificate for another name").isInstanceOf(SSLException.class);
        }
        assertThat(received).containsExactly("GET /models");
    }

    private int startHttp() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            received.add(exchange.getRequestMethod() + " " + exchange.getRequestURI() + " Host="
                    + exchange.getRequestHeaders().getFirst("Host"));
            exchange.getRequestBody().readAllBytes();
            if (exchange.getRequestURI().getPath().equals("/redirect")) {
                exchange.getResponseHeaders().add("Location", "/secret");
                exchange.sendResponseHeaders(302, -1);
            } else {
                exchange.sendResponseHeaders(200, -1);
            }
            exchange.close();
        });
        server.start();
        return server.getAddress().getPort();
    }

    /** A self-signed certificate for {@code name}, made by the JDK's keytool. */
    private static KeyStore certificate(Path dir, String name) throws Exception {
        Path store = dir.resolve("tenant.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "tenant", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
                "-dname", "CN=" + name, "-ext", "SAN=dns:" + name, "-keystore", store.toString(),
                "-storetype", "PKCS12", "-storepass", "changeit", "-keypass", "changeit")
                .redirectErrorStream(true).start();
        String output = new String(keytool.getInputStream().readAllBytes());
        assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(keytool.exitValue()).as(output).isZero();
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            keys.load(in, "changeit".toCharArray());
        }
        return keys;
    }
}
