package io.paybridge.bench;

import io.paybridge.platform.events.EventHeaders;
import io.paybridge.platform.events.Topics;
import io.paybridge.platform.testsupport.EmbeddedKafkaServer;
import io.paybridge.platform.testsupport.EmbeddedPostgresServer;
import io.paybridge.platform.testsupport.Machine;
import io.paybridge.platform.testsupport.ServiceProcess;
import io.paybridge.platform.testsupport.http.MerchantTokenEndpoint;
import io.paybridge.platform.testsupport.oidc.TestIssuer;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The latency billing-service adds to creating a billing request (issue 8: at 100 requests/s, p99 ≤
 * 50 ms added by billing-service), against the same create made straight to GoCardless (the
 * simulator) at the same rate in the same run.
 *
 * <p>Processes: the GoCardless simulator from its executable jar, with its seeded organisations
 * (one per merchant) and GoCardless's rate limit (1000 requests a minute per token; the load is
 * spread over {@code merchants} so that neither side's limiter refuses); billing-service from its
 * jar with the benchmark's JVM options, on an embedded PostgreSQL 17 with production durability
 * (fsync on) and the embedded broker. In this JVM: test-support's OIDC issuer (the team's JWT and
 * billing-service's client-credentials token) and its stand-in of oauth-service's merchant-token
 * endpoint. The merchants are announced on {@code merchants.connection}.
 *
 * <p>Open loop (each latency from the request's intended send time: no coordinated omission) at
 * {@code rate} creates/s, each with a new {@code Idempotency-Key}: a warm-up of both targets, then
 * {@code rounds} pairs of measured phases of {@code measure} each, GoCardless directly then through
 * billing-service. Added latency = billing-service's percentile − the direct one, over all measured
 * phases. Writes {@code bench/results/billing-api-<yyyyMMdd-HHmm>.md}.
 *
 * <p>{@code ./mvnw -pl bench -am -Pbench-billing-api package -DskipTests
 * [-Dbench.billing-api.args="rate=100 warmup=30s measure=30s rounds=2 merchants=20"]}
 */
public final class BillingApiBenchmark {

  static final String SERVICE = "billing-service";
  static final String TEAM = "team-bench";
  static final double TARGET_ADDED_P99_MS = 50;

  private final Map<String, String> settings;
  private final Path root = Path.of("").toAbsolutePath();
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  private BillingApiBenchmark(Map<String, String> settings) {
    this.settings = settings;
  }

  public static void main(String[] args) throws Exception {
    var defaults = new LinkedHashMap<String, String>();
    defaults.put("rate", "100");
    defaults.put("warmup", "30s");
    defaults.put("measure", "30s");
    defaults.put("rounds", "2");
    defaults.put("merchants", "20");
    var values = BenchMain.options(defaults, args);
    BenchMain.runAndExit(() -> new BillingApiBenchmark(values).measure());
  }

  /** One merchant: PayBridge's id, and its organisation and token at GoCardless. */
  record Merchant(String id, String organisationId, String accessToken) {}

  /** One phase's numbers. */
  record Result(String name, double seconds, long ok, Map<String, Long> errors, Histogram micros) {

    double ms(double percentile) {
      return micros.getValueAtPercentile(percentile) / 1000.0;
    }

    double maxMs() {
      return micros.getMaxValue() / 1000.0;
    }
  }

  private void measure() throws Exception {
    String loadAtStart = CpuSampler.loadAverage();
    ZonedDateTime startedAt = ZonedDateTime.now();
    say("billing API latency benchmark " + settings + "; load average " + loadAtStart);
    double rate = Double.parseDouble(settings.get("rate"));
    Duration warmup = Duration.parse("PT" + settings.get("warmup"));
    Duration measure = Duration.parse("PT" + settings.get("measure"));
    int rounds = Integer.parseInt(settings.get("rounds"));
    int merchantCount = Integer.parseInt(settings.get("merchants"));

    var merchants = new ArrayList<Merchant>();
    var seeds = new StringBuilder();
    for (int i = 0; i < merchantCount; i++) {
      String suffix = String.format("%02d", i);
      var merchant =
          new Merchant(
              UUID.randomUUID().toString(), "OR0000BENCHA" + suffix, "bench-token-" + suffix);
      merchants.add(merchant);
      seeds
          .append(merchant.organisationId())
          .append("|CR0000BENCHA")
          .append(suffix)
          .append("|Bench Merchant ")
          .append(suffix)
          .append("|successful|")
          .append(merchant.accessToken())
          .append(';');
    }
    Path logs = root.resolve("bench/target/logs");
    Files.createDirectories(logs);
    int simulatorPort = freePort();
    String simulatorUrl = "http://127.0.0.1:" + simulatorPort;
    var simulator =
        new ProcessBuilder(
                List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xms512m",
                    "-Xmx512m",
                    "-jar",
                    root.resolve("gocardless-simulator/target/gocardless-simulator.jar").toString(),
                    "--port=" + simulatorPort,
                    "--organisations=" + seeds))
            .redirectErrorStream(true)
            .redirectOutput(logs.resolve("gocardless-simulator.log").toFile())
            .start();
    Runtime.getRuntime().addShutdownHook(new Thread(simulator::destroyForcibly));

    var postgres = BenchPostgres.start("production");
    var kafka = EmbeddedKafkaServer.shared();
    kafka.createTopics(Topics.MERCHANTS_CONNECTION, Topics.BILLING_BILLING_REQUEST);
    var issuer = TestIssuer.get();
    var tokens = MerchantTokenEndpoint.forClients(SERVICE);
    merchants.forEach(m -> tokens.connect(m.id(), m.organisationId(), m.accessToken()));
    String jdbcUrl = postgres.jdbcUrl(EmbeddedPostgresServer.databaseNameFor(SERVICE));
    var extra = new LinkedHashMap<String, String>();
    extra.put("logging.level.io.paybridge", "warn");
    extra.put("paybridge.security.jwt.issuer-uri", issuer.issuerUri());
    extra.put("paybridge.gocardless.base-url", simulatorUrl + "/");
    extra.put("paybridge.gocardless.environment", "simulator");
    extra.put("paybridge.gocardless.merchant-tokens-url", tokens.url());
    extra.put(
        "spring.security.oauth2.client.provider.paybridge-idp.token-uri",
        issuer.issuerUri() + "/token");
    extra.put("spring.security.oauth2.client.registration.oauth-service.client-secret", "bench");
    int port = freePort();
    int managementPort = freePort();
    var service =
        new ServiceProcess(
                SERVICE,
                root.resolve(SERVICE + "/target"),
                port,
                managementPort,
                ServiceProcess.arguments(
                    port, managementPort, jdbcUrl, kafka.bootstrapServers(), extra),
                logs)
            .withJvmOptions(WebhookIngestBenchmark.SERVICE_JVM_OPTIONS);
    say("starting " + SERVICE + " (log " + root.relativize(service.log()) + ")");
    service.start();
    Runtime.getRuntime().addShutdownHook(new Thread(service::stop));
    List<Result> direct = new ArrayList<>();
    List<Result> through = new ArrayList<>();
    try {
      awaitSimulator(simulatorUrl, merchants.getFirst());
      service.awaitReady(Duration.ofMinutes(3));
      announce(kafka.bootstrapServers(), merchants, jdbcUrl);
      String token = issuer.teamToken(TEAM, SERVICE, "payments:read", "payments:write");
      Target gocardless = new Target.Direct(simulatorUrl, merchants);
      Target billing = new Target.Billing("http://127.0.0.1:" + port, token, merchants);

      say("warm-up: " + warmup + " at " + rate + "/s through billing-service, then directly");
      openLoop("warm-up billing-service", billing, rate, warmup);
      openLoop("warm-up direct", gocardless, rate, warmup.dividedBy(3));
      for (int round = 1; round <= rounds; round++) {
        direct.add(openLoop("direct #" + round, gocardless, rate, measure));
        through.add(openLoop("billing-service #" + round, billing, rate, measure));
      }
    } finally {
      service.stop();
      simulator.destroy();
      simulator.waitFor(30, TimeUnit.SECONDS);
      tokens.close();
    }
    String report =
        report(
            startedAt,
            loadAtStart,
            CpuSampler.loadAverage(),
            direct,
            through,
            rate,
            measure,
            merchantCount);
    System.out.println(report);
    Path file =
        root.resolve(
            "bench/results/billing-api-"
                + DateTimeFormatter.ofPattern("yyyyMMdd-HHmm").format(LocalDateTime.now())
                + ".md");
    Files.createDirectories(file.getParent());
    Files.writeString(file, report);
    say("results written to " + root.relativize(file));
  }

  /** Where the creates go. */
  sealed interface Target {

    HttpRequest create(long n);

    /** GoCardless's {@code POST /billing_requests} with the merchant's token. */
    record Direct(String baseUrl, List<Merchant> merchants) implements Target {
      @Override
      public HttpRequest create(long n) {
        var merchant = merchants.get((int) (n % merchants.size()));
        return HttpRequest.newBuilder(URI.create(baseUrl + "/billing_requests"))
            .timeout(Duration.ofSeconds(10))
            .header("Authorization", "Bearer " + merchant.accessToken())
            .header("GoCardless-Version", "2015-07-06")
            .header("Content-Type", "application/json")
            .header("Idempotency-Key", "direct-" + UUID.randomUUID())
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    """
                    {"billing_requests":{"payment_request":{"amount":1500,"currency":"GBP",
                     "description":"Bench order"}}}
                    """))
            .build();
      }
    }

    /** billing-service's {@code POST /billing-requests} with the team's JWT. */
    record Billing(String baseUrl, String token, List<Merchant> merchants) implements Target {
      @Override
      public HttpRequest create(long n) {
        var merchant = merchants.get((int) (n % merchants.size()));
        return HttpRequest.newBuilder(URI.create(baseUrl + "/billing-requests"))
            .timeout(Duration.ofSeconds(10))
            .header("Authorization", "Bearer " + token)
            .header("Content-Type", "application/json")
            .header("Idempotency-Key", "bench-" + UUID.randomUUID())
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    """
                    {"merchantId":"%s","paymentRequest":{"amount":1500,"currency":"GBP",
                     "description":"Bench order"}}
                    """
                        .formatted(merchant.id())))
            .build();
      }
    }
  }

  private Result openLoop(String name, Target target, double rate, Duration duration)
      throws InterruptedException {
    var micros = new ConcurrentHistogram(Duration.ofMinutes(1).toNanos() / 1000, 3);
    var ok = new LongAdder();
    var errors = new ConcurrentHashMap<String, LongAdder>();
    long interval = Math.round(1e9 / rate);
    long start = System.nanoTime() + 20_000_000;
    long end = start + duration.toNanos();
    try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
      for (long i = 0; ; i++) {
        long intended = start + i * interval;
        if (intended >= end) {
          break;
        }
        long wait;
        while ((wait = intended - System.nanoTime()) > 0) {
          LockSupport.parkNanos(wait);
        }
        long n = i;
        executor.execute(() -> send(target.create(n), intended, micros, ok, errors));
      }
    }
    var counted = new TreeMap<String, Long>();
    errors.forEach((k, v) -> counted.put(k, v.sum()));
    var result = new Result(name, duration.toMillis() / 1000.0, ok.sum(), counted, micros);
    say(line(result));
    return result;
  }

  private void send(
      HttpRequest request,
      long intended,
      Histogram micros,
      LongAdder ok,
      Map<String, LongAdder> errors) {
    try {
      var response = http.send(request, HttpResponse.BodyHandlers.discarding());
      if (response.statusCode() == 201) {
        micros.recordValue(Math.max(0, (System.nanoTime() - intended) / 1000));
        ok.increment();
      } else {
        errors.computeIfAbsent("HTTP " + response.statusCode(), k -> new LongAdder()).increment();
      }
    } catch (IOException e) {
      errors.computeIfAbsent(e.getClass().getSimpleName(), k -> new LongAdder()).increment();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void awaitSimulator(String url, Merchant merchant) throws Exception {
    long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
    while (System.nanoTime() < deadline) {
      try {
        var response =
            http.send(
                HttpRequest.newBuilder(URI.create(url + "/creditors"))
                    .header("Authorization", "Bearer " + merchant.accessToken())
                    .header("GoCardless-Version", "2015-07-06")
                    .build(),
                HttpResponse.BodyHandlers.discarding());
        if (response.statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(250);
    }
    throw new IllegalStateException("The simulator did not answer; see bench/target/logs");
  }

  /** The merchants' connection facts, as oauth-service publishes them; returns once applied. */
  private static void announce(String bootstrapServers, List<Merchant> merchants, String jdbcUrl)
      throws Exception {
    try (var producer =
        new KafkaProducer<>(
            Map.<String, Object>of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers),
            new StringSerializer(),
            new StringSerializer())) {
      for (var merchant : merchants) {
        var record =
            new ProducerRecord<>(
                Topics.MERCHANTS_CONNECTION,
                merchant.id(),
                """
                {"merchantId":"%s","team":"%s","organisationId":"%s","creditorId":"%s",
                 "verificationStatus":"successful","connectedAt":"%s"}
                """
                    .formatted(
                        merchant.id(),
                        TEAM,
                        merchant.organisationId(),
                        merchant.organisationId().replace("OR", "CR"),
                        Instant.now()));
        header(record, EventHeaders.ID, UUID.randomUUID().toString());
        header(record, EventHeaders.EVENT_TYPE, "MerchantConnected");
        header(record, EventHeaders.TENANT, TEAM);
        producer.send(record).get();
      }
    }
    try (var db =
        DriverManager.getConnection(
            jdbcUrl, EmbeddedPostgresServer.USER, EmbeddedPostgresServer.PASSWORD)) {
      long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
      while (true) {
        try (var statement = db.createStatement();
            var rows = statement.executeQuery("select count(*) from merchant")) {
          rows.next();
          if (rows.getLong(1) >= merchants.size()) {
            return;
          }
        }
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("billing-service did not learn the merchants");
        }
        Thread.sleep(100);
      }
    }
  }

  private static String report(
      ZonedDateTime startedAt,
      String loadAtStart,
      String loadAtEnd,
      List<Result> direct,
      List<Result> through,
      double rate,
      Duration measure,
      int merchants) {
    var d = merged("GoCardless (simulator) directly", direct);
    var b = merged("through billing-service", through);
    double addedP50 = b.ms(50) - d.ms(50);
    double addedP99 = b.ms(99) - d.ms(99);
    boolean clean = d.errors().isEmpty() && b.errors().isEmpty();
    boolean met = clean && addedP99 <= TARGET_ADDED_P99_MS;
    var out = new StringBuilder();
    out.append("# billing-service API latency ").append(startedAt).append("\n\n");
    out.append("| | |\n|---|---|\n");
    out.append("| Machine | ")
        .append(Machine.cpuModel())
        .append(", ")
        .append(Machine.cores())
        .append(" cores, ")
        .append(Machine.memTotal())
        .append(" |\n");
    out.append("| JDK | ").append(Machine.jdk()).append(" |\n");
    out.append("| Git | ").append(Machine.gitCommit()).append(" |\n");
    out.append("| Load average at start / end | ")
        .append(loadAtStart)
        .append(" / ")
        .append(loadAtEnd)
        .append(" |\n");
    out.append("| Load | open loop, ")
        .append((long) rate)
        .append(" creates/s over ")
        .append(merchants)
        .append(" merchants, a new Idempotency-Key each; ")
        .append(direct.size())
        .append(" measured phases of ")
        .append(measure.toSeconds())
        .append(" s per target, alternating |\n\n");
    out.append(
        "| Phase | creates | errors | p50 ms | p99 ms | max ms |\n|---|---|---|---|---|---|\n");
    for (var r : interleave(direct, through)) {
      out.append(row(r));
    }
    out.append(row(d)).append(row(b));
    out.append(
        String.format(
            "%nAdded by billing-service: p50 %+.1f ms, p99 %+.1f ms (target: p99 ≤ %.0f ms added at %d/s)"
                + " — **%s**%s%n",
            addedP50,
            addedP99,
            TARGET_ADDED_P99_MS,
            (long) rate,
            met ? "target met" : "target not met",
            clean ? "" : " (errors in a measured phase: the run does not count)"));
    return out.toString();
  }

  private static List<Result> interleave(List<Result> a, List<Result> b) {
    var all = new ArrayList<Result>();
    for (int i = 0; i < a.size(); i++) {
      all.add(a.get(i));
      all.add(b.get(i));
    }
    return all;
  }

  private static Result merged(String name, List<Result> results) {
    var micros = new Histogram(Duration.ofMinutes(1).toNanos() / 1000, 3);
    long ok = 0;
    double seconds = 0;
    var errors = new TreeMap<String, Long>();
    for (var r : results) {
      micros.add(r.micros());
      ok += r.ok();
      seconds += r.seconds();
      r.errors().forEach((k, v) -> errors.merge(k, v, Long::sum));
    }
    return new Result("**" + name + "** (all measured phases)", seconds, ok, errors, micros);
  }

  private static String row(Result r) {
    return String.format(
        "| %s | %d | %s | %.1f | %.1f | %.1f |%n",
        r.name(),
        r.ok(),
        r.errors().isEmpty() ? "0" : r.errors().toString(),
        r.ms(50),
        r.ms(99),
        r.maxMs());
  }

  private static String line(Result r) {
    return String.format(
        "%-26s %6d created, errors %s, p50 %.1f ms, p99 %.1f ms, max %.1f ms",
        r.name(), r.ok(), r.errors(), r.ms(50), r.ms(99), r.maxMs());
  }

  private static void header(ProducerRecord<String, String> record, String name, String value) {
    record.headers().add(name, value.getBytes(StandardCharsets.UTF_8));
  }

  private static int freePort() throws IOException {
    try (var socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static void say(String message) {
    System.out.println("[billing-api-bench] " + message);
  }
}
