package io.paybridge.bench;

import com.sun.net.httpserver.HttpServer;
import io.paybridge.platform.testsupport.EmbeddedRedisServer;
import io.paybridge.platform.testsupport.ServiceProcess;
import io.paybridge.platform.testsupport.oidc.TestIssuer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * The latency the gateway adds, and its throughput at saturation, against calling the service
 * directly ({@code profile=gateway}). Everything on this machine: the gateway as its own process
 * from its executable jar (production settings: JWT check against the issuer's cached keys, the
 * route's scope, the team's rate limit in Redis, circuit breaker, access log), the embedded Redis
 * and OIDC issuer of test-support, and a small HTTP service standing in for billing-service (it
 * answers a fixed 60-byte JSON at once, so that what is measured is the gateway, not a service).
 *
 * <p>Phases, each against the service directly and then through the gateway, the pair twice: open
 * loop at {@code rate} requests/s for {@code latencyDuration} (latency measured from each request's
 * intended send time: no coordinated omission), then closed loop with {@code clients} clients for
 * {@code saturationDuration} (throughput at saturation). Writes {@code
 * bench/results/gateway-<yyyyMMdd-HHmm>.md}; the gateway's log goes to {@code
 * bench/target/logs/gateway-service.log}.
 */
final class GatewayBenchmark {

  private final Map<String, String> settings;
  private CpuSampler cpu = new CpuSampler(0, 0);
  private final Path root = Path.of("").toAbsolutePath();
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  private GatewayBenchmark(Map<String, String> settings) {
    this.settings = settings;
  }

  /** Entered through {@link WebhookIngestBenchmark#main} with {@code profile=gateway}. */
  static void run(String[] args) throws Exception {
    var defaults = new LinkedHashMap<String, String>();
    defaults.put("rate", "1000");
    defaults.put("warmupDuration", "30s");
    defaults.put("latencyDuration", "30s");
    defaults.put("saturationDuration", "20s");
    defaults.put("clients", "32");
    defaults.put("maxInFlight", "2000");
    var values = BenchMain.options(defaults, args);
    BenchMain.runAndExit(() -> new GatewayBenchmark(values).measure());
  }

  /** One phase's numbers. */
  record Result(
      String name,
      String mode,
      double seconds,
      long ok,
      Map<String, Long> errors,
      Histogram micros,
      CpuSampler.Usage usage) {

    double perSecond() {
      return ok / seconds;
    }

    /** "0.62 / 0.71 / 0.05 / 0.31": cores used by bench+stub / gateway / redis / other. */
    String cpu() {
      double wall = Math.max(1e-9, usage.wallSeconds());
      return String.format(
          "%.2f / %.2f / %.2f / %.2f",
          usage.bench() / wall,
          usage.service() / wall,
          usage.postgres() / wall,
          usage.other() / wall);
    }

    /**
     * The gateway's CPU time per answered request, in microseconds: what the gateway costs, nearly
     * independent of the machine's other load (unlike its latency).
     */
    double gatewayCpuMicrosPerRequest() {
      return ok == 0 ? Double.NaN : usage.service() * 1e6 / ok;
    }

    double ms(double percentile) {
      return micros.getValueAtPercentile(percentile) / 1000.0;
    }
  }

