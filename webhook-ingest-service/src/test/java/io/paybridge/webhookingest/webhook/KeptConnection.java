package io.paybridge.webhookingest.webhook;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One TCP connection to the service that deliveries are posted on one after another, as a sender
 * that keeps its connection does: whether the service kept it is what a test of it reads (the JDK's
 * HTTP client opens another connection without saying so).
 */
final class KeptConnection implements AutoCloseable {

  /** An answer: its status, headers (names in lower case) and body. */
  record Response(int status, Map<String, String> headers, String body) {
    Optional<String> header(String name) {
      return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
    }
  }

  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;
  private final int port;

  KeptConnection(int port) throws IOException {
    this.port = port;
    this.socket = new Socket("127.0.0.1", port);
    socket.setSoTimeout(30_000);
    this.in = new BufferedInputStream(socket.getInputStream());
    this.out = socket.getOutputStream();
  }

  /**
   * Posts {@code body} signed with {@code secret} on this connection.
   *
   * @throws EOFException when the service closed the connection before answering
   */
  Response postSigned(byte[] body, String secret) throws IOException {
    return postSigned(body, secret, Duration.ZERO);
  }

  /**
   * Posts {@code body} signed with {@code secret}, sending the head and the first half of the body,
   * then the rest after {@code pause}: a sender whose body is still arriving when the service
   * decides.
   *
   * @throws EOFException when the service closed the connection before answering
   */
  Response postSigned(byte[] body, String secret, Duration pause) throws IOException {
    String head =
        "POST "
            + GoCardlessWebhookController.PATH
            + " HTTP/1.1\r\nHost: 127.0.0.1:"
            + port
            + "\r\nContent-Type: application/json\r\n"
            + GoCardlessWebhookController.SIGNATURE_HEADER
            + ": "
            + WebhookSignature.sign(secret, body)
            + "\r\nContent-Length: "
            + body.length
            + "\r\n\r\n";
    out.write(head.getBytes(StandardCharsets.US_ASCII));
    int half = body.length / 2;
    out.write(body, 0, half);
    out.flush();
    if (pause.isPositive()) {
      try {
        Thread.sleep(pause);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("Interrupted", e);
      }
    }
    out.write(body, half, body.length - half);
    out.flush();
    String statusLine = line();
    if (statusLine == null) {
      throw new EOFException("The service closed the connection");
    }
    int status = Integer.parseInt(statusLine.substring(9, 12));
    var headers = new HashMap<String, String>();
    for (String header = line(); header != null && !header.isEmpty(); header = line()) {
      int colon = header.indexOf(':');
      headers.put(
          header.substring(0, colon).trim().toLowerCase(Locale.ROOT),
          header.substring(colon + 1).trim());
    }
    int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
    byte[] content = in.readNBytes(length);
    return new Response(status, headers, new String(content, StandardCharsets.UTF_8));
  }

  private String line() throws IOException {
    var line = new ByteArrayOutputStream();
    for (int c = in.read(); c != -1; c = in.read()) {
      if (c == '\n') {
        return line.toString(StandardCharsets.US_ASCII).stripTrailing();
      }
      line.write(c);
    }
    return line.size() == 0 ? null : line.toString(StandardCharsets.US_ASCII);
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
