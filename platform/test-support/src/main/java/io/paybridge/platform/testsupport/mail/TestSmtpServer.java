package io.paybridge.platform.testsupport.mail;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import org.awaitility.Awaitility;

/**
 * A real SMTP server (GreenMail) for tests, started once per test JVM on a free port of 127.0.0.1
 * and shared by every test class and service in it; it accepts any sender and recipient and keeps
 * every message received.
 */
public final class TestSmtpServer {

  private static TestSmtpServer instance;

  private final GreenMail server;

  private TestSmtpServer() {
    server =
        new GreenMail(new ServerSetup(3025, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort());
    server.start();
  }

  /** The server of this test JVM, started on first use. */
  public static synchronized TestSmtpServer get() {
    if (instance == null) {
      instance = new TestSmtpServer();
    }
    return instance;
  }

  /**
   * Stops the server if one runs (its thread would keep a JVM alive that should end: the local
   * stack's); the next {@link #get()} starts a new one.
   */
  public static synchronized void stopIfStarted() {
    if (instance != null) {
      instance.server.stop();
      instance = null;
    }
  }

  public String host() {
    return "127.0.0.1";
  }

  public int port() {
    return server.getSmtp().getPort();
  }

  /** Every message received so far, in arrival order. */
  public List<MimeMessage> received() {
    return List.of(server.getReceivedMessages());
  }

  /** Waits until a message matches, then returns every matching one. */
  public List<MimeMessage> await(Predicate<MimeMessage> match, Duration timeout) {
    Awaitility.await()
        .atMost(timeout)
        .pollInterval(Duration.ofMillis(50))
        .until(() -> received().stream().anyMatch(match));
    return received().stream().filter(match).toList();
  }
}
