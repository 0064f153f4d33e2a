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
    sendHeadAndFirstHalf(body, secret);
    if (pause.isPositive()) {
      try {
        Thread.sleep(pause);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("Interrupted", e);
      }
    }
    out.write(body, body.length / 2, body.length - body.length / 2);
    out.flush();
    return response();
  }

  /**
   * Sends the head and the first half of {@code body}, then ends its side of the connection: a
   * sender that goes away mid-body. Reads the answer, if any.
   *
   * @throws EOFException when the service closed the connection without answering
   */
  Response postSignedHalfAndStop(byte[] body, String secret) throws IOException {
    sendHeadAndFirstHalf(body, secret);
    socket.shutdownOutput();
    return response();
  }

  private void sendHeadAndFirstHalf(byte[] body, String secret) throws IOException {
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
    out.write(body, 0, body.length / 2);
    out.flush();
  }

  private Response response() throws IOException {
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
    byte[] content;
    if (status == 204 || status == 304) {
      content = new byte[0]; // no body, whatever the headers say
    } else if (headers.containsKey("content-length")) {
      content = in.readNBytes(Integer.parseInt(headers.get("content-length")));
    } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
      content = chunks();
    } else {
      content = in.readAllBytes(); // delimited by the connection's end
    }
    return new Response(status, headers, new String(content, StandardCharsets.UTF_8));
  }

  private byte[] chunks() throws IOException {
    var content = new ByteArrayOutputStream();
    for (int size = Integer.parseInt(line().split(";")[0].trim(), 16);
        size > 0;
        size = Integer.parseInt(line().split(";")[0].trim(), 16)) {
      content.write(in.readNBytes(size));
      line(); // the chunk's CRLF
    }
    for (String trailer = line(); trailer != null && !trailer.isEmpty(); trailer = line()) {
      // trailers: none expected, skipped
    }
    return content.toByteArray();
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
