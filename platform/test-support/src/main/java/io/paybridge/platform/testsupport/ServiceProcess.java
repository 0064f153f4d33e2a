package io.paybridge.platform.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;

/**
 * A PayBridge service running from its executable jar ({@code <module>/target/<name>-*.jar}) in a
 * JVM of its own, logging to a file: how the local stack and the benchmarks run services, as
 * production does, one process each.
 */
public final class ServiceProcess {

  /**
   * JVM options for a developer's machine: a small heap, and C1 only, which starts several services
   * quickly but runs them slower than a fully optimising JIT would; benchmarks set their own.
   */
  public static final List<String> DEVELOPMENT_JVM_OPTIONS =
      List.of("-Xmx384m", "-XX:TieredStopAtLevel=1");

  private final String name;
  private final Path targetDirectory;
  private final int port;
  private final int managementPort;
  private final List<String> arguments;
  private final Path log;
  private List<String> jvmOptions = DEVELOPMENT_JVM_OPTIONS;
  private AotCache aotCache;
  private AotCache.Launch aotLaunch;
  private volatile boolean recordingAotCache;
  private Process process;

  /**
   * @param port the service's API port: the same as {@code --server.port} in {@code arguments}
   * @param managementPort the service's management (actuator) port, where readiness is polled: the
   *     same as {@code --management.server.port} in {@code arguments} (see {@link #arguments})
   */
  public ServiceProcess(
      String name,
      Path targetDirectory,
      int port,
      int managementPort,
      List<String> arguments,
      Path logDirectory) {
    this.name = name;
    this.targetDirectory = targetDirectory;
    this.port = port;
    this.managementPort = managementPort;
    this.arguments = arguments;
    this.log = logDirectory.resolve(name + ".log");
  }

  /**
   * A service of the repository ({@code <root>/<name>/target}) run against a database of {@code
   * postgres} named after it ({@link EmbeddedPostgresServer#databaseNameFor}) and the broker at
   * {@code bootstrapServers}: what local-stack and the fault harness run.
   */
  public static ServiceProcess embedded(
      String name,
      Path root,
      int port,
      int managementPort,
      String jdbcUrl,
      String bootstrapServers,
      Map<String, String> extra,
      Path logDirectory) {
    return new ServiceProcess(
        name,
        root.resolve(name + "/target"),
        port,
        managementPort,
        arguments(port, managementPort, jdbcUrl, bootstrapServers, extra),
        logDirectory);
  }

  /**
   * The command-line properties that run a service on {@code port} (its API) and {@code
   * managementPort} (actuator) against a database and a broker of the embedded infrastructure, with
   * human-readable logs (services log structured JSON by default), plus {@code extra} ({@code key →
   * value}, in order).
   */
  public static List<String> arguments(
      int port,
      int managementPort,
      String jdbcUrl,
      String bootstrapServers,
      Map<String, String> extra) {
    var arguments = new ArrayList<String>();
    arguments.add("--server.port=" + port);
    arguments.add("--management.server.port=" + managementPort);
    arguments.add("--spring.datasource.url=" + jdbcUrl);
    arguments.add("--spring.datasource.username=" + EmbeddedPostgresServer.USER);
    arguments.add("--spring.datasource.password=" + EmbeddedPostgresServer.PASSWORD);
    arguments.add("--spring.kafka.bootstrap-servers=" + bootstrapServers);
    arguments.add("--logging.structured.format.console=");
    extra.forEach((key, value) -> arguments.add("--" + key + "=" + value));
    return arguments;
  }

  /** Runs the service with these JVM options instead of {@link #DEVELOPMENT_JVM_OPTIONS}. */
  public ServiceProcess withJvmOptions(List<String> options) {
    this.jvmOptions = List.copyOf(options);
    return this;
  }

  /**
   * Runs the service with JDK's AOT cache kept in {@code cache}: recorded at its first run (and
   * written by {@link #writeAotCache}, or else as it stops), used at the next.
   */
  public ServiceProcess withAotCache(AotCache cache) {
    this.aotCache = cache;
    return this;
  }

