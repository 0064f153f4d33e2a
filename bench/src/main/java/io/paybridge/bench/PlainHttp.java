package io.paybridge.bench;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * A minimal HTTP/1.1 client for the load generator: blocking sockets kept alive in a pool, one
 * request at a time per connection, on the caller's (virtual) thread. The JDK's HttpClient funnels
 * every connection through one selector thread and costs several times the CPU per request; on two
 * cores shared with the service, that CPU is taken from the service under test, and its queue is
 * counted in the latencies measured. This client does no more than a webhook sender needs: it
 * writes the request, reads the status, the headers and the body ({@code Content-Length} or
 * chunked), and keeps the connection unless the server closes it.
 */
final class PlainHttp implements AutoCloseable {

  /** A response: its status and body (UTF-8). */
  record Response(int status, String body) {}

  /** No answer within the request timeout. */
  static final class TimeoutException extends IOException {
    TimeoutException(String message) {
      super(message);
    }
  }

  private final InetSocketAddress address;
  private final byte[] requestLine;
  private final int timeoutMillis;
  private final ConcurrentLinkedQueue<Connection> idle = new ConcurrentLinkedQueue<>();

  PlainHttp(URI endpoint, Duration timeout) {
    this.address = new InetSocketAddress(endpoint.getHost(), endpoint.getPort());
    this.requestLine =
        ("POST "
                + endpoint.getRawPath()
                + " HTTP/1.1\r\nHost: "
                + endpoint.getHost()
                + ":"
                + endpoint.getPort()
                + "\r\n")
            .getBytes(StandardCharsets.US_ASCII);
    this.timeoutMillis = (int) timeout.toMillis();
  }

  /** POSTs {@code body} with {@code headers} (name, value, name, value, …). */
  Response post(byte[] body, String... headers) throws IOException {
    var head = new StringBuilder(256);
    for (int i = 0; i + 1 < headers.length; i += 2) {
      head.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
    }
    head.append("Content-Length: ").append(body.length).append("\r\n\r\n");
    byte[] headBytes = head.toString().getBytes(StandardCharsets.US_ASCII);

    Connection connection = idle.poll();
    boolean reused = connection != null;
    if (connection == null) {
      connection = new Connection();
    }
    try {
      var response = connection.exchange(headBytes, body);
      if (connection.open) {
        idle.add(connection);
      } else {
        connection.close();
      }
      return response;
    } catch (SocketTimeoutException e) {
      connection.close();
      throw new TimeoutException("No answer within " + timeoutMillis + " ms");
    } catch (IOException e) {
      connection.close();
      if (reused && e instanceof EOFException) {
        // The server closed a kept connection while it was idle: once more on a new one, as any
        // HTTP client does (nothing of this request was read by the server).
        return post(body, headers);
      }
      throw e;
    }
  }

  @Override
  public void close() {
    Connection connection;
    while ((connection = idle.poll()) != null) {
      connection.close();
    }
  }

  private final class Connection {

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    // The connection's own read buffer: the status line and headers are scanned in it rather than
    // read a byte at a time through a BufferedInputStream, whose every read() takes a lock (reading
    // the answers' heads, socket reads included, was 10.6 % of the generator's samples at twice the
    // saturation rate, 8.3 % after: docs/benchmarks.md, 2026-12-01).
    private final byte[] buffer = new byte[8192];
    private int position;
    private int limit;
    private boolean open = true;

    Connection() throws IOException {
      socket = new Socket();
      socket.setTcpNoDelay(true);
      socket.connect(address, 5_000);
      socket.setSoTimeout(timeoutMillis);
      in = socket.getInputStream();
      out = new BufferedOutputStream(socket.getOutputStream(), 16384);
    }

    Response exchange(byte[] head, byte[] body) throws IOException {
      out.write(requestLine);
      out.write(head);
      out.write(body);
      out.flush();

      String statusLine = line();
      if (statusLine == null) {
        throw new EOFException("Connection closed before the response");
      }
      int status = Integer.parseInt(statusLine.substring(9, 12));
      long length = -1;
      boolean chunked = false;
      String header;
      while ((header = line()) != null && !header.isEmpty()) {
        int colon = header.indexOf(':');
        if (colon <= 0) {
          continue;
        }
        String name = header.substring(0, colon).trim().toLowerCase(Locale.ROOT);
        String value = header.substring(colon + 1).trim();
        switch (name) {
          case "content-length" -> length = Long.parseLong(value);
          case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
          case "connection" -> open &= !value.equalsIgnoreCase("close");
          default -> {}
        }
      }
      byte[] content;
      if (chunked) {
        content = chunks();
      } else if (length >= 0) {
        content = bytes((int) length);
      } else if (status == 204 || status == 304) {
        content = new byte[0];
      } else {
        // No length: the body ends with the connection.
        var rest = new ByteArrayOutputStream();
        rest.write(buffer, position, limit - position);
        position = limit;
        in.transferTo(rest);
        content = rest.toByteArray();
        open = false;
      }
      return new Response(status, new String(content, StandardCharsets.UTF_8));
    }

    private byte[] chunks() throws IOException {
      var content = new ByteArrayOutputStream();
      while (true) {
        String size = line();
        if (size == null) {
          throw new EOFException("Connection closed in a chunk");
        }
        int semicolon = size.indexOf(';');
        int length =
            Integer.parseInt((semicolon >= 0 ? size.substring(0, semicolon) : size).trim(), 16);
        if (length == 0) {
          String trailer;
          while ((trailer = line()) != null && !trailer.isEmpty()) {
            // trailers: none expected
          }
          return content.toByteArray();
        }
        content.write(bytes(length));
        line(); // the CRLF after the chunk
      }
    }

    /** Reads more into the buffer; false at the end of the stream. */
    private boolean fill() throws IOException {
      if (position == limit) {
        position = 0;
        limit = 0;
      } else if (limit == buffer.length) {
        System.arraycopy(buffer, position, buffer, 0, limit - position);
        limit -= position;
        position = 0;
      }
      int n = in.read(buffer, limit, buffer.length - limit);
      if (n < 0) {
        return false;
      }
      limit += n;
      return true;
    }

    /** Exactly {@code length} bytes. */
    private byte[] bytes(int length) throws IOException {
      byte[] content = new byte[length];
      int copied = Math.min(length, limit - position);
      System.arraycopy(buffer, position, content, 0, copied);
      position += copied;
      while (copied < length) {
        int n = in.read(content, copied, length - copied);
        if (n < 0) {
          throw new EOFException("Connection closed in the body");
        }
        copied += n;
      }
      return content;
    }

    /** One line (ASCII) without its CRLF; null at the end of the stream. */
    private String line() throws IOException {
      int scanned = position;
      while (true) {
        for (; scanned < limit; scanned++) {
          if (buffer[scanned] == '\n') {
            int end = scanned > position && buffer[scanned - 1] == '\r' ? scanned - 1 : scanned;
            String line = new String(buffer, position, end - position, StandardCharsets.US_ASCII);
            position = scanned + 1;
            return line;
          }
        }
        if (position == 0 && limit == buffer.length) {
          throw new IOException("A response line longer than " + buffer.length + " bytes");
        }
        int offset = scanned - position;
        if (!fill()) {
          if (limit == position) {
            return null;
          }
          String line = new String(buffer, position, limit - position, StandardCharsets.US_ASCII);
          position = limit;
          return line;
        }
        scanned = position + offset;
      }
    }

    void close() {
      open = false;
      try {
        socket.close();
      } catch (IOException ignored) {
        // closing
      }
    }
  }
}
