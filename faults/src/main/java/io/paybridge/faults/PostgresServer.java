package io.paybridge.faults;

import io.paybridge.platform.testsupport.EmbeddedPostgresServer;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * PostgreSQL 17 (zonky's binaries, a real {@code postgres} process tree) on a fixed port and data
 * directory, with the settings of {@link EmbeddedPostgresServer#builder()}, so that it can be
 * stopped and started again with its data, and paused.
 *
 * <p>Pausing sends SIGSTOP to the postmaster and every child (backends, walsenders, checkpointer):
 * connections stay open and nothing answers, as with a database host that hangs (a full disk, a
 * stalled storage volume, a VM paused); SIGCONT resumes them where they stood.
 */
final class PostgresServer implements AutoCloseable {

  private final int port;
  private final Path data;
  private EmbeddedPostgres postgres;
  private List<Long> paused = List.of();

  PostgresServer(int port, Path data) {
    this.port = port;
    this.data = data;
  }

  void start() throws IOException {
    Files.createDirectories(data.getParent());
    var builder =
        EmbeddedPostgresServer.builder()
            .setRegisterShutdownHook(true)
            .setPort(port)
            .setDataDirectory(data)
            .setCleanDataDirectory(false)
            // A 204 must mean the commit is durable: wait for the WAL write as production does.
            .setServerConfig("synchronous_commit", "on");
    // The server's own log beside the services' (logs/postgresql.log), across its restarts.
    postgres = EmbeddedPostgresServer.withServerLog(builder, data.resolveSibling("logs")).start();
  }

  /** pg_ctl stop -m fast: sessions end, a checkpoint, the processes exit; the data stays. */
  void stop() throws IOException {
    resume();
    if (postgres != null) {
      // zonky's pg_ctl gives up after 5 s, and a fast shutdown waits for the walsenders to send
      // what they have: it may still be going on. Starting again before it ended would fail.
      postgres.close();
      postgres = null;
      long deadline = System.nanoTime() + java.time.Duration.ofSeconds(60).toNanos();
      while (Files.exists(data.resolve("postmaster.pid")) && System.nanoTime() < deadline) {
        try {
          Thread.sleep(100);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
      if (Files.exists(data.resolve("postmaster.pid"))) {
        throw new IOException("PostgreSQL did not stop within 60 s");
      }
    }
  }

  /** SIGSTOP to the postmaster and all its descendants. */
  void pause() throws IOException, InterruptedException {
    long postmaster = postmasterPid();
    var pids = new ArrayList<Long>();
    pids.add(postmaster);
    ProcessHandle.of(postmaster)
        .ifPresent(p -> p.descendants().forEach(child -> pids.add(child.pid())));
    signal("STOP", pids);
    paused = pids;
  }

  /** SIGCONT to what {@link #pause()} stopped. */
  void resume() throws IOException {
    if (paused.isEmpty()) {
      return;
    }
    try {
      signal("CONT", paused);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    paused = List.of();
  }

  int pausedProcesses() {
    return paused.size();
  }

  private long postmasterPid() throws IOException {
    return Long.parseLong(Files.readAllLines(data.resolve("postmaster.pid")).getFirst().strip());
  }

  private static void signal(String signal, List<Long> pids)
      throws IOException, InterruptedException {
    var command = new ArrayList<String>(List.of("kill", "-" + signal));
    pids.forEach(pid -> command.add(String.valueOf(pid)));
    int status = new ProcessBuilder(command).inheritIO().start().waitFor();
    if (status != 0) {
      throw new IOException("kill -" + signal + " " + pids + " exited with " + status);
    }
  }

  /** The JDBC URL of {@code database}, created on first use. */
  String jdbcUrl(String database) throws SQLException {
    try (var connection = connect("postgres")) {
      EmbeddedPostgresServer.createDatabaseIfMissing(connection, database);
    }
    return url(database);
  }

  String url(String database) {
    return "jdbc:postgresql://localhost:" + port + "/" + database + "?user=postgres";
  }

  Connection connect(String database) throws SQLException {
    return DriverManager.getConnection(
        url(database), EmbeddedPostgresServer.USER, EmbeddedPostgresServer.PASSWORD);
  }

  @Override
  public void close() throws IOException {
    stop();
  }
}