  /**
   * Whether this run records the AOT cache and has not written it yet (the JVM writes it as it
   * stops, unless {@link #writeAotCache} wrote it before).
   */
  public boolean recordsAotCache() {
    return recordingAotCache;
  }

  /** What this run does with the AOT cache; {@link AotCache.Mode#NONE} without one. */
  public AotCache.Mode aotCacheMode() {
    return aotLaunch == null ? AotCache.Mode.NONE : aotLaunch.mode();
  }

  /**
   * When this start records its AOT cache: has the JVM write it now ({@link #writeAotCache}) and
   * says how that went, e.g. "billing-service wrote its AOT cache (4.2 s)"; empty when it records
   * none. The JVM answers nothing while it writes (seconds): call it before the service counts as
   * ready.
   */
  public Optional<String> writeRecordedAotCache(Duration timeout)
      throws IOException, InterruptedException {
    if (!recordsAotCache()) {
      return Optional.empty();
    }
    long began = System.nanoTime();
    boolean written = writeAotCache(timeout);
    return Optional.of(
        String.format(
            "%s %s (%.1f s)",
            name,
            written
                ? "wrote its AOT cache"
                : "did not write its AOT cache: it records again at the next start",
            (System.nanoTime() - began) / 1e9));
  }

  /**
   * Ends the recording of a running service that records its AOT cache: the JVM writes the cache
   * now ({@code jcmd <pid> AOT.end_recording}: it assembles the cache in a child JVM and carries
   * on), so that its stop does not. The service may not answer while it writes (seconds). What it
   * has loaded by then is what the cache holds: called once the service is ready, the cache covers
   * its start. Returns whether the cache was written and kept; a service that does not record, or
   * has stopped, is left as it is.
   */
  public boolean writeAotCache(Duration timeout) throws IOException, InterruptedException {
    if (!recordingAotCache || !isAlive()) {
      return false;
    }
    var jcmd =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(process.pid()),
                "AOT.end_recording")
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    if (!jcmd.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      jcmd.destroyForcibly();
      return false;
    }
    if (jcmd.exitValue() != 0 || !isAlive()) {
      return false;
    }
    recordingAotCache = false;
    return aotLaunch.keep();
  }

  public String name() {
    return name;
  }

  public Path log() {
    return log;
  }

  public void start() throws IOException {
    Files.createDirectories(log.getParent());
    var command = new ArrayList<String>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    Path jar = executableJar();
    if (aotCache != null) {
      aotLaunch = aotCache.launch(name, jar, jvmOptions);
      command.addAll(aotLaunch.jvmOptions());
      jar = aotLaunch.jar();
      recordingAotCache = aotLaunch.records();
    }
    command.add("-jar");
    command.add(jar.toString());
    command.addAll(arguments);
    process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()))
            .start();
  }

  /**
   * Waits until the service's readiness probe, on its management port, answers 200, printing
   * progress.
   */
  public void awaitReady(Duration timeout) throws InterruptedException {
    awaitReady(timeout, true);
  }

  /**
   * Waits until the service's readiness probe answers 200, without printing progress: for several
   * services awaited at once.
   */
  public void awaitReadyQuietly(Duration timeout) throws InterruptedException {
    awaitReady(timeout, false);
  }

  private void awaitReady(Duration timeout, boolean progress) throws InterruptedException {
    var http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    var probe =
        HttpRequest.newBuilder(
                URI.create("http://localhost:" + managementPort + "/actuator/health/readiness"))
            .timeout(Duration.ofSeconds(2))
            .build();
    long deadline = System.nanoTime() + timeout.toNanos();
    if (progress) {
      System.out.print("waiting for " + name);
    }
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        if (progress) {
          System.out.println();
        }
        throw new IllegalStateException(
            name + " exited with " + process.exitValue() + "; see " + log);
      }
      try {
        if (http.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          if (progress) {
            System.out.println(" ready");
          }
          return;
        }
      } catch (IOException e) {
        // not listening yet
      }
      if (progress) {
        System.out.print(".");
      }
      Thread.sleep(progress ? 1000 : 200);
    }
    if (progress) {
      System.out.println();
    }
    throw new IllegalStateException(name + " was not ready within " + timeout + "; see " + log);
  }

  public void stop() {
    if (process == null || !process.isAlive()) {
      return;
    }
    process.destroy(); // SIGTERM: graceful shutdown, the relay stops before the database goes
    try {
      // A JVM recording its AOT cache writes it as it exits, which takes a while longer.
      if (!process.waitFor(recordingAotCache ? 180 : 30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
      } else if (recordingAotCache) {
        recordingAotCache = false;
        aotLaunch.keep();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }

  /** How long a stop runs before {@link #terminate} dumps the threads that hold it. */
  private static final Duration SLOW_STOP = Duration.ofSeconds(10);

  /**
   * SIGTERM, as an orchestrator stops an instance, then waits up to {@code grace} for the process
   * to end by itself. A stop still running after 10 s has its platform threads dumped into its log
   * (SIGQUIT, which the JVM answers with the dump and goes on), to show what holds it; one still
   * running after {@code grace} is dumped again, with its virtual threads, and killed.
   *
   * @return its exit status, or empty when it did not end within {@code grace}
   */
  public OptionalInt terminate(Duration grace) throws InterruptedException, IOException {
    if (process == null || !process.isAlive()) {
      throw new IllegalStateException(name + " is not running");
    }
    process.destroy();
    long deadline = System.nanoTime() + grace.toNanos();
    if (grace.compareTo(SLOW_STOP) > 0
        && !process.waitFor(SLOW_STOP.toMillis(), TimeUnit.MILLISECONDS)) {
      dumpPlatformThreads();
    }
    if (process.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
      return OptionalInt.of(process.exitValue());
    }
    dumpPlatformThreads();
    dumpVirtualThreads();
    Thread.sleep(2000); // the JVM writes the dumps itself, after the signal and the command
    kill();
    return OptionalInt.empty();
  }

  /** Into its log: SIGQUIT, which the JVM answers with the dump and goes on. */
  private void dumpPlatformThreads() throws IOException, InterruptedException {
    new ProcessBuilder("kill", "-QUIT", String.valueOf(process.pid())).start().waitFor();
  }

  /**
   * With its virtual threads, which SIGQUIT's dump leaves out (Kafka listeners and requests run on
   * them), into {@code threads-<epoch millis>.txt} beside its log. Only for a process about to be
   * killed: on JDK 25.0.3 this dump of a JVM that is shutting down can crash it, which would turn a
   * slow stop into a failed one. Not waited for: {@code jcmd} attaching to a JVM that ends
   * meanwhile waits seconds before it gives up.
   */
  private void dumpVirtualThreads() throws IOException {
    Path file = log.resolveSibling("threads-" + System.currentTimeMillis() + ".txt");
    new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
            String.valueOf(process.pid()),
            "Thread.dump_to_file",
            "-format=text",
            file.toString())
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .start();
  }

  /**
   * SIGKILL: the process ends at once, mid-request and mid-transaction, as a crashed or OOM-killed
   * instance does. Returns when it is gone.
   */
  public void kill() {
    if (process == null || !process.isAlive()) {
      return;
    }
    process.destroyForcibly();
    try {
      process.waitFor(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  public boolean isAlive() {
    return process != null && process.isAlive();
  }

  /** The port its API listens on. */
  public int port() {
    return port;
  }

  /** The port of its actuator. */
  public int managementPort() {
    return managementPort;
  }

  private Path executableJar() {
    try (var files = Files.list(targetDirectory)) {
      return files
          .filter(path -> path.getFileName().toString().startsWith(name + "-"))
          .filter(path -> path.getFileName().toString().endsWith(".jar"))
          .findFirst()
          .orElseThrow(
              () ->
                  new IllegalStateException(
                      "No executable jar of "
                          + name
                          + " in "
                          + targetDirectory
                          + ": build it with ./mvnw package"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
