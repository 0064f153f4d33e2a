package io.paybridge.platform.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import redis.embedded.RedisServer;

/**
 * A real Redis (the {@code redis-server} 6.2 binary that {@code
 * com.github.codemonstur:embedded-redis} ships in its jar, run as a child process) for tests and
 * the local stack: the store the gateway's rate limits share across replicas. Nothing to install;
 * listens on loopback only, keeps nothing on disk. One per JVM ({@link #shared()}), stopped when
 * the JVM ends.
 */
public final class EmbeddedRedisServer implements AutoCloseable {

  private static EmbeddedRedisServer shared;

  private final RedisServer server;
  private final int port;

  private EmbeddedRedisServer(int port) throws IOException {
    this.port = port;
    this.server =
        RedisServer.newRedisServer()
            .port(port)
            .bind("127.0.0.1")
            .setting("save \"\"")
            .setting("appendonly no")
            .setting("maxmemory 64mb")
            .setting("maxmemory-policy volatile-ttl")
            .onShutdownForceStop(true)
            .build();
    server.start();
  }

  /** The Redis of this JVM on a free port, started on first use. */
  public static synchronized EmbeddedRedisServer shared() {
    if (shared == null) {
      shared = start(freePort());
    }
    return shared;
  }

  /** A Redis of its own on {@code port} (the local stack's fixed port). */
  public static EmbeddedRedisServer start(int port) {
    try {
      return new EmbeddedRedisServer(port);
    } catch (IOException e) {
      throw new UncheckedIOException("redis-server could not start on port " + port, e);
    }
  }

  public String host() {
    return "127.0.0.1";
  }

  public int port() {
    return port;
  }

  /** Stops the server (a test taking the store away); {@link #restart()} brings it back. */
  public void stop() {
    try {
      server.stop();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Starts the server again on the same port, empty. */
  public void restart() {
    try {
      server.start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Makes the server stop answering for {@code duration} and returns once it has: it stays up and
   * keeps its connections, but reads and answers nothing meanwhile ({@code DEBUG SLEEP}, which
   * blocks Redis's single command thread), as a store that hangs rather than one that is gone.
   */
  public void hang(Duration duration) {
    String seconds = String.format(Locale.ROOT, "%.3f", duration.toMillis() / 1000.0);
    Thread.ofVirtual()
        .name("redis-debug-sleep")
        .start(
            () -> {
              try (var sleeper = new Socket(host(), port)) {
                sleeper.getOutputStream().write(command("DEBUG", "SLEEP", seconds));
                sleeper.getInputStream().read(); // its "+OK" once it wakes up
              } catch (IOException ignored) {
                // the server was stopped meanwhile
              }
            });
    // Asleep once a PING goes unanswered (a PING answered came before the sleep began).
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    try (var probe = new Socket(host(), port)) {
      probe.setSoTimeout(300);
      InputStream in = probe.getInputStream();
      while (System.nanoTime() < deadline) {
        probe.getOutputStream().write(command("PING"));
        try {
          readLine(in);
          Thread.sleep(20);
        } catch (SocketTimeoutException asleep) {
          return;
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    throw new IllegalStateException("redis-server kept answering PING after DEBUG SLEEP");
  }

  /** A command in Redis's protocol (RESP): an array of bulk strings. */
  private static byte[] command(String... words) {
    var out = new StringBuilder("*").append(words.length).append("\r\n");
    for (String word : words) {
      out.append('$').append(word.length()).append("\r\n").append(word).append("\r\n");
    }
    return out.toString().getBytes(StandardCharsets.US_ASCII);
  }

  private static void readLine(InputStream in) throws IOException {
    int b;
    while ((b = in.read()) != '\n') {
      if (b < 0) {
        throw new IOException("redis-server closed the connection");
      }
    }
  }

  @Override
  public void close() {
    stop();
  }

  private static int freePort() {
    try (var socket = new ServerSocket(0)) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
