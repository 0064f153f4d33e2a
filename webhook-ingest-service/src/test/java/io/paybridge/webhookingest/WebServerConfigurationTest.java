package io.paybridge.webhookingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.jetty.autoconfigure.JettyServerProperties;
import org.springframework.boot.jetty.servlet.JettyServletWebServerFactory;
import org.springframework.boot.web.server.WebServer;

/**
 * The webhook port's connection bound, on a real Jetty server built by Spring Boot's factory with
 * the service's customizer: while the bound is reached, idle connections close after {@code
 * paybridge.web-server.idle-timeout-at-max-connections} rather than Jetty's 30 s, so that senders
 * waiting to connect get in (docs/reliability.md, scenario 10: after restarts the port stayed full
 * of retries' idle keep-alive connections).
 */
class WebServerConfigurationTest {

  private static final int MAX_CONNECTIONS = 2;
  private static final Duration IDLE_AT_BOUND = Duration.ofMillis(500);

  private WebServer server;

  @BeforeEach
  void startServer() {
    var factory = new JettyServletWebServerFactory(0);
    // What server.jetty.max-connections sets (Spring Boot adds the limit before customizers run).
    factory.setMaxConnections(MAX_CONNECTIONS);
    new WebServerConfiguration()
        .webhookServer(new WebServerProperties(16, IDLE_AT_BOUND), new JettyServerProperties())
        .customize(factory);
    server = factory.getWebServer();
    server.start();
  }

  @AfterEach
  void stopServer() {
    server.stop();
  }

  @Test
  void belowTheBoundAnIdleConnectionStaysOpenPastTheShortTimeout() throws Exception {
    try (var socket = served()) {
      // Four times the timeout at the bound, far below Jetty's own 30 s: still open, nothing read.
      socket.setSoTimeout((int) IDLE_AT_BOUND.multipliedBy(4).toMillis());
      assertThatExceptionOfType(SocketTimeoutException.class)
          .isThrownBy(() -> socket.getInputStream().read());
    }
  }

  @Test
  void reachingTheBoundClosesTheIdleConnectionsAfterTheShortTimeout() throws Exception {
    try (var idle = served();
        var last = new Socket("localhost", server.getPort())) {
      // Accepting `last` reached the bound: the connections Jetty had open get the short timeout.
      long started = System.nanoTime();
      idle.setSoTimeout(10_000);
      assertThat(endOfStream(idle.getInputStream())).isTrue();
      Duration took = Duration.ofNanos(System.nanoTime() - started);
      // Closed by the short timeout: not before it, and long before Jetty's 30 s.
      assertThat(took).isBetween(IDLE_AT_BOUND.minusMillis(100), Duration.ofSeconds(10));
    }
  }

  /**
   * A connection on which one request was answered: Jetty has made it an endpoint of its own (a
   * connection only accepted may not be one yet), and it is idle now.
   */
  private Socket served() throws Exception {
    var socket = new Socket("localhost", server.getPort());
    socket.setSoTimeout(10_000);
    socket
        .getOutputStream()
        .write("HEAD / HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    // A HEAD's answer is its head only: read to the blank line that ends it.
    InputStream in = socket.getInputStream();
    int matched = 0;
    byte[] end = {'\r', '\n', '\r', '\n'};
    while (matched < end.length) {
      int b = in.read();
      assertThat(b).as("the answer to HEAD /").isNotNegative();
      matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    return socket;
  }

  /** Whether the server closed the connection: end of stream, or a reset. */
  private static boolean endOfStream(InputStream in) throws Exception {
    try {
      return in.read() == -1;
    } catch (java.net.SocketException reset) {
      return true;
    }
  }
}
