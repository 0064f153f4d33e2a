package io.paybridge.platform.outbox;

import io.paybridge.platform.consumerhost.ConsumerHostMain;
import io.paybridge.platform.testsupport.EmbeddedKafkaServer;
import io.paybridge.platform.testsupport.EmbeddedPostgresServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A {@link ConsumerHostMain} process whose output lines are read as they come, for the tests that
 * kill or stop a consumer's whole process.
 */
record ConsumerHost(Process process, BlockingQueue<String> queue, List<String> seen) {

  private static final Duration WAIT = Duration.ofSeconds(120);

  /**
   * Starts one against the test's database and the shared broker, its output copied to {@code log};
   * {@code arguments} are added to its command line ({@code --topic}, {@code --group}, {@code
   * --hang-after}, consumer settings).
   */
  static ConsumerHost start(String jdbcUrl, Path log, List<String> arguments) throws IOException {
    Files.createDirectories(log.getParent());
    var command = new ArrayList<String>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(List.of("-Xmx256m", "-XX:TieredStopAtLevel=1"));
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(ConsumerHostMain.class.getName());
    command.add("--spring.datasource.url=" + jdbcUrl);
    command.add("--spring.datasource.username=" + EmbeddedPostgresServer.USER);
    command.add("--spring.datasource.password=" + EmbeddedPostgresServer.PASSWORD);
    command.add(
        "--spring.kafka.bootstrap-servers=" + EmbeddedKafkaServer.shared().bootstrapServers());
    command.add("--spring.kafka.consumer.auto-offset-reset=earliest");
    command.add("--paybridge.outbox.relay-enabled=false");
    command.add("--spring.main.banner-mode=off");
    command.add("--spring.main.web-application-type=none");
    command.addAll(arguments);
    var process = new ProcessBuilder(command).redirectErrorStream(true).start();
    var host = new ConsumerHost(process, new LinkedBlockingQueue<>(), new ArrayList<>());
    Thread.ofVirtual()
        .start(
            () -> {
              try (var out =
                      new BufferedReader(
                          new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                  var file = Files.newBufferedWriter(log, StandardCharsets.UTF_8)) {
                for (String line; (line = out.readLine()) != null; ) {
                  file.write(line);
                  file.newLine();
                  file.flush();
                  host.queue.add(line);
                }
              } catch (IOException e) {
                // the process was killed: its output ends
              }
            });
    return host;
  }

  /**
   * Reads output until {@code line} has arrived (true) or the process ends or the wait runs out.
   */
  boolean awaitLine(String line) throws InterruptedException {
    return awaitLines(List.of(line), WAIT);
  }

  /**
   * Reads output until every one of {@code lines} has arrived since the start, in any order (true),
   * or the process ends or {@code wait} runs out.
   */
  boolean awaitLines(Collection<String> lines, Duration wait) throws InterruptedException {
    long deadline = System.nanoTime() + wait.toNanos();
    while (!seen.containsAll(lines)) {
      String next = queue.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      if (next != null) {
        seen.add(next);
      } else if (!process.isAlive() || System.nanoTime() >= deadline) {
        return false;
      }
    }
    return true;
  }

  List<String> lines() {
    return List.copyOf(seen);
  }

  /** SIGKILL: no shutdown hook, no offset commit on the way out. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  /**
   * SIGTERM, as an orchestrator stops an instance (Spring closes its context: the listeners stop
   * and their consumers close); its exit status, or empty when it has not ended within {@code
   * grace} (it is killed then).
   */
  OptionalInt terminate(Duration grace) throws InterruptedException {
    process.destroy();
    if (process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
      return OptionalInt.of(process.exitValue());
    }
    kill();
    return OptionalInt.empty();
  }
}
