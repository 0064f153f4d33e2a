package io.paybridge.bench;

import static io.paybridge.bench.PhaseResult.number;

import io.paybridge.platform.events.Topics;
import io.paybridge.platform.testsupport.EmbeddedKafkaServer;
import io.paybridge.platform.testsupport.EmbeddedPostgresServer;
import io.paybridge.platform.testsupport.Machine;
import io.paybridge.platform.testsupport.ServiceProcess;
import io.paybridge.platform.testsupport.SignedWebhooks;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * The webhook-ingest-service benchmark of issue 2: ack latency and sustained throughput for
 * single-event webhooks and 50-event batches, the lag from ack to the record on Kafka, and, in the
 * same run, the raw rate of inserting the same rows into PostgreSQL over JDBC.
 *
 * <p>Everything runs on this machine, as the local stack does: embedded PostgreSQL 17 and an
 * embedded KRaft broker in this JVM, the service from its executable jar in a JVM of its own, and
 * the load generator and a Kafka consumer in this JVM. Run from the repository root:
 *
 * <pre>./mvnw -pl bench -am -Pbench package -DskipTests</pre>
 *
 * <p>Prints progress and a results table, and writes the table to {@code
 * bench/results/webhook-ingest-<date>-<profile>.md}. See docs/benchmarks.md.
 */
public final class WebhookIngestBenchmark {

  /**
   * The service's JVM as in production: C2 (no TieredStopAtLevel), a 768 MB heap, and the container
   * image's tenuring threshold (pom.xml, Jib's jvmFlags), without which G1 copied the relay
   * producer's pooled batch buffers at every young pause of the judged phases.
   */
  static final java.util.List<String> SERVICE_JVM_OPTIONS =
      java.util.List.of("-Xmx768m", "-Xms768m", "-XX:MaxTenuringThreshold=3");

  static final String SERVICE = "webhook-ingest-service";
  static final String SECRET = "bench-webhook-endpoint-secret";
  static final String DEFAULT_COMMAND = "./mvnw -pl bench -am -Pbench package -DskipTests";

  private final BenchSettings settings;
  private final String[] args;

  /** The service's webhook path (GoCardlessWebhookController.PATH). */
  static final String WEBHOOK_PATH = "/webhooks/gocardless";

  private final Path root = Path.of("").toAbsolutePath();
  private final String runId = Long.toString(System.currentTimeMillis() / 1000 % 60_466_176, 36);
  private final SignedWebhooks webhooks = new SignedWebhooks(SECRET, runId.toUpperCase());
  private final ZonedDateTime startedAt = ZonedDateTime.now();
  private final List<String> notes = new ArrayList<>();
  private final Map<String, String> machine = new LinkedHashMap<>();
  private final List<String> busiestAtStart;
  private CpuSampler cpu = new CpuSampler(0, 0);
  private volatile LoadGenerator.Phase current;
  private KafkaArrivals arrivals;
  private ServerStats stats;

  private WebhookIngestBenchmark(BenchSettings settings, String[] args) {
    this.settings = settings;
    this.args = args;
    this.busiestAtStart = CpuSampler.busiestProcesses(8);
  }

  public static void main(String[] args) throws Exception {
    String arguments = String.join(" ", args);
    if (arguments.contains("profile=gateway")) {
      GatewayBenchmark.run(args);
      return;
    }
    if (arguments.contains("profile=notifications")) {
      NotificationBenchmark.run(args);
      return;
    }
    var benchmark = new WebhookIngestBenchmark(BenchSettings.parse(args), args);
    int status = 0;
    try {
      benchmark.run();
    } catch (Exception e) {
      e.printStackTrace();
      status = 1;
    }
    // The embedded broker leaves non-daemon threads behind.
    System.exit(status);
  }

