package io.paybridge.platform.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
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
