package io.paybridge.bench;

import com.sun.net.httpserver.HttpServer;
import io.paybridge.platform.events.EventHeaders;
import io.paybridge.platform.events.Topics;
import io.paybridge.platform.testsupport.EmbeddedKafkaServer;
import io.paybridge.platform.testsupport.EmbeddedPostgresServer;
import io.paybridge.platform.testsupport.ServiceProcess;
import io.paybridge.platform.testsupport.http.Http;
import io.paybridge.platform.testsupport.oidc.TestIssuer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * notification-service under load on this machine ({@code profile=notifications}): facts produced
 * to {@code billing.payment} for ten teams, each subscribed with one webhook endpoint (a JDK HTTP
 * server of its own in this JVM that verifies every signature), delivered by the service running
 * from its jar as in production. Measures the deliveries per second at saturation, the latency from
 * a fact being on Kafka (the producer's acknowledgement) to its delivery arriving at 200 facts/s,
 * and the same while an eleventh team's endpoint takes 10 s per request. Results in
 * bench/results/notifications-*.md; see docs/benchmarks.md.
 */
final class NotificationBenchmark {

  static final String SERVICE = "notification-service";
  private static final List<String> SERVICE_JVM_OPTIONS = List.of("-Xmx768m", "-Xms768m");
  private static final int TEAMS = 10;
  private static final String AUDIENCE = "notification-service";

  private final Map<String, String> options;
  private final Path root = Path.of("").toAbsolutePath();
  private final LocalDateTime startedAt = LocalDateTime.now(ZoneOffset.UTC);

  /** bench id → nanoTime of the producer's acknowledgement. */
  private final Map<String, Long> acked = new ConcurrentHashMap<>();

  /** bench id → nanoTime of arrival at its receiver (first arrival). */
  private final Map<String, Long> arrived = new ConcurrentHashMap<>();

  private final AtomicLong badSignatures = new AtomicLong();
  private final AtomicLong duplicates = new AtomicLong();
  private final List<HttpServer> receivers = new ArrayList<>();
  private final Map<String, String> secrets = new ConcurrentHashMap<>();
  private final StringBuilder report = new StringBuilder();
  private KafkaProducer<String, String> producer;
  private CpuSampler cpu = new CpuSampler(0, 0);

  private NotificationBenchmark(Map<String, String> options) {
    this.options = options;
  }

  /** Runs the benchmark ({@code profile=notifications}) and exits the JVM with its status. */
  static void run(String[] args) {
    var options = BenchMain.options(Map.of(), args);
    BenchMain.runAndExit(() -> new NotificationBenchmark(options).run());
  }

  private Duration option(String name, String fallback) {
    return Duration.parse("PT" + options.getOrDefault(name, fallback).toUpperCase());
  }

  private void run() throws Exception {
    say("notification benchmark, run " + startedAt);
    String loadAtStart = CpuSampler.loadAverage();
    var busiestAtStart = CpuSampler.busiestProcesses(6);
    var postgres = BenchPostgres.start(options.getOrDefault("durability", "production"));
    var kafka = EmbeddedKafkaServer.shared();
    kafka.createTopics(
        Topics.BILLING_PAYMENT, Topics.MERCHANTS_CONNECTION, Topics.NOTIFICATIONS_DELIVERY);
    var issuer = TestIssuer.get();
    int port = freePort();
    int managementPort = freePort();
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    var extra = new LinkedHashMap<String, String>();
    extra.put("logging.level.io.paybridge", "warn");
    extra.put("paybridge.security.jwt.issuer-uri", issuer.issuerUri());
    extra.put("paybridge.security.jwt.audiences", AUDIENCE);
    extra.put("paybridge.notification.secrets.keys.bench", Base64.getEncoder().encodeToString(key));
    extra.put("paybridge.notification.secrets.active-key-id", "bench");
    extra.put("paybridge.notification.endpoints.allow-http", "true");
    extra.put("paybridge.notification.egress.allowed-networks", "127.0.0.0/8");
    extra.put("spring.mail.host", "127.0.0.1");
    var service =
        new ServiceProcess(
                SERVICE,
                root.resolve(SERVICE + "/target"),
                port,
                managementPort,
                ServiceProcess.arguments(
                    port,
                    managementPort,
                    postgres.jdbcUrl(EmbeddedPostgresServer.databaseNameFor(SERVICE)),
                    kafka.bootstrapServers(),
                    extra),
                root.resolve("bench/target/logs"))
            .withJvmOptions(SERVICE_JVM_OPTIONS);
    say("starting " + SERVICE + " (log: " + service.log() + ")");
    service.start();
    Runtime.getRuntime().addShutdownHook(new Thread(service::stop));
    try {
      service.awaitReady(Duration.ofMinutes(3));
      long servicePid =
          ProcessHandle.current()
              .children()
              .filter(
                  p ->
                      p.info()
                          .arguments()
                          .map(a -> String.join(" ", a).contains(SERVICE))
                          .orElse(false))
              .mapToLong(ProcessHandle::pid)
              .findFirst()
              .orElse(0);
      cpu = new CpuSampler(servicePid, postmasterPid(postgres));
      String api = "http://127.0.0.1:" + port;
      for (int i = 0; i < TEAMS; i++) {
        subscribe(api, issuer, "bench-team-" + i, Duration.ZERO);
      }
      var properties = new Properties();
      properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
      properties.put(ProducerConfig.ACKS_CONFIG, "all");
      properties.put(ProducerConfig.LINGER_MS_CONFIG, "1");
      producer = new KafkaProducer<>(properties, new StringSerializer(), new StringSerializer());

      heading(loadAtStart, busiestAtStart);
      phase("warm-up (not judged)", 200, option("warmupDuration", "20s"), false);
      phase("saturation: 20,000 facts sent at once", 0, option("throughputDuration", "60s"), false);
      phase("fixed rate 200 facts/s", 200, option("latencyDuration", "60s"), false);
      subscribe(api, issuer, "bench-slow", Duration.ofSeconds(10));
      phase(
          "fixed rate 200 facts/s, one more team whose endpoint takes 10 s per request",
          200,
          option("latencyDuration", "60s"),
          true);
      report.append("\nLoad average at the end: ").append(CpuSampler.loadAverage()).append('\n');
      report.append("Signatures that did not verify: ").append(badSignatures.get()).append('\n');
      report
          .append("Deliveries that arrived twice (same fact at the same receiver): ")
          .append(duplicates.get())
          .append('\n');
      Path file =
          root.resolve(
              "bench/results/notifications-"
                  + startedAt.format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmm"))
                  + ".md");
      Files.createDirectories(file.getParent());
      Files.writeString(file, report.toString());
      System.out.println(report);
      say("results written to " + root.relativize(file));
    } finally {
      if (producer != null) {
        producer.close();
      }
      receivers.forEach(r -> r.stop(0));
      service.stop();
      kafka.close();
      postgres.close();
    }
  }

  private void heading(String loadAtStart, List<String> busiest) throws IOException {
    report.append("# notification-service benchmark, ").append(startedAt).append(" UTC\n\n");
    report
        .append("- Machine: ")
        .append(Runtime.getRuntime().availableProcessors())
        .append(" cores, ")
        .append(Files.readAllLines(Path.of("/proc/meminfo")).getFirst().replaceAll("\\s+", " "))
        .append('\n');
    report.append("- Load average at start: ").append(loadAtStart).append('\n');
    report
        .append("- Busiest other processes at start: ")
        .append(String.join("; ", busiest))
        .append('\n');
    report
        .append("- Service: ")
        .append(SERVICE)
        .append(" jar, JVM ")
        .append(SERVICE_JVM_OPTIONS)
        .append(", default delivery settings (4 in flight per endpoint, 512 per instance)\n");
    report
        .append("- PostgreSQL 17 (embedded) with durability `")
        .append(options.getOrDefault("durability", "production"))
        .append("`; Kafka embedded KRaft broker in the benchmark JVM; ")
        .append(TEAMS)
        .append(
            " teams, one webhook endpoint each (a JDK HttpServer per endpoint in the benchmark JVM, verifying every signature)\n\n");
    report.append(
        "| Phase | Facts | Delivered | Missing | Deliveries/s | p50 ms | p90 ms | p99 ms | max ms | CPU bench / service / postgres / other (cores) |\n");
    report.append("|---|---|---|---|---|---|---|---|---|---|\n");
  }

  /**
   * Produces facts to the ten teams round-robin at {@code rate} per second (0: as fast as the
   * producer takes them), waits for every one to arrive, and reports.
   */
  private void phase(String name, double rate, Duration duration, boolean slowTeamToo)
      throws Exception {
    say(name + " for " + duration);
    var ids = new ArrayList<String>();
    var slowIds = new ArrayList<String>();
    var before = cpu.sample();
    long start = System.nanoTime();
    long end = start + duration.toNanos();
    long sent = 0;
    long maxFacts =
        rate > 0
            ? Long.MAX_VALUE
            : Long.parseLong(options.getOrDefault("saturationFacts", "20000"));
    while (System.nanoTime() < end && sent < maxFacts) {
      if (rate > 0) {
        long due = start + (long) (sent * 1e9 / rate);
        long wait = due - System.nanoTime();
        if (wait > 0) {
          LockSupport.parkNanos(wait);
        }
      }
      String team;
      if (slowTeamToo && sent % 20 == 0) {
        team = "bench-slow";
      } else {
        team = "bench-team-" + (sent % TEAMS);
      }
      String id = send(team);
      (team.equals("bench-slow") ? slowIds : ids).add(id);
      sent++;
      if (rate == 0 && sent % 2000 == 0) {
        producer.flush();
      }
    }
    producer.flush();
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    while (System.nanoTime() < deadline && !ids.stream().allMatch(arrived::containsKey)) {
      Thread.sleep(100);
    }
    var usage = cpu.sample().since(before);
    var histogram = new Histogram(3_600_000L, 3);
    long first = Long.MAX_VALUE;
    long last = 0;
    int delivered = 0;
    for (String id : ids) {
      Long at = arrived.get(id);
      Long ack = acked.get(id);
      if (at == null || ack == null) {
        continue;
      }
      delivered++;
      first = Math.min(first, ack);
      last = Math.max(last, at);
      histogram.recordValue(Math.max(0, (at - ack) / 1_000_000));
    }
    double perSecond = delivered / Math.max(1e-9, (last - first) / 1e9);
    String row =
        String.format(
            "| %s | %d | %d | %d | %.0f | %d | %d | %d | %d | %s |%n",
            name,
            ids.size(),
            delivered,
            ids.size() - delivered,
            perSecond,
            histogram.getValueAtPercentile(50),
            histogram.getValueAtPercentile(90),
            histogram.getValueAtPercentile(99),
            histogram.getMaxValue(),
            usage.describe());
    report.append(row);
    say(row.strip());
    if (!slowIds.isEmpty()) {
      long slowArrived = slowIds.stream().filter(arrived::containsKey).count();
      String note =
          String.format(
              "  (the slow team: %d facts, %d delivered by the end of the phase; its endpoint serves 4 at a time, 10 s each)%n",
              slowIds.size(), slowArrived);
      report.append(note);
      say(note.strip());
    }
  }

  private String send(String team) {
    String id = UUID.randomUUID().toString();
    String json =
        "{\"paymentId\":\"PM"
            + id.substring(0, 8)
            + "\",\"team\":\""
            + team
            + "\",\"benchId\":\""
            + id
            + "\",\"amount\":1250,\"currency\":\"GBP\"}";
    var record =
        new ProducerRecord<String, String>(Topics.BILLING_PAYMENT, "PM" + id.substring(0, 8), json);
    record.headers().add(EventHeaders.ID, id.getBytes(StandardCharsets.UTF_8));
    record
        .headers()
        .add(EventHeaders.EVENT_TYPE, "PaymentConfirmed".getBytes(StandardCharsets.UTF_8));
    record.headers().add(EventHeaders.TENANT, team.getBytes(StandardCharsets.UTF_8));
    producer.send(
        record,
        (metadata, error) -> {
          if (error == null) {
            acked.put(id, System.nanoTime());
          }
        });
    return id;
  }

  private void subscribe(String api, TestIssuer issuer, String team, Duration delay)
      throws IOException {
    var server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 200);
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext(
        "/",
        exchange -> {
          long now = System.nanoTime();
          byte[] body = exchange.getRequestBody().readAllBytes();
          var headers = exchange.getRequestHeaders();
          if (!verifies(
              secrets.get(team),
              headers.getFirst("webhook-id"),
              headers.getFirst("webhook-timestamp"),
              headers.getFirst("webhook-signature"),
              body)) {
            badSignatures.incrementAndGet();
          }
          String text = new String(body, StandardCharsets.UTF_8);
          int at = text.indexOf("\"benchId\":\"");
          if (at >= 0) {
            String id = text.substring(at + 11, text.indexOf('"', at + 11));
            if (arrived.putIfAbsent(id, now) != null) {
              duplicates.incrementAndGet();
            }
          }
          if (!delay.isZero()) {
            try {
              Thread.sleep(delay);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
          exchange.sendResponseHeaders(204, -1);
          exchange.close();
        });
    server.start();
    receivers.add(server);
    String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/hooks";
    String token = issuer.teamToken(team, AUDIENCE, "notifications:read", "notifications:write");
    var created =
        Http.postJson(
            api + "/notifications/endpoints",
            token,
            "{\"url\":\"" + url + "\",\"eventTypes\":[\"billing.*\"]}");
    if (created.status() != 201) {
      throw new IllegalStateException("Could not subscribe " + team + ": " + created.body());
    }
    secrets.put(team, created.json().get("secret").asString());
  }

  private static boolean verifies(
      String secret, String id, String timestamp, String signatures, byte[] body) {
    if (secret == null || id == null || timestamp == null || signatures == null) {
      return false;
    }
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.substring(6)), "HmacSHA256"));
      mac.update((id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
      byte[] expected = mac.doFinal(body);
      for (String entry : signatures.split(" ")) {
        if (entry.startsWith("v1,")
            && MessageDigest.isEqual(expected, Base64.getDecoder().decode(entry.substring(3)))) {
          return true;
        }
      }
      return false;
    } catch (Exception e) {
      return false;
    }
  }

  private static long postmasterPid(BenchPostgres postgres) {
    try (var connection = java.sql.DriverManager.getConnection(postgres.jdbcUrl("bench_baseline"));
        var statement = connection.createStatement();
        var rows = statement.executeQuery("show data_directory")) {
      rows.next();
      return Long.parseLong(
          Files.readAllLines(Path.of(rows.getString(1)).resolve("postmaster.pid"))
              .getFirst()
              .strip());
    } catch (Exception e) {
      return 0;
    }
  }

  private static int freePort() throws IOException {
    try (var socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static void say(String message) {
    System.out.println("[bench] " + message);
  }
}