  private void run() throws Exception {
    say("webhook-ingest benchmark, profile " + settings.profile() + ", run " + runId);
    loadAtStart = CpuSampler.loadAverage();
    say("load average at start: " + loadAtStart + " (uptime: " + Machine.uptime() + ")");
    describeMachine();
    var sql = ProductionSql.read(root);

    say("starting embedded PostgreSQL 17 and Kafka");
    var postgres = BenchPostgres.start(settings.durability(), settings.postgresSettings());
    var kafka = EmbeddedKafkaServer.shared();
    kafka.createTopics(Topics.gocardlessTopics().toArray(String[]::new));
    recordDurability();
    describePostgres(postgres);

    ServiceProcess service = null;
    var progress = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().factory());
    try {
      var baselines =
          settings.profile().equals("warmup")
              ? List.<JdbcBaseline.Result>of()
              : runBaseline(postgres, sql);
      if (stats == null) {
        stats = new ServerStats(postgres.jdbcUrl("bench_baseline"));
      }

      int port = freePort();
      int managementPort = freePort();
      if (settings.profile().equals("warmup")) {
        runWarmupComparison(postgres, kafka, port, managementPort, progress);
        return;
      }
      service =
          startService(postgres, kafka, port, managementPort, executableJarDirectory(), List.of());
      ServiceProcess running = service;
      Runtime.getRuntime().addShutdownHook(new Thread(running::stop));

      arrivals = new KafkaArrivals(kafka.bootstrapServers(), Topics.GOCARDLESS_PAYMENTS);
      var load =
          new LoadGenerator(
              URI.create("http://localhost:" + port + WEBHOOK_PATH),
              webhooks,
              settings.requestTimeout(),
              settings.maxInFlight());
      startProgress(progress);

      var results = new ArrayList<PhaseResult>();
      // From the moment the service is ready, as GoCardless's deliveries would come after a
      // restart: the first seconds' latency and refusals are the start's cost.
      say("warm-up from the moment it is ready (not reported against the targets)");
      var warmups = new ArrayList<PhaseResult>();
      warmups.add(
          openLoop(
              load, "warm-up, single", "W", 1, settings.warmupRate(), settings.warmupDuration()));
      awaitRelay(load);
      warmups.add(
          openLoop(
              load,
              "warm-up, batches",
              "X",
              settings.batchSize(),
              settings.batchRate(),
              settings.warmupDuration().dividedBy(3)));
      settleJit(load, warmups);

      if (settings.profile().equals("health")) {
        runHealthComparison(load, managementPort, results);
      } else {
        runTargetPhases(load, results);
      }
      current = null;

      String serviceMetrics = scrapeServiceMetrics(managementPort);
      String report = report(baselines, warmups, results, serviceMetrics);
      Path file =
          root.resolve(
              "bench/results/webhook-ingest-"
                  + startedAt.format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmm"))
                  + "-"
                  + settings.profile()
                  + (settings.durability().equals("production") ? "" : "-" + settings.durability())
                  + ".md");
      Files.createDirectories(file.getParent());
      Files.writeString(file, report);
      System.out.println();
      System.out.println(report);
      say("results written to " + root.relativize(file));
    } finally {
      progress.shutdownNow();
      if (arrivals != null) {
        arrivals.close();
      }
      if (stats != null) {
        stats.close();
      }
      if (service != null) {
        say("stopping " + SERVICE);
        service.stop();
      }
      kafka.close();
      postgres.close();
    }
  }

  // --- starting the service -----------------------------------------------------------------

  /** Seconds from the service's process start to its readiness probe answering 200. */
  private double readySeconds = Double.NaN;

  private ServiceProcess startService(
      BenchPostgres postgres,
      EmbeddedKafkaServer kafka,
      int port,
      int managementPort,
      Path targetDirectory,
      List<String> extraJvmOptions)
      throws Exception {
    return startService(
        postgres,
        kafka,
        port,
        managementPort,
        targetDirectory,
        extraJvmOptions,
        root.resolve("bench/target/logs"));
  }

  private ServiceProcess startService(
      BenchPostgres postgres,
      EmbeddedKafkaServer kafka,
      int port,
      int managementPort,
      Path targetDirectory,
      List<String> extraJvmOptions,
      Path logs)
      throws Exception {
    // The run's own options (serviceJvmOptions) apply to every start of every profile.
    var added = new ArrayList<>(settings.serviceJvmOptions());
    added.addAll(extraJvmOptions);
    var options = new ArrayList<>(SERVICE_JVM_OPTIONS);
    options.addAll(added);
    var service =
        new ServiceProcess(
                SERVICE,
                targetDirectory,
                port,
                managementPort,
                serviceArguments(postgres, kafka, port, managementPort),
                logs)
            // The optimising JIT and a production-sized heap, not the local stack's fast-start C1.
            .withJvmOptions(options);
    say(
        "starting "
            + SERVICE
            + " from "
            + root.relativize(targetDirectory)
            + " on port "
            + port
            + ", management port "
            + managementPort
            + (added.isEmpty() ? "" : " with " + String.join(" ", added))
            + " (log: "
            + root.relativize(service.log())
            + ")");
    long started = System.nanoTime();
    service.start();
    awaitReadiness(service, managementPort);
    readySeconds = (System.nanoTime() - started) / 1e9;
    say(String.format("%s ready %.2f s after its process started", SERVICE, readySeconds));
    long servicePid = findServicePid();
    cpu = cpu.withService(servicePid);
    stats.service(managementPort);
    describeServiceJvm(servicePid);
    return service;
  }

  /**
   * Polls readiness every 50 ms (ServiceProcess polls every second: too coarse to time a start).
   */
  private static void awaitReadiness(ServiceProcess service, int managementPort)
      throws InterruptedException {
    var http = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();
    var probe =
        HttpRequest.newBuilder(
                URI.create("http://localhost:" + managementPort + "/actuator/health/readiness"))
            .timeout(Duration.ofSeconds(2))
            .build();
    long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
    while (System.nanoTime() < deadline && service.isAlive()) {
      try {
        if (http.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(50);
    }
    // Reports why (exited, or not ready in time) with the log's path.
    service.awaitReady(Duration.ofSeconds(1));
  }

  private Path executableJarDirectory() {
    return root.resolve(SERVICE + "/target");
  }

  /** Length of one step of {@link #settleJit}. */
  private static final Duration SETTLE_STEP = Duration.ofSeconds(10);

  /** The name of {@link #settleJit}'s warm-up rows, before their step number. */
  private static final String SETTLE_PHASE = "warm-up, until the JIT settles";

  /**
   * Keeps the warm-up's single webhooks coming, ten seconds at a time, until the service's compiler
   * threads used less than {@code settleJitCores} of a core in the last step (or {@code
   * settleMax}): on a slow machine the compiler threads still took most of a core a minute after
   * the start, and the phase at 500 webhooks/s measured them rather than the service.
   */
  private void settleJit(LoadGenerator load, List<PhaseResult> warmups)
      throws InterruptedException {
    long steps = settings.settleMax().dividedBy(SETTLE_STEP);
    for (long step = 1; step <= steps; step++) {
      var result =
          openLoop(
              load, SETTLE_PHASE + " (" + step + ")", "S", 1, settings.warmupRate(), SETTLE_STEP);
      warmups.add(result);
      double jitCores = jitCores(result);
      say(
          String.format(
              "JIT: %.2f core(s) over the last %d s (settled below %.2f)",
              jitCores, SETTLE_STEP.toSeconds(), settings.settleJitCores()));
      if (jitCores < settings.settleJitCores()) {
        return;
      }
    }
  }

  /** The CPU of the service's compiler threads in {@code result}'s phase, in cores. */
  private static double jitCores(PhaseResult result) {
    var cpu = result.cpu();
    return cpu.wallSeconds() <= 0 ? 0 : cpu.serviceCompilers() / cpu.wallSeconds();
  }

  // --- profile warmup: the first 30 seconds, without and with an AOT cache -------------------

  /** One start of the service and the load right after it. */
  private record StartResult(String variant, double readySeconds, PhaseResult firstSeconds) {}

  private final List<StartResult> starts = new ArrayList<>();
  private final List<String> aotNotes = new ArrayList<>();

  /**
   * Starts the service three ways, each followed at once by {@code warmupRate} single-event
   * webhooks/s for {@code warmupDuration}: from its executable jar (as deployed today), from the
   * jar extracted by Spring Boot's {@code jarmode=tools} (a plain class path, which CDS and the AOT
   * cache need), and from the extracted jar with an AOT cache (JEP 483/514/515) recorded by a
   * training run of {@code trainingDuration} under the same kind of load.
   */
  private void runWarmupComparison(
      BenchPostgres postgres,
      EmbeddedKafkaServer kafka,
      int port,
      int managementPort,
      ScheduledExecutorService progress)
      throws Exception {
    arrivals = new KafkaArrivals(kafka.bootstrapServers(), Topics.GOCARDLESS_PAYMENTS);
    var load =
        new LoadGenerator(
            URI.create("http://localhost:" + port + WEBHOOK_PATH),
            webhooks,
            settings.requestTimeout(),
            settings.maxInFlight());
    startProgress(progress);
    Path aot = root.resolve("bench/target/aot");
    Path app = aot.resolve("app");
    Path configuration = aot.resolve("webhook-ingest-service.aotconf");
    Path cache = aot.resolve("webhook-ingest-service.aot");

    measureStart(
        "executable jar (`java -jar`), no cache",
        "J",
        postgres,
        kafka,
        port,
        managementPort,
        executableJarDirectory(),
        List.of(),
        load);

    extract(app);
    measureStart(
        "extracted jar, no cache",
        "K",
        postgres,
        kafka,
        port,
        managementPort,
        app,
        List.of(),
        load);

    // Training: the same start and load, recording which classes load and link and the methods'
    // profiles; the configuration is written when the JVM exits (SIGTERM, graceful).
    Files.deleteIfExists(configuration);
    Files.deleteIfExists(cache);
    awaitSlotReleased(postgres);
    var training =
        startService(
            postgres,
            kafka,
            port,
            managementPort,
            app,
            List.of("-XX:AOTMode=record", "-XX:AOTConfiguration=" + configuration),
            root.resolve("bench/target/logs/training"));
    try {
      openLoop(
          load, "training, single", "T", 1, settings.warmupRate(), settings.trainingDuration());
      openLoop(
          load,
          "training, batches",
          "U",
          settings.batchSize(),
          settings.batchRate(),
          settings.trainingDuration().dividedBy(3));
    } finally {
      say("stopping the training run");
      training.stop();
    }
    if (!Files.exists(configuration)) {
      throw new IllegalStateException(
          "The training run wrote no AOT configuration " + configuration);
    }
    createCache(app, configuration, cache);

    measureStart(
        "extracted jar + AOT cache",
        "L",
        postgres,
        kafka,
        port,
        managementPort,
        app,
        List.of("-XX:AOTMode=on", "-XX:AOTCache=" + cache),
        load);
    current = null;

    String report = warmupReport();
    Path file =
        root.resolve(
            "bench/results/webhook-ingest-"
                + startedAt.format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmm"))
                + "-warmup.md");
    Files.createDirectories(file.getParent());
    Files.writeString(file, report);
    System.out.println();
    System.out.println(report);
    say("results written to " + root.relativize(file));
  }

  private void measureStart(
      String variant,
      String tag,
      BenchPostgres postgres,
      EmbeddedKafkaServer kafka,
      int port,
      int managementPort,
      Path directory,
      List<String> jvmOptions,
      LoadGenerator load)
      throws Exception {
    awaitSlotReleased(postgres);
    Path logs = root.resolve("bench/target/logs/" + tag);
    Path classLoading = logs.resolve("class-load.log");
    Files.createDirectories(logs);
    Files.deleteIfExists(classLoading);
    var options = new ArrayList<>(jvmOptions);
    // Where each class came from: "source: shared objects file" when from the CDS/AOT cache.
    options.add("-Xlog:class+load=info:file=" + classLoading);
    var service = startService(postgres, kafka, port, managementPort, directory, options, logs);
    try {
      double ready = readySeconds;
      var first =
          openLoop(
              load,
              "first " + settings.warmupDuration().toSeconds() + " s: " + variant,
              tag,
              1,
              settings.warmupRate(),
              settings.warmupDuration());
      starts.add(new StartResult(variant, ready, first));
    } finally {
      say("stopping " + SERVICE);
      service.stop();
    }
    try (var lines = Files.lines(classLoading)) {
      long[] counts = new long[2];
      lines.forEach(
          line -> {
            counts[0]++;
            if (line.contains("shared objects file")) {
              counts[1]++;
            }
          });
      aotNotes.add(
          String.format(
              "%s: %,d classes loaded, %,d of them from the CDS archive or AOT cache"
                  + " (`-Xlog:class+load`, \"source: shared objects file\")",
              variant, counts[0], counts[1]));
    }
  }

  /**
   * Waits until no session streams from the service's replication slot: a relay that stopped a
   * moment ago may leave its walsender for a while, and the next instance's relay would then wait
   * 10 s to retry, which is not what a start costs.
   */
  private void awaitSlotReleased(BenchPostgres postgres) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    try (var connection =
            java.sql.DriverManager.getConnection(
                postgres.jdbcUrl(EmbeddedPostgresServer.databaseNameFor(SERVICE)));
        var statement =
            connection.prepareStatement("select count(*) from pg_replication_slots where active")) {
      while (System.nanoTime() < deadline) {
        try (var rows = statement.executeQuery()) {
          rows.next();
          if (rows.getLong(1) == 0) {
            return;
          }
        }
        Thread.sleep(200);
      }
    }
    say("a replication slot is still active after 90 s; starting anyway");
  }

  /**
   * {@code java -Djarmode=tools -jar <service>.jar extract}: the jar and its libraries as files.
   */
  private void extract(Path destination) throws Exception {
    deleteRecursively(destination);
    Files.createDirectories(destination.getParent());
    Path jar;
    try (var files = Files.list(executableJarDirectory())) {
      jar =
          files
              .filter(f -> f.getFileName().toString().startsWith(SERVICE + "-"))
              .filter(f -> f.getFileName().toString().endsWith(".jar"))
              .findFirst()
              .orElseThrow();
    }
    run(
        "extract the executable jar",
        Duration.ofMinutes(2),
        javaCommand(
            List.of(
                "-Djarmode=tools",
                "-jar",
                jar.toString(),
                "extract",
                "--destination",
                destination.toString())));
  }

  /** {@code -XX:AOTMode=create}: the cache from the training run's configuration. */
  private void createCache(Path app, Path configuration, Path cache) throws Exception {
    Path jar;
    try (var files = Files.list(app)) {
      jar =
          files
              .filter(f -> f.getFileName().toString().startsWith(SERVICE + "-"))
              .filter(f -> f.getFileName().toString().endsWith(".jar"))
              .findFirst()
              .orElseThrow();
    }
    var options = new ArrayList<>(SERVICE_JVM_OPTIONS);
    options.addAll(
        List.of(
            "-XX:AOTMode=create",
            "-XX:AOTConfiguration=" + configuration,
            "-XX:AOTCache=" + cache,
            "-jar",
            jar.toString()));
    long started = System.nanoTime();
    run("create the AOT cache", Duration.ofMinutes(10), javaCommand(options));
    aotNotes.add(
        String.format(
            "AOT cache created in %.1f s from a training run of %d s (%d single webhooks/s, then"
                + " batches of %d at %s/s): %s, %,d bytes",
            (System.nanoTime() - started) / 1e9,
            settings.trainingDuration().toSeconds(),
            (long) settings.warmupRate(),
            settings.batchSize(),
            number(settings.batchRate()),
            root.relativize(cache),
            Files.size(cache)));
  }

  private static List<String> javaCommand(List<String> arguments) {
    var command = new ArrayList<String>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(arguments);
    return command;
  }

  private void run(String what, Duration timeout, List<String> command) throws Exception {
    Path log = root.resolve("bench/target/logs/aot-" + what.replace(' ', '-') + ".log");
    Files.createDirectories(log.getParent());
    say(what + ": " + String.join(" ", command));
    var process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()))
            .start();
    if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException("Could not " + what + " within " + timeout + "; see " + log);
    }
    if (process.exitValue() != 0) {
      throw new IllegalStateException(
          "Could not " + what + " (exit " + process.exitValue() + "); see " + log);
    }
  }

  private static void deleteRecursively(Path directory) throws IOException {
    if (!Files.exists(directory)) {
      return;
    }
    try (var paths = Files.walk(directory)) {
      for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }

  private String warmupReport() {
    var out = new StringBuilder();
    out.append("# webhook-ingest-service start and warm-up, ")
        .append(startedAt.format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm z")))
        .append(" (profile warmup)\n\n");
    out.append("Command: `")
        .append(DEFAULT_COMMAND)
        .append(" -Dbench.args=\"")
        .append(String.join(" ", args).strip())
        .append("\"` (from the repository root, JAVA_HOME = a JDK 25)\n\n");
    out.append("Settings: `").append(settings).append("`\n\n");
    out.append("## Machine\n\n| | |\n|---|---|\n");
    machine.forEach((k, v) -> out.append("| ").append(k).append(" | ").append(v).append(" |\n"));
    out.append("| Load average (1 min) at start / end | ").append(busiestLoad()).append(" |\n\n");
    out.append("Busiest processes when the benchmark started:\n\n```\n");
    busiestAtStart.forEach(line -> out.append(line).append('\n'));
    out.append("```\n\n");
    out.append("## Time to ready and the first seconds under load\n\n");
    out.append(
        "Ready: from the service's process start to its readiness probe answering 200 (polled every"
            + " 50 ms). Then at once "
            + number(settings.warmupRate())
            + " single-event webhooks/s (open loop) for "
            + settings.warmupDuration().toSeconds()
            + " s; ack latency from each request's intended send time.\n\n");
    out.append(
        "| Start | Ready | Ack p50 | Ack p90 | Ack p99 | Ack p99.9 | Ack max | 204s | Refused (503 by design) | Other errors | Ack→Kafka p99 | Missing on Kafka | CPU bench / service / pg / other | PostgreSQL; service GC and JIT |\n");
    out.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|---|---|\n");
    for (var start : starts) {
      var r = start.firstSeconds();
      out.append(
          String.format(
              "| %s | %.2f s | %s | %s | %s | %s | %s | %d | %d | %s | %s | %d of %d | %s | %s |\n",
              start.variant(),
              start.readySeconds(),
              PhaseResult.ms(r.ackMicros(), 50),
              PhaseResult.ms(r.ackMicros(), 90),
              PhaseResult.ms(r.ackMicros(), 99),
              PhaseResult.ms(r.ackMicros(), 99.9),
              PhaseResult.max(r.ackMicros()),
              r.acked(),
              r.refusedCount(),
              r.failureCount() == 0 ? "0" : r.errors().toString(),
              PhaseResult.ms(r.kafkaLagMicros(), 99),
              r.missingOnKafka(),
              r.eventsAcked(),
              r.cpu().describe(),
              r.serverActivity()));
    }
    out.append("\nLatencies in ms.\n\n");
    out.append("Ack latency per 5-second window (the last one shorter), to its end:\n\n");
    for (var start : starts) {
      out.append("- ")
          .append(start.variant())
          .append(": ")
          .append(timeline(start.firstSeconds()))
          .append('\n');
    }
    out.append('\n');
    aotNotes.forEach(note -> out.append(note).append("\n\n"));
    return out.toString();
  }

  /** The phases judged against the issue's targets (profiles full and smoke). */
  private void runTargetPhases(LoadGenerator load, List<PhaseResult> results)
      throws InterruptedException {
    results.add(
        openLoop(load, "single, fixed rate", "A", 1, settings.singleRate(), latencyDuration()));
    results.add(
        openLoop(
            load,
            "batch of " + settings.batchSize() + ", fixed rate",
            "B",
            settings.batchSize(),
            settings.batchRate(),
            latencyDuration()));
    results.add(
        closedLoop(
            load,
            "single, saturation",
            "C",
            1,
            settings.singleConcurrency(),
            settings.throughputDuration()));
    results.add(
        closedLoop(
            load,
            "batch of " + settings.batchSize() + ", saturation",
            "D",
            settings.batchSize(),
            settings.batchConcurrency(),
            settings.throughputDuration()));
    results.add(
        openLoop(
            load,
            "single, target rate",
            "E",
            1,
            settings.singleTargetRate(),
            settings.targetRateDuration()));
    results.add(
        openLoop(
            load,
            "batch of " + settings.batchSize() + ", target rate",
            "F",
            settings.batchSize(),
            settings.batchTargetRate(),
            settings.targetRateDuration()));
    // Past capacity: twice the single-event saturation rate just measured, open loop. The
    // admission limit must refuse the excess fast while what it accepts stays fast.
    // A fixed rate instead (overloadRate) compares two variants at the same load.
    double overloadRate =
        settings.overloadRate() > 0
            ? settings.overloadRate()
            : settings.overloadFactor() * results.get(2).webhooksPerSecond();
    results.add(
        openLoop(
            load,
            settings.overloadRate() > 0
                ? "single, overload"
                : String.format("single, %.0f× saturation", settings.overloadFactor()),
            "G",
            1,
            overloadRate,
            settings.overloadDuration()));
  }

  private final List<HealthLoad.Summary> healthSummaries = new ArrayList<>();

  /**
   * Profile {@code health}: the single-webhook fixed-rate phase, alternately without and with
   * bursts of concurrent health requests to the management port, twice each, so that a drift of the
   * machine's other load shows as a difference between the two phases of a kind.
   */
  private void runHealthComparison(
      LoadGenerator load, int managementPort, List<PhaseResult> results)
      throws InterruptedException {
    try (var health =
        new HealthLoad(
            URI.create("http://localhost:" + managementPort + settings.healthPath()),
            settings.healthConcurrency(),
            settings.healthInterval())) {
      say(
          "health load: warm-up burst of "
              + settings.healthConcurrency()
              + " requests to "
              + settings.healthPath());
      health.warmUp();
      for (int round = 1; round <= 2; round++) {
        results.add(
            openLoop(
                load,
                "single, fixed rate, no health requests (" + round + ")",
                "N",
                1,
                settings.singleRate(),
                latencyDuration()));
        health.start();
        results.add(
            openLoop(
                load,
                "single, fixed rate, "
                    + settings.healthConcurrency()
                    + " concurrent health requests ("
                    + round
                    + ")",
                "H",
                1,
                settings.singleRate(),
                latencyDuration()));
        var summary = health.stop();
        say("  health requests: " + summary.describe());
        healthSummaries.add(summary);
      }
    }
  }

  private static int freePort() throws IOException {
    try (var socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private Duration latencyDuration() {
    return settings.latencyDuration();
  }

  // --- baseline ---------------------------------------------------------------------------------

  private List<JdbcBaseline.Result> runBaseline(BenchPostgres postgres, ProductionSql sql)
      throws Exception {
    say("baseline: the service's SQL straight over JDBC (database bench_baseline)");
    stats = new ServerStats(postgres.jdbcUrl("bench_baseline"));
    var baseline = new JdbcBaseline(postgres.jdbcUrl("bench_baseline"), sql, webhooks, cpu, stats);
    baseline.createSchema();
    var results = new ArrayList<JdbcBaseline.Result>();
    // a short untimed pass so that the driver and the server have their plans and caches
    baseline.run("Y", 1, 2, Duration.ofSeconds(2));
    for (int size : new int[] {1, settings.batchSize()}) {
      for (int connections : new int[] {1, settings.baselineConcurrency()}) {
        var result = baseline.run("Z", size, connections, settings.baselineDuration());
        say(
            String.format(
                "baseline %d event(s)/txn, %d connection(s): %.0f txn/s, %.0f events/s, commit p50"
                    + " %s ms p99 %s ms; CPU bench/service/postgres/other %s; %s",
                size,
                connections,
                result.transactionsPerSecond(),
                result.eventsPerSecond(),
                PhaseResult.ms(result.commitLatencyMicros(), 50),
                PhaseResult.ms(result.commitLatencyMicros(), 99),
                result.cpu().describe(),
                result.serverActivity()));
        results.add(result);
      }
    }
    // The baseline's dirty pages must not be flushed on the service's time.
    try (var connection = java.sql.DriverManager.getConnection(postgres.jdbcUrl("bench_baseline"));
        var statement = connection.createStatement()) {
      statement.execute("checkpoint");
    }
    return results;
  }

  // --- load phases ------------------------------------------------------------------------------

  private PhaseResult openLoop(
      LoadGenerator load, String name, String tag, int size, double rate, Duration duration)
      throws InterruptedException {
    var phase =
        new LoadGenerator.Phase(
            name,
            tag,
            String.format(
                "open loop, %s webhooks/s (%s events/s), %ds",
                number(rate), number(rate * size), duration.toSeconds()),
            size);
    say("phase '" + name + "': " + phase.mode);
    return measure(phase, () -> load.openLoop(phase, rate, duration));
  }

  private PhaseResult closedLoop(
      LoadGenerator load, String name, String tag, int size, int clients, Duration duration)
      throws InterruptedException {
    var phase =
        new LoadGenerator.Phase(
            name,
            tag,
            String.format("closed loop, %d clients, %ds", clients, duration.toSeconds()),
            size);
    say("phase '" + name + "': " + phase.mode);
    return measure(phase, () -> load.closedLoop(phase, clients, duration));
  }

  private interface Load {
    void run() throws InterruptedException;
  }

  private PhaseResult measure(LoadGenerator.Phase phase, Load load) throws InterruptedException {
    String loadBefore = CpuSampler.loadAverage();
    var before = cpu.sample();
    var statsBefore = stats.sample();
    current = phase;
    load.run();
    reportWindow(phase, true);
    var usage = cpu.sample().since(before);
    var statsAfter = stats.sample();
    String serviceRefusals = statsAfter.refusalsSince(statsBefore);
    String activity =
        statsAfter.since(statsBefore, true)
            + (serviceRefusals.isEmpty() ? "" : "; refusals " + serviceRefusals);
    String loadAfter = CpuSampler.loadAverage();

    // Wait until every acknowledged event is readable on Kafka (or the drain timeout).
    long drainDeadline = System.nanoTime() + settings.drainTimeout().toNanos();
    long missing;
    while ((missing = countMissing(phase)) > 0 && System.nanoTime() < drainDeadline) {
      Thread.sleep(250);
    }
    current = null;
    var lag = new Histogram(Duration.ofMinutes(10).toNanos() / 1000, 3);
    long beforeAck = 0;
    long lastArrival = 0;
    for (var entry : phase.ackedAt.entrySet()) {
      Long arrival = arrivals.arrival(entry.getKey());
      if (arrival == null) {
        continue;
      }
      lastArrival = Math.max(lastArrival, arrival);
      long delta = arrival - entry.getValue();
      if (delta < 0) {
        beforeAck++; // readable before the client had the 204: the commit preceded the response
        delta = 0;
      }
      lag.recordValue(delta / 1000);
    }
    double drain =
        lastArrival == 0 ? Double.NaN : Math.max(0, (lastArrival - phase.lastAck.get()) / 1e9);
    double relayed =
        lastArrival == 0 ? 0 : lag.getTotalCount() / ((lastArrival - phase.startNanos) / 1e9);
    var result =
        PhaseResult.of(
            phase,
            lag,
            missing,
            beforeAck,
            drain,
            relayed,
            usage,
            loadBefore,
            loadAfter,
            activity,
            statsAfter.jitSecondsSince(statsBefore),
            serviceRefusals,
            statsAfter.serviceTimesSince(statsBefore, Shortfalls.REFUSAL_BOUND_SECONDS));
    arrivals.forget(phase.ackedAt.keySet());
    say(
        String.format(
            "  -> %.0f webhooks/s (%.0f events/s), ack p50 %s ms p99 %s ms max %s ms; ack->Kafka p50"
                + " %s ms p99 %s ms; errors %s; missing on Kafka %d; CPU"
                + " bench/service/postgres/other %s; load %s -> %s; %s",
            result.webhooksPerSecond(),
            result.eventsPerSecond(),
            PhaseResult.ms(result.ackMicros(), 50),
            PhaseResult.ms(result.ackMicros(), 99),
            PhaseResult.max(result.ackMicros()),
            PhaseResult.ms(lag, 50),
            PhaseResult.ms(lag, 99),
            result.errors().isEmpty() ? "none" : result.errors(),
            missing,
            usage.describe(),
            loadBefore,
            loadAfter,
            activity));
    return result;
  }

  private long countMissing(LoadGenerator.Phase phase) {
    long missing = 0;
    for (String id : phase.ackedAt.keySet()) {
      if (arrivals.arrival(id) == null) {
        missing++;
      }
    }
    return missing;
  }

  private void startProgress(ScheduledExecutorService progress) {
    progress.scheduleAtFixedRate(
        () -> {
          var phase = current;
          if (phase != null) {
            reportWindow(phase, false);
          }
        },
        5,
        5,
        TimeUnit.SECONDS);
  }

  /**
   * One line of the phase's timeline: the answers since the last line. Every five seconds, and once
   * more when the phase's load has ended ({@code last}), so that its last seconds are reported too.
   * A line every five seconds even when nothing was answered: a phase that hangs still shows.
   */
  private synchronized void reportWindow(LoadGenerator.Phase phase, boolean last) {
    double elapsed = (System.nanoTime() - phase.startNanos) / 1e9;
    if (elapsed < 0) {
      return;
    }
    var window =
        PhaseWindow.of(
            elapsed,
            phase.interval.getIntervalHistogram(),
            phase.intervalFromSend.getIntervalHistogram(),
            phase.refusedInterval.getIntervalHistogram(),
            phase.sendLateNanos.getAndSet(0));
    if (last && window.acks() == 0 && window.refused() == 0) {
      return;
    }
    phase.timeline.add(window);
    say(
        String.format(
            "  %-28s t=%3.0fs sent=%d acked=%d in-flight=%d errors=%d kafka-received=%d"
                + " load=%s | since the last line: %s",
            phase.name,
            elapsed,
            phase.sent.sum(),
            phase.acked.sum(),
            phase.inFlight.get(),
            phase.errorCount(),
            arrivals.received(),
            CpuSampler.loadAverage(),
            window.answers()));
  }

  /** Sends one webhook and waits for it on Kafka: the relay has taken the lead and streams. */
  private void awaitRelay(LoadGenerator load) throws InterruptedException {
    say("waiting for the relay: one webhook, then its record on Kafka");
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    LoadGenerator.Phase phase;
    for (int attempt = 1; ; attempt++) {
      phase = new LoadGenerator.Phase("relay check", "R" + attempt, "1 webhook", 1);
      load.openLoop(phase, 1, Duration.ofMillis(500));
      if (phase.acked.sum() == 1) {
        break;
      }
      // Refused by design right after a cold warm-up (the relay still catching up, or the
      // admission limit full): GoCardless would deliver again, and so does the check.
      boolean refusedByDesign =
          phase.errors.keySet().stream()
              .allMatch(
                  reason ->
                      reason.equals(LoadGenerator.SHED) || reason.equals(LoadGenerator.SATURATED));
      if (!refusedByDesign || System.nanoTime() > deadline) {
        throw new IllegalStateException("The first webhook was not accepted: " + phase.errors);
      }
      say(
          "  the check's webhook was refused by design "
              + phase.errors.keySet()
              + "; again in 1 s");
      Thread.sleep(1_000);
    }
    String id = phase.ackedAt.keySet().iterator().next();
    while (arrivals.arrival(id) == null) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("The relay published nothing within 2 minutes");
      }
      Thread.sleep(100);
    }
    say(
        String.format(
            "relay is streaming (first record %.0f ms after its ack)",
            (arrivals.arrival(id) - phase.ackedAt.get(id)) / 1e6));
  }

  // --- the service ------------------------------------------------------------------------------

  private List<String> serviceArguments(
      BenchPostgres postgres, EmbeddedKafkaServer kafka, int port, int managementPort) {
    // As local-stack runs it, plus: no INFO line per webhook.
    var extra = new java.util.LinkedHashMap<String, String>();
    extra.put("logging.level.io.paybridge", "warn");
    extra.put("paybridge.webhooks.gocardless.secrets", SECRET);
    extra.putAll(settings.serviceProperties());
    return ServiceProcess.arguments(
        port,
        managementPort,
        postgres.jdbcUrl(EmbeddedPostgresServer.databaseNameFor(SERVICE)),
        kafka.bootstrapServers(),
        extra);
  }

  private static long findServicePid() {
    return ProcessHandle.current()
        .children()
        .filter(
            p -> p.info().arguments().map(a -> String.join(" ", a).contains(SERVICE)).orElse(false))
        .mapToLong(ProcessHandle::pid)
        .findFirst()
        .orElse(0);
  }

  private void describeServiceJvm(long pid) {
    var jvmOptions =
        ProcessHandle.of(pid)
            .flatMap(p -> p.info().arguments())
            .map(
                a -> {
                  var options = new ArrayList<String>();
                  for (String arg : a) {
                    if (arg.equals("-jar")) {
                      break;
                    }
                    options.add(arg);
                  }
                  return String.join(" ", options);
                })
            .orElse("?");
    machine.put("Service JVM options (set by ServiceProcess)", "`" + jvmOptions + "`");
    machine.put(
        "Benchmark JVM options (load generator, Kafka broker, consumer; bench.jvmArgs)",
        "`"
            + String.join(
                " ", java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments())
            + "`");
  }

  private String scrapeServiceMetrics(int port) {
    try {
      var http = HttpClient.newHttpClient();
      var body =
          http.send(
                  HttpRequest.newBuilder(
                          URI.create("http://localhost:" + port + "/actuator/prometheus"))
                      .timeout(Duration.ofSeconds(5))
                      .build(),
                  HttpResponse.BodyHandlers.ofString())
              .body();
      return String.join(
          "\n",
          body.lines()
              .filter(line -> !line.startsWith("#") && !line.contains("_bucket{"))
              .filter(
                  line ->
                      line.startsWith("paybridge_")
                          || line.startsWith("hikaricp_connections_pending")
                          || line.startsWith("hikaricp_connections_timeout")
                          || line.startsWith("hikaricp_connections_acquire_seconds")
                          || line.startsWith("jvm_gc_pause_seconds"))
              .toList());
    } catch (IOException e) {
      return "(could not read the service's metrics: " + e + ")";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "(interrupted)";
    }
  }

  // --- the machine ------------------------------------------------------------------------------

  private void describeMachine() {
    machine.put("Date", startedAt.format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
    machine.put("CPU", Machine.cpuModel());
    machine.put("Cores (available to the JVM)", String.valueOf(Machine.cores()));
    machine.put("RAM", Machine.memTotal());
    machine.put("JDK", Machine.jdk());
    machine.put("OS", Machine.osName() + ", kernel " + System.getProperty("os.version"));
    machine.put(
        "Kafka",
        "embedded KRaft broker "
            + org.apache.kafka.common.utils.AppInfoParser.getVersion()
            + " in the benchmark JVM");
    machine.put("Git", Machine.gitCommit() + gitDirty());
  }

  private void describePostgres(BenchPostgres postgres) throws SQLException {
    try (var connection = java.sql.DriverManager.getConnection(postgres.jdbcUrl("bench_baseline"));
        var statement = connection.createStatement()) {
      var settingsSeen = new ArrayList<String>();
      for (String setting :
          List.of(
              "server_version",
              "synchronous_commit",
              "fsync",
              "wal_writer_delay",
              "commit_delay",
              "wal_level",
              "shared_buffers",
              "max_wal_size",
              "data_directory")) {
        try (var rows = statement.executeQuery("show " + setting)) {
          rows.next();
          String value = rows.getString(1);
          if (setting.equals("data_directory")) {
            cpu = new CpuSampler(0, postmasterPid(Path.of(value)));
            probeFsync(Path.of(value).getParent());
            value =
                Machine.command("df", "--output=fstype", value)
                        .lines()
                        .reduce((a, b) -> b)
                        .orElse("?")
                    + " file system ("
                    + value
                    + ")";
          }
          settingsSeen.add(setting + "=" + value);
        }
      }
      machine.put("PostgreSQL (embedded, zonky)", String.join(", ", settingsSeen));
    }
  }

  private void recordDurability() {
    machine.put(
        "Durability",
        switch (settings.durability()) {
          case "production" ->
              "production: fsync=on, synchronous_commit=on (a 204 waits for the WAL flush); the"
                  + " benchmark's own embedded PostgreSQL with EmbeddedPostgresServer's settings";
          case "no-fsync" ->
              "no-fsync: fsync=off, synchronous_commit=on (commits wait for the WAL write, nothing"
                  + " reaches the disk); the benchmark's own embedded PostgreSQL";
          default ->
              "embedded test defaults (EmbeddedPostgresServer): fsync=off, synchronous_commit=off"
                  + " (nothing waits for the disk; a 204 is not durable)";
        });
  }

  /** 8 KiB write + fsync (FileChannel.force) latency, as a WAL flush costs, next to the data. */
  private void probeFsync(Path directory) {
    try {
      Path file = Files.createTempFile(directory, "fsync-probe", ".bin");
      var histogram = new Histogram(10_000_000, 3);
      try (var channel =
          java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.WRITE)) {
        var buffer = java.nio.ByteBuffer.allocate(8192);
        for (int i = 0; i < 300; i++) {
          buffer.clear();
          long begin = System.nanoTime();
          channel.write(buffer, (long) (i % 16) * 8192);
          channel.force(false);
          histogram.recordValue((System.nanoTime() - begin) / 1000);
        }
      } finally {
        Files.deleteIfExists(file);
      }
      machine.put(
          "fsync probe (8 KiB write + fdatasync, 300 times, next to the data directory)",
          "p50 "
              + PhaseResult.ms(histogram, 50)
              + " ms, p99 "
              + PhaseResult.ms(histogram, 99)
              + " ms, max "
              + PhaseResult.max(histogram)
              + " ms");
    } catch (IOException e) {
      machine.put("fsync probe", "failed: " + e);
    }
    machine.put(
        "System call probe (a one-byte read of /dev/zero, 200,000 times)", systemCallProbe());
    machine.put(
        "Kernel writeback (vm.dirty_background_bytes / _ratio, vm.dirty_bytes / _ratio)",
        writebackSetting("dirty_background_bytes")
            + " / "
            + writebackSetting("dirty_background_ratio")
            + " %, "
            + writebackSetting("dirty_bytes")
            + " / "
            + writebackSetting("dirty_ratio")
            + " % (past the background threshold the page cache's dirty data is written back in"
            + " one burst; docs/benchmarks.md, 2026-11-30 19:57)");
  }

  /**
   * What one system call costs on this machine (virtual machines differ by several times: their
   * kernel's mitigations, the hypervisor's exits), which sockets, PostgreSQL and Kafka pay on every
   * request: two runs on machines of the same kind compare only when this is alike.
   */
  private static String systemCallProbe() {
    try (var zero = new java.io.FileInputStream("/dev/zero")) {
      for (int i = 0; i < 20_000; i++) {
        zero.read(); // warm-up
      }
      int calls = 200_000;
      long start = System.nanoTime();
      for (int i = 0; i < calls; i++) {
        zero.read();
      }
      return String.format("%.2f µs per call", (System.nanoTime() - start) / 1e3 / calls);
    } catch (IOException e) {
      return "failed: " + e;
    }
  }

  private static String writebackSetting(String name) {
    try {
      // Read line by line: Files.readString() returned only the first byte of these files (JDK 25).
      return Files.readAllLines(Path.of("/proc/sys/vm", name)).getFirst().strip();
    } catch (IOException e) {
      return "?";
    }
  }

  private static long postmasterPid(Path dataDirectory) {
    try {
      return Long.parseLong(
          Files.readAllLines(dataDirectory.resolve("postmaster.pid")).getFirst().strip());
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }

  private String gitDirty() {
    String status = Machine.command("git", "status", "--porcelain", "--untracked-files=no");
    long changed = status.isBlank() ? 0 : status.lines().count();
    return changed == 0
        ? " (clean)"
        : " (+ " + changed + " uncommitted tracked file(s) in the shared working tree)";
  }

  // --- the report -------------------------------------------------------------------------------

  private String report(
      List<JdbcBaseline.Result> baselines,
      List<PhaseResult> warmups,
      List<PhaseResult> results,
      String serviceMetrics) {
    var out = new StringBuilder();
    out.append("# webhook-ingest-service benchmark, ")
        .append(startedAt.format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm z")))
        .append(" (profile ")
        .append(settings.profile())
        .append(")\n\n");
    String argLine = String.join(" ", args).strip();
    out.append("Command: `")
        .append(DEFAULT_COMMAND)
        .append(
            argLine.isEmpty() || argLine.equals("profile=full")
                ? ""
                : " -Dbench.args=\"" + argLine + "\"")
        .append("` (from the repository root, JAVA_HOME = a JDK 25)\n\n");
    out.append("Settings: `").append(settings).append("`\n\n");

    out.append("## Machine\n\n| | |\n|---|---|\n");
    machine.forEach((k, v) -> out.append("| ").append(k).append(" | ").append(v).append(" |\n"));
    out.append("| Load average (1 min) at start / end | ").append(busiestLoad()).append(" |\n\n");
    out.append(
        "Busiest processes when the benchmark started (`ps -eo pcpu,etime,comm`, CPU % since each started):\n\n```\n");
    busiestAtStart.forEach(line -> out.append(line).append('\n'));
    out.append("```\n\nand when it ended:\n\n```\n");
    CpuSampler.busiestProcesses(8).forEach(line -> out.append(line).append('\n'));
    out.append("```\n\n");

    if (healthSummaries.isEmpty()) {
      out.append("## Targets\n\n");
      out.append(targets(results, baselines, warmups));
    } else {
      out.append(healthComparison(results));
    }

    out.append("\n## Load phases\n\n");
    out.append(
        "Ack latency: from the request's intended send time (open loop) or its send time (closed loop) to the"
            + " 204 received. Ack→Kafka: from the 204 received to the record returned by a consumer poll"
            + " (per event). CPU: cores used on average by the benchmark JVM (load generator + Kafka"
            + " broker + consumer) / the service JVM / PostgreSQL / everything else on the machine.\n\n");
    out.append(
        "| Phase | Load | Webhooks/s | Events/s | Ack p50 | Ack p90 | Ack p99 | Ack p99.9 | Ack max | Ack→Kafka p50 | Ack→Kafka p99 | Ack→Kafka max | Errors | Missing on Kafka | Kafka drain after last ack | Relayed events/s | CPU bench / service / pg / other | CPU ms per webhook: service / pg | Load avg before→after | PostgreSQL WAL and checkpoints; service GC and JIT |\n");
    out.append(
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|---|---|\n");
    for (var result : warmups) {
      out.append(row(result));
    }
    for (var result : results) {
      out.append(row(result));
    }
    out.append("\nLatencies in ms. ");
    var settling = warmups.stream().filter(r -> r.name().startsWith(SETTLE_PHASE)).toList();
    long settledAfter = settling.size() * SETTLE_STEP.toSeconds();
    boolean settled =
        !settling.isEmpty() && jitCores(settling.getLast()) < settings.settleJitCores();
    if (settled) {
      out.append(
          String.format(
              "The judged phases began after %d s of warm-up at %s webhooks/s until the service's JIT"
                  + " compilers took under %.2f of a core over 10 s (rows \"until the JIT settles\"; the"
                  + " JIT's time per phase is in the last column).",
              settledAfter, number(settings.warmupRate()), settings.settleJitCores()));
    } else if (!settling.isEmpty()) {
      out.append(
          String.format(
              "The service's JIT compilers still took %.2f of a core or more after %d s of warm-up"
                  + " (settleMax): the judged phases began anyway, with the JIT still at work.",
              settings.settleJitCores(), settings.settleMax().toSeconds()));
    }
    out.append("\n\n");
    out.append(
        "Busiest other processes during each phase (cores; `java` processes not ours are other"
            + " builds and tests; the parent Maven JVM of the benchmark is counted here"
            + " too):\n\n");
    for (var r : warmups) {
      out.append("- ").append(r.name()).append(": ").append(r.cpu().busiestOthers()).append('\n');
    }
    for (var r : results) {
      out.append("- ").append(r.name()).append(": ").append(r.cpu().busiestOthers()).append('\n');
    }
    out.append('\n');
    out.append(
        "Ack latency per 5-second window of the open-loop phases (t = the window's end; the last"
            + " one ends with the phase's load), the refused requests' answer time from their send"
            + " where there were any, and how late the generator itself sent when that passed 1 ms"
            + " (from the progress output):\n\n");
    for (var r : results) {
      if (r.mode().startsWith("open loop")) {
        out.append("- ").append(r.name()).append(": ").append(timeline(r));
        out.append('\n');
      }
    }
    out.append('\n');

    out.append("## Baseline: the same rows straight into PostgreSQL over JDBC\n\n");
    out.append(
        "Per transaction, with the service's own SQL (read from WebhookRepository.java and OutboxWriter.java):"
            + " the webhook_delivery row and the gocardless_event rows (one statement of `unnest` inserts),"
            + " the outbox_event rows (one `unnest` insert), commit; the schema is the service's, from its Flyway migrations."
            + " Same PostgreSQL server, another database (no replication slot on it). Measured before the"
            + " service was started.\n\n");
    out.append(
        "| Events per transaction | Connections | Transactions/s | Events/s | Txn p50 | Txn p99 | CPU bench / service / pg / other | Load avg before→after | PostgreSQL WAL and checkpoints |\n");
    out.append("|---:|---:|---:|---:|---:|---:|---|---|---|\n");
    for (var b : baselines) {
      out.append(
          String.format(
              "| %d | %d | %s | %s | %s | %s | %s | %s→%s | %s |\n",
              b.eventsPerTransaction(),
              b.connections(),
              number(b.transactionsPerSecond()),
              number(b.eventsPerSecond()),
              PhaseResult.ms(b.commitLatencyMicros(), 50),
              PhaseResult.ms(b.commitLatencyMicros(), 99),
              b.cpu().describe(),
              b.loadBefore(),
              b.loadAfter(),
              b.serverActivity()));
    }
    out.append("\n## Service metrics at the end of the run\n\n```\n")
        .append(serviceMetrics)
        .append("\n```\n");
    notes.forEach(note -> out.append("\n").append(note).append("\n"));
    return out.toString();
  }

  private String loadAtStart;

  private String busiestLoad() {
    return (loadAtStart == null ? "" : loadAtStart + " / ") + CpuSampler.loadAverage();
  }

  private static String timeline(PhaseResult r) {
    return String.join("; ", r.timeline().stream().map(PhaseWindow::toString).toList());
  }

  private static String row(PhaseResult r) {
    String errors =
        r.errors().isEmpty() ? "0" : r.errorCount() + " " + r.errors().toString().replace("|", "/");
    return String.format(
        "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %d of %d | %s | %s | %s | %s | %s→%s | %s |\n",
        r.name(),
        r.mode(),
        number(r.webhooksPerSecond()),
        number(r.eventsPerSecond()),
        PhaseResult.ms(r.ackMicros(), 50),
        PhaseResult.ms(r.ackMicros(), 90),
        PhaseResult.ms(r.ackMicros(), 99),
        PhaseResult.ms(r.ackMicros(), 99.9),
        PhaseResult.max(r.ackMicros()),
        PhaseResult.ms(r.kafkaLagMicros(), 50),
        PhaseResult.ms(r.kafkaLagMicros(), 99),
        PhaseResult.max(r.kafkaLagMicros()),
        errors,
        r.missingOnKafka(),
        r.eventsAcked(),
        Double.isNaN(r.drainSeconds()) ? "–" : String.format("%.1f s", r.drainSeconds()),
        number(r.relayedEventsPerSecond()),
        r.cpu().describe(),
        r.acked() == 0
            ? "–"
            : String.format(
                "%.2f / %.2f",
                1000 * r.cpu().service() / r.acked(), 1000 * r.cpu().postgres() / r.acked()),
        r.loadBefore(),
        r.loadAfter(),
        r.serverActivity());
  }

  /** Accepted requests' p99 ack at twice the saturation rate must stay under this. */
  static final long OVERLOAD_ACCEPTED_P99_MICROS = 500_000;

  /** Refused requests' p99 answer time must stay under this (issue 12: under 50 ms). */
  static final long REFUSED_P99_MICROS = 50_000;

  private String targets(
      List<PhaseResult> results, List<JdbcBaseline.Result> baselines, List<PhaseResult> warmups) {
    var byTag = new LinkedHashMap<String, PhaseResult>();
    var tags = List.of("A", "B", "C", "D", "E", "F", "G");
    for (int i = 0; i < results.size(); i++) {
      byTag.put(tags.get(i), results.get(i));
    }
    var single500 = byTag.get("A");
    var batch500 = byTag.get("B");
    var singleMax = byTag.get("C");
    var batchMax = byTag.get("D");
    var singleTarget = byTag.get("E");
    var batchTarget = byTag.get("F");
    var overload = byTag.get("G");
    var baselineSingle = baseline(baselines, 1, settings.baselineConcurrency());
    var baselineSingleAlone = baseline(baselines, 1, 1);
    var baselineBatch = baseline(baselines, settings.batchSize(), settings.baselineConcurrency());
    var out = new StringBuilder();
    // Why each target missed, in the run's figures; printed under the table.
    var shortfalls = new LinkedHashMap<String, String>();
    String singleTargetName = "≥ 2,500 single-event webhooks/s";
    boolean singleReached = singleMax.webhooksPerSecond() >= 2500 && singleMax.failureCount() == 0;
    boolean singleKept = sustained(singleTarget, settings.singleTargetRate());
    if (!singleReached) {
      shortfalls.put(
          singleTargetName,
          Shortfalls.throughput(
              singleMax,
              2500,
              settings.singleConcurrency(),
              baselineSingle.transactionsPerSecond()));
    } else if (!singleKept) {
      shortfalls.put(
          singleTargetName,
          Shortfalls.fixedRate(singleTarget, singleMax, settings.singleTargetRate()));
    }
    boolean batchReached = batchMax.eventsPerSecond() >= 20_000 && batchMax.failureCount() == 0;
    boolean batchKept = sustained(batchTarget, settings.batchTargetRate());
    String batchTargetName = "≥ 20,000 events/s in batches of " + settings.batchSize();
    if (!batchReached) {
      shortfalls.put(
          batchTargetName,
          Shortfalls.throughput(
              batchMax, 20_000, settings.batchConcurrency(), baselineBatch.eventsPerSecond()));
    } else if (!batchKept) {
      shortfalls.put(
          batchTargetName, Shortfalls.fixedRate(batchTarget, batchMax, settings.batchTargetRate()));
    }
    out.append(
        "Ratios are to the same-run baseline (the service's SQL straight over JDBC, one transaction"
            + " per webhook, "
            + settings.baselineConcurrency()
            + " connections; below).\n\n");
    out.append(
        "| Target | Measured | Ratio to the same-run baseline | Met? |\n|---|---|---|---|\n");
    out.append(
        String.format(
            "| ≥ 2,500 single-event webhooks/s | %s webhooks/s at saturation (%s, ack p99 %s ms, %d"
                + " refused, %d failed); open loop at %s/s: %s/s answered 204, ack p99 %s ms, %d"
                + " refused, %d failed | %s of %s/s | %s |\n",
            number(singleMax.webhooksPerSecond()),
            singleMax.mode(),
            PhaseResult.ms(singleMax.ackMicros(), 99),
            singleMax.refusedCount(),
            singleMax.failureCount(),
            number(settings.singleTargetRate()),
            number(singleTarget.webhooksPerSecond()),
            PhaseResult.ms(singleTarget.ackMicros(), 99),
            singleTarget.refusedCount(),
            singleTarget.failureCount(),
            ratio(singleMax.webhooksPerSecond(), baselineSingle.transactionsPerSecond()),
            number(baselineSingle.transactionsPerSecond()),
            throughputVerdict(singleReached, singleKept)));
    out.append(
        String.format(
            "| ≥ 20,000 events/s in batches of %d | %s events/s at saturation (%s, ack p99 %s ms,"
                + " %d refused, %d failed); open loop at %s events/s: %s events/s answered 204, ack"
                + " p99 %s ms, %d refused, %d failed | %s of %s events/s | %s |\n",
            batchMax.eventsPerWebhook(),
            number(batchMax.eventsPerSecond()),
            batchMax.mode(),
            PhaseResult.ms(batchMax.ackMicros(), 99),
            batchMax.refusedCount(),
            batchMax.failureCount(),
            number(settings.batchTargetRate() * settings.batchSize()),
            number(batchTarget.eventsPerSecond()),
            PhaseResult.ms(batchTarget.ackMicros(), 99),
            batchTarget.refusedCount(),
            batchTarget.failureCount(),
            ratio(batchMax.eventsPerSecond(), baselineBatch.eventsPerSecond()),
            number(baselineBatch.eventsPerSecond()),
            throughputVerdict(batchReached, batchKept)));
    boolean ackMet =
        single500.ackMicros().getValueAtPercentile(99) <= 20_000
            && single500.errorCount() == 0
            && single500.ackMicros().getTotalCount() > 0;
    if (!ackMet) {
      shortfalls.put(
          "p99 ack ≤ 20 ms at 500 webhooks/s",
          Shortfalls.latency(single500, 20_000)
              + (single500.errorCount() == 0
                  ? ""
                  : String.format(" %d requests were not answered 204.", single500.errorCount())));
    }
    out.append(
        String.format(
            "| p99 ack ≤ 20 ms at 500 webhooks/s (open loop) | p99 %s ms (p50 %s, p99.9 %s, max"
                + " %s) at %s, %d errors | %s × the baseline's p99 of one lone transaction (%s ms,"
                + " 1 connection) | %s |\n",
            PhaseResult.ms(single500.ackMicros(), 99),
            PhaseResult.ms(single500.ackMicros(), 50),
            PhaseResult.ms(single500.ackMicros(), 99.9),
            PhaseResult.max(single500.ackMicros()),
            single500.mode(),
            single500.errorCount(),
            String.format(
                "%.1f",
                single500.ackMicros().getValueAtPercentile(99)
                    / (double)
                        Math.max(
                            1, baselineSingleAlone.commitLatencyMicros().getValueAtPercentile(99))),
            PhaseResult.ms(baselineSingleAlone.commitLatencyMicros(), 99),
            verdict(ackMet)));
    boolean lagMet =
        single500.kafkaLagMicros().getValueAtPercentile(99) <= 300_000
            && batch500.kafkaLagMicros().getValueAtPercentile(99) <= 300_000
            && single500.missingOnKafka() == 0
            && batch500.missingOnKafka() == 0;
    if (!lagMet) {
      shortfalls.put(
          "p99 ack→Kafka ≤ 300 ms",
          String.format(
              "The relay carried %s and %s events/s in the two phases; the last acknowledged event"
                  + " was read from Kafka %s and %s after the last ack.",
              number(single500.relayedEventsPerSecond()),
              number(batch500.relayedEventsPerSecond()),
              drain(single500),
              drain(batch500)));
    }
    out.append(
        String.format(
            "| p99 ack→Kafka ≤ 300 ms at 500 events/s | single events: p99 %s ms (max %s);"
                + " batches of %d: p99 %s ms (max %s); missing %d + %d | none (the baseline has no"
                + " relay) | %s |\n",
            PhaseResult.ms(single500.kafkaLagMicros(), 99),
            PhaseResult.max(single500.kafkaLagMicros()),
            batch500.eventsPerWebhook(),
            PhaseResult.ms(batch500.kafkaLagMicros(), 99),
            PhaseResult.max(batch500.kafkaLagMicros()),
            single500.missingOnKafka(),
            batch500.missingOnKafka(),
            verdict(lagMet)));
    if (overload != null) {
      // From the actual send: at twice the saturation rate a generator sharing the 2 cores may
      // itself fall behind the intended times, which is not the service's latency.
      boolean acceptedBounded =
          overload.ackFromSendMicros().getTotalCount() > 0
              && overload.ackFromSendMicros().getValueAtPercentile(99)
                  <= OVERLOAD_ACCEPTED_P99_MICROS;
      boolean refusedFast =
          overload.refusedMicros().getTotalCount() == 0
              || overload.refusedMicros().getValueAtPercentile(99) < REFUSED_P99_MICROS;
      boolean overloadMet =
          acceptedBounded
              && refusedFast
              && overload.failureCount() == 0
              && overload.missingOnKafka() == 0;
      out.append(
          String.format(
              "| at %.0f× the saturation rate: accepted p99 bounded (≤ %d ms), refused answered in"
                  + " < %d ms (both from the actual send), every accepted event on Kafka | %s:"
                  + " the generator sent %s/s; %s/s answered 204 (ack p99 %s ms from the actual"
                  + " send, %s ms from the intended send time); %d refused (answer p50 %s, p99 %s,"
                  + " max %s ms)%s; %d failed; %d of %d accepted events missing on Kafka | accepted"
                  + " %s of the baseline's %s/s | %s |\n",
              settings.overloadFactor(),
              OVERLOAD_ACCEPTED_P99_MICROS / 1000,
              REFUSED_P99_MICROS / 1000,
              overload.mode(),
              number(overload.sent() / overload.seconds()),
              number(overload.webhooksPerSecond()),
              PhaseResult.ms(overload.ackFromSendMicros(), 99),
              PhaseResult.ms(overload.ackMicros(), 99),
              overload.refusedCount(),
              PhaseResult.ms(overload.refusedMicros(), 50),
              PhaseResult.ms(overload.refusedMicros(), 99),
              PhaseResult.max(overload.refusedMicros()),
              overload.serviceRefusals().isEmpty()
                  ? ""
                  : ", of which " + overload.serviceRefusals(),
              overload.failureCount(),
              overload.missingOnKafka(),
              overload.eventsAcked(),
              ratio(overload.webhooksPerSecond(), baselineSingle.transactionsPerSecond()),
              number(baselineSingle.transactionsPerSecond()),
              verdict(overloadMet)));
      if (!overloadMet) {
        shortfalls.put(
            String.format("at %.0f× the saturation rate", settings.overloadFactor()),
            Shortfalls.overload(overload, OVERLOAD_ACCEPTED_P99_MICROS, REFUSED_P99_MICROS));
      }
    }
    if (!warmups.isEmpty()) {
      var first = warmups.getFirst();
      out.append(
          String.format(
              "| start: time to ready, then the first %d s (%s) | ready %.2f s after the process"
                  + " started; then ack p99 %s ms (max %s), %d refused, %d failed | – |"
                  + " informational (profile warmup compares the AOT cache) |\n",
              settings.warmupDuration().toSeconds(),
              first.mode(),
              readySeconds,
              PhaseResult.ms(first.ackMicros(), 99),
              PhaseResult.max(first.ackMicros()),
              first.refusedCount(),
              first.failureCount()));
    }
    if (!shortfalls.isEmpty()) {
      out.append(
          "\n### Why a target was not met\n\nFrom this run's own figures: where the cores went"
              + " (bench / service / PostgreSQL / other), the five-second windows of the phase, how"
              + " late the generator itself sent, and the service's own timers. They say what"
              + " limited this run on this machine, not what another machine would do.\n\n");
      shortfalls.forEach(
          (target, why) ->
              out.append("- **").append(target).append("**: ").append(why).append('\n'));
    }
    return out.toString();
  }

  private static String drain(PhaseResult phase) {
    return Double.isNaN(phase.drainSeconds())
        ? "never"
        : String.format("%.1f s", phase.drainSeconds());
  }

  private static JdbcBaseline.Result baseline(
      List<JdbcBaseline.Result> baselines, int events, int connections) {
    return baselines.stream()
        .filter(b -> b.eventsPerTransaction() == events && b.connections() == connections)
        .findFirst()
        .orElseThrow();
  }

  private static String ratio(double measured, double baseline) {
    return baseline <= 0 ? "–" : String.format("%.0f %%", 100 * measured / baseline);
  }

  /** Profile {@code health}: the webhooks' ack latency without and with the health bursts. */
  private String healthComparison(List<PhaseResult> results) {
    var out =
        new StringBuilder("## Webhook latency without and with concurrent health requests\n\n");
    out.append(
        String.format(
            "Health requests: `GET %s` on the management port, in bursts of %d sent at once, one"
                + " burst every %d ms (the next waits for the last answer of the previous), during"
                + " the phases marked so.\n\n",
            settings.healthPath(),
            settings.healthConcurrency(),
            settings.healthInterval().toMillis()));
    out.append(
        "| Phase | Webhooks/s | Ack p50 | Ack p90 | Ack p99 | Ack p99.9 | Ack max | Errors | CPU bench / service / pg / other | Load avg before→after | Health requests |\n");
    out.append("|---|---:|---:|---:|---:|---:|---:|---:|---|---|---|\n");
    int health = 0;
    for (var r : results) {
      String requests =
          r.name().contains("no health") ? "none" : healthSummaries.get(health++).describe();
      out.append(
          String.format(
              "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s→%s | %s |\n",
              r.name(),
              number(r.webhooksPerSecond()),
              PhaseResult.ms(r.ackMicros(), 50),
              PhaseResult.ms(r.ackMicros(), 90),
              PhaseResult.ms(r.ackMicros(), 99),
              PhaseResult.ms(r.ackMicros(), 99.9),
              PhaseResult.max(r.ackMicros()),
              r.errorCount(),
              r.cpu().describe(),
              r.loadBefore(),
              r.loadAfter(),
              requests));
    }
    return out.append("\nLatencies in ms.\n").toString();
  }

  /**
   * Whether a fixed arrival rate was kept up with: at least 98% of it answered with 204, at most 1%
   * errors, and a p99 ack under the 10 s GoCardless waits.
   */
  private static boolean sustained(PhaseResult phase, double rate) {
    return phase.webhooksPerSecond() >= 0.98 * rate
        && phase.errorCount() <= 0.01 * phase.sent()
        && phase.ackMicros().getValueAtPercentile(99) < 10_000_000;
  }

  /** Met only when both the saturation run and the fixed arrival rate reach the target. */
  private static String throughputVerdict(boolean saturation, boolean fixedRate) {
    if (saturation && fixedRate) {
      return "**met**";
    }
    if (saturation) {
      return "**partly met**: reached at saturation (closed loop), not kept up with at a fixed"
          + " arrival rate";
    }
    if (fixedRate) {
      return "**partly met**: kept up with at a fixed arrival rate, not reached at saturation";
    }
    return "**not met**";
  }

  private static String verdict(boolean met) {
    return met ? "**met**" : "**not met**";
  }

  private void say(String message) {
    System.out.println("[bench " + java.time.LocalTime.now().withNano(0) + "] " + message);
  }
}