  private void measure() throws Exception {
    String loadAtStart = CpuSampler.loadAverage();
    say("gateway benchmark; load average at start " + loadAtStart + " (" + uptime() + ")");
    var redis = EmbeddedRedisServer.shared();
    var issuer = TestIssuer.get();
    HttpServer service = stubService();
    String serviceUrl = "http://127.0.0.1:" + service.getAddress().getPort();
    int port = freePort();
    int managementPort = freePort();
    var gateway =
        new ServiceProcess(
                "gateway-service",
                root.resolve("gateway-service/target"),
                port,
                managementPort,
                List.of(
                    "--server.port=" + port,
                    "--management.server.port=" + managementPort,
                    "--paybridge.security.jwt.issuer-uri=" + issuer.issuerUri(),
                    "--spring.data.redis.host=" + redis.host(),
                    "--spring.data.redis.port=" + redis.port(),
                    "--paybridge.gateway.upstreams.billing-service=" + serviceUrl,
                    "--paybridge.gateway.upstreams.oauth-service=" + serviceUrl,
                    "--paybridge.gateway.upstreams.notification-service=" + serviceUrl,
                    "--paybridge.gateway.upstreams.webhook-ingest-service=" + serviceUrl,
                    // The limit is not what is measured: high enough never to refuse.
                    "--paybridge.gateway.rate-limits.defaults.replenish-rate=1000000",
                    "--paybridge.gateway.rate-limits.defaults.burst-capacity=2000000"),
                root.resolve("bench/target/logs"))
            .withJvmOptions(gatewayJvmOptions());
    say("starting gateway-service (log " + root.relativize(gateway.log()) + ")");
    gateway.start();
    List<Result> results = new ArrayList<>();
    try {
      gateway.awaitReady(Duration.ofMinutes(3));
      // The "postgres" share of the sampler counts Redis here: no database in this benchmark.
      cpu = new CpuSampler(childPid("gateway-service"), childPid("redis-server"));
      String token = issuer.teamToken("team-bench", "paybridge-api", "payments:read");
      URI direct = URI.create(serviceUrl + "/payments/PM0000BENCH1");
      URI through = URI.create("http://127.0.0.1:" + port + "/payments/PM0000BENCH1");
      double rate = Double.parseDouble(settings.get("rate"));
      Duration warmup = Duration.parse("PT" + settings.get("warmupDuration"));
      Duration latency = Duration.parse("PT" + settings.get("latencyDuration"));
      Duration saturation = Duration.parse("PT" + settings.get("saturationDuration"));
      int clients = Integer.parseInt(settings.get("clients"));

      say("warm-up: " + warmup + " at " + rate + "/s through the gateway, and directly");
      openLoop("warm-up gateway", through, token, rate, warmup);
      openLoop("warm-up direct", direct, token, rate, warmup.dividedBy(3));
      for (int round = 1; round <= 2; round++) {
        results.add(openLoop("direct #" + round, direct, token, rate, latency));
        results.add(openLoop("gateway #" + round, through, token, rate, latency));
      }
      results.add(closedLoop("direct saturation", direct, token, clients, saturation));
      results.add(closedLoop("gateway saturation", through, token, clients, saturation));
    } finally {
      gateway.stop();
      service.stop(0);
    }
    String report = report(results, loadAtStart, CpuSampler.loadAverage());
    System.out.println(report);
    Path file =
        root.resolve(
            "bench/results/gateway-"
                + java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd-HHmm")
                    .format(java.time.LocalDateTime.now())
                + ".md");
    Files.createDirectories(file.getParent());
    Files.writeString(file, report);
    say("results written to " + root.relativize(file));
  }

  private Result openLoop(String name, URI uri, String token, double rate, Duration duration)
      throws InterruptedException {
    var micros = new ConcurrentHistogram(Duration.ofMinutes(1).toNanos() / 1000, 3);
    var ok = new LongAdder();
    var errors = new ConcurrentHashMap<String, LongAdder>();
    var before = cpu.sample();
    long interval = Math.round(1e9 / rate);
    var permits = new Semaphore(Integer.parseInt(settings.get("maxInFlight")));
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
        permits.acquire();
        executor.execute(
            () -> {
              try {
                send(uri, token, intended, micros, ok, errors);
              } finally {
                permits.release();
              }
            });
      }
    }
    var result =
        result(name, "open loop " + (long) rate + "/s", start, ok, errors, micros, usage(before));
    say(line(result));
    return result;
  }

  private Result closedLoop(String name, URI uri, String token, int clients, Duration duration) {
    var micros = new ConcurrentHistogram(Duration.ofMinutes(1).toNanos() / 1000, 3);
    var ok = new LongAdder();
    var errors = new ConcurrentHashMap<String, LongAdder>();
    var before = cpu.sample();
    long start = System.nanoTime();
    long end = start + duration.toNanos();
    try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int c = 0; c < clients; c++) {
        executor.execute(
            () -> {
              long now;
              while ((now = System.nanoTime()) < end) {
                send(uri, token, now, micros, ok, errors);
              }
            });
      }
    }
    var result =
        result(
            name, "closed loop, " + clients + " clients", start, ok, errors, micros, usage(before));
    say(line(result));
    return result;
  }

  private void send(
      URI uri,
      String token,
      long intended,
      Histogram micros,
      LongAdder ok,
      Map<String, LongAdder> errors) {
    var request =
        HttpRequest.newBuilder(uri)
            .timeout(Duration.ofSeconds(10))
            .header("Authorization", "Bearer " + token)
            .GET()
            .build();
    try {
      var response = http.send(request, HttpResponse.BodyHandlers.discarding());
      if (response.statusCode() == 200) {
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

  private static Result result(
      String name,
      String mode,
      long start,
      LongAdder ok,
      Map<String, LongAdder> errors,
      Histogram micros,
      CpuSampler.Usage cpu) {
    var counted = new TreeMap<String, Long>();
    errors.forEach((reason, count) -> counted.put(reason, count.sum()));
    return new Result(
        name, mode, (System.nanoTime() - start) / 1e9, ok.sum(), counted, micros, cpu);
  }

  /** CPU used by bench+stub, gateway, redis and everything else over a phase. */
  private CpuSampler.Usage usage(CpuSampler.Sample before) {
    return cpu.sample().since(before);
  }

  /**
   * The gateway's JVM options, plus {@code gatewayJvm} (separated by {@code |}), e.g. a JFR
   * recording.
   */
  private List<String> gatewayJvmOptions() {
    var options = new ArrayList<>(List.of("-Xms256m", "-Xmx512m", "-XX:+UseG1GC"));
    String extra = settings.getOrDefault("gatewayJvm", "");
    if (!extra.isBlank()) {
      options.addAll(List.of(extra.split("\\|")));
    }
    return options;
  }

  private static long childPid(String name) {
    return ProcessHandle.current()
        .descendants()
        .filter(p -> p.info().commandLine().map(c -> c.contains(name)).orElse(false))
        .mapToLong(ProcessHandle::pid)
        .findFirst()
        .orElse(0);
  }

  /** Stands in for billing-service: a fixed small JSON answer, at once. */
  private static HttpServer stubService() throws IOException {
    var server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 1024);
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    byte[] body =
        "{\"id\":\"PM0000BENCH1\",\"status\":\"confirmed\",\"amount\":1500,\"currency\":\"GBP\"}"
            .getBytes(StandardCharsets.UTF_8);
    server.createContext(
        "/",
        exchange -> {
          try (exchange) {
            exchange.getRequestBody().readAllBytes();
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
          }
        });
    server.start();
    return server;
  }

  private String report(List<Result> results, String loadBefore, String loadAfter) {
    var out = new StringBuilder();
    out.append("# gateway-service: added latency and saturation throughput\n\n");
    out.append("Run ").append(ZonedDateTime.now()).append("; ").append(machine()).append('\n');
    out.append("Load average before ").append(loadBefore).append(", after ").append(loadAfter);
    out.append("; settings ").append(settings).append("\n\n");
    out.append(
        "| Phase | Mode | OK/s | p50 ms | p90 ms | p99 ms | p99.9 ms | max ms | errors"
            + " | CPU cores: bench+stub / gateway / redis / other | gateway CPU µs/request |\n");
    out.append("|---|---|---|---|---|---|---|---|---|---|---|\n");
    for (var r : results) {
      out.append(
          String.format(
              "| %s | %s | %.0f | %.2f | %.2f | %.2f | %.2f | %.2f | %s | %s | %s |%n",
              r.name(),
              r.mode(),
              r.perSecond(),
              r.ms(50),
              r.ms(90),
              r.ms(99),
              r.ms(99.9),
              r.micros().getMaxValue() / 1000.0,
              r.errors().isEmpty() ? "0" : r.errors(),
              r.cpu(),
              r.name().startsWith("gateway")
                  ? String.format("%.0f", r.gatewayCpuMicrosPerRequest())
                  : "–"));
    }
    out.append("\nAdded by the gateway (gateway minus direct, same round, open loop):\n\n");
    out.append("| Round | p50 ms | p99 ms | p50 ≤ 1 ms | p99 ≤ 5 ms |\n|---|---|---|---|---|\n");
    for (int i = 0; i + 1 < results.size(); i += 2) {
      var d = results.get(i);
      var g = results.get(i + 1);
      if (!d.mode().startsWith("open")) {
        break;
      }
      double p50 = g.ms(50) - d.ms(50);
      double p99 = g.ms(99) - d.ms(99);
      out.append(
          String.format(
              "| %s | %+.2f | %+.2f | %s | %s |%n",
              g.name().replace("gateway ", ""),
              p50,
              p99,
              p50 <= 1.0 ? "met" : "not met",
              p99 <= 5.0 ? "met" : "not met"));
    }
    var direct = results.stream().filter(r -> r.name().equals("direct saturation")).findFirst();
    var through = results.stream().filter(r -> r.name().equals("gateway saturation")).findFirst();
    if (direct.isPresent() && through.isPresent()) {
      out.append(
          String.format(
              "%nSaturation: %.0f requests/s through the gateway, %.0f directly (%.0f %%)%n",
              through.get().perSecond(),
              direct.get().perSecond(),
              100 * through.get().perSecond() / direct.get().perSecond()));
    }
    return out.toString();
  }

  private static String machine() {
    String cpu = "?";
    try {
      cpu =
          Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
              .filter(l -> l.startsWith("model name"))
              .map(l -> l.substring(l.indexOf(':') + 1).trim())
              .findFirst()
              .orElse("?");
    } catch (IOException e) {
      // leave unknown
    }
    return Runtime.getRuntime().availableProcessors()
        + " cores ("
        + cpu
        + "), Java "
        + Runtime.version();
  }

  private static String line(Result r) {
    return String.format(
        "%-20s %-24s %7.0f/s  p50 %.2f  p90 %.2f  p99 %.2f  p99.9 %.2f  max %.2f ms  errors %s"
            + "  cpu %s  gateway %.0f µs CPU/request",
        r.name(),
        r.mode(),
        r.perSecond(),
        r.ms(50),
        r.ms(90),
        r.ms(99),
        r.ms(99.9),
        r.micros().getMaxValue() / 1000.0,
        r.errors(),
        r.cpu(),
        r.gatewayCpuMicrosPerRequest());
  }

  private static String uptime() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).trim();
    } catch (IOException e) {
      return "?";
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
