package io.paybridge.faults;

import com.sun.net.httpserver.HttpServer;
import io.paybridge.platform.events.EventHeaders;
import io.paybridge.platform.events.Topics;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Scenario 7: notification-service killed with SIGKILL {@code kills} times while it turns facts on
 * {@code billing.payment} into webhooks for a receiver that takes 10 ms per request (so attempts
 * are in flight at every kill). Pass: every fact Kafka acknowledged reaches the receiver, each
 * under exactly one {@code webhook-id} (one delivery per fact); a delivery re-sent after a kill
 * (same {@code webhook-id}) is what Standard Webhooks receivers deduplicate, and is counted, not
 * failed.
 */
final class NotificationKills {

  private NotificationKills() {}

  static Verdict run(Stack stack) throws Exception {
    var settings = stack.settings;
    String name =
        "7 notification-service SIGKILLed " + settings.kills() + " times while delivering";
    FaultHarness.say("scenario %s", name);
    // bench id → the webhook-ids it arrived under; webhook-id → arrivals.
    Map<String, Set<String>> idsByFact = new ConcurrentHashMap<>();
    Map<String, AtomicLong> arrivalsById = new ConcurrentHashMap<>();
    var receiver =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 100);
    receiver.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    receiver.createContext(
        "/",
        exchange -> {
          String body =
              new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          String webhookId = exchange.getRequestHeaders().getFirst("webhook-id");
          int at = body.indexOf("\"factKey\":\"");
          if (at >= 0 && webhookId != null) {
            String fact = body.substring(at + 11, body.indexOf('"', at + 11));
            idsByFact.computeIfAbsent(fact, f -> ConcurrentHashMap.newKeySet()).add(webhookId);
            arrivalsById.computeIfAbsent(webhookId, w -> new AtomicLong()).incrementAndGet();
          }
          try {
            Thread.sleep(10);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          exchange.sendResponseHeaders(204, -1);
          exchange.close();
        });
    receiver.start();
    var service = stack.notificationService("scenario-7");
    var acked = ConcurrentHashMap.<String>newKeySet();
    var sending = new AtomicBoolean(true);
    var details = new ArrayList<String>();
    var properties = new Properties();
    properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafka.bootstrapServers());
    properties.put(ProducerConfig.ACKS_CONFIG, "all");
    try (var producer =
            new KafkaProducer<>(properties, new StringSerializer(), new StringSerializer());
        var http = HttpClient.newHttpClient()) {
      stack.startAndAwait(service);
      String team = "faults-team";
      var created =
          http.send(
              HttpRequest.newBuilder(
                      URI.create("http://localhost:" + service.port() + "/notifications/endpoints"))
                  .header(
                      "Authorization",
                      "Bearer "
                          + stack.teamToken(
                              team, Stack.NOTIFICATION, "notifications:read notifications:write"))
                  .header("Content-Type", "application/json")
                  .POST(
                      HttpRequest.BodyPublishers.ofString(
                          "{\"url\":\"http://127.0.0.1:"
                              + receiver.getAddress().getPort()
                              + "/hooks\",\"eventTypes\":[\"billing.*\"]}"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (created.statusCode() != 201) {
        throw new IllegalStateException(
            "Subscribing failed: " + created.statusCode() + " " + created.body());
      }
      var sender =
          Thread.ofPlatform()
              .start(
                  () -> {
                    long sent = 0;
                    long start = System.nanoTime();
                    while (sending.get()) {
                      String fact = stack.runId + "-N" + sent;
                      var record =
                          new ProducerRecord<>(
                              Topics.BILLING_PAYMENT,
                              fact,
                              "{\"paymentId\":\""
                                  + fact
                                  + "\",\"factKey\":\""
                                  + fact
                                  + "\",\"team\":\""
                                  + team
                                  + "\"}");
                      record
                          .headers()
                          .add(
                              EventHeaders.ID,
                              UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8));
                      record
                          .headers()
                          .add(
                              EventHeaders.EVENT_TYPE,
                              "PaymentConfirmed".getBytes(StandardCharsets.UTF_8));
                      record
                          .headers()
                          .add(EventHeaders.TENANT, team.getBytes(StandardCharsets.UTF_8));
                      producer.send(
                          record,
                          (m, e) -> {
                            if (e == null) {
                              acked.add(fact);
                            }
                          });
                      sent++;
                      long due = start + (long) (sent * 1e9 / settings.rate());
                      long wait = due - System.nanoTime();
                      if (wait > 0) {
                        java.util.concurrent.locks.LockSupport.parkNanos(wait);
                      }
                    }
                    producer.flush();
                  });
      Stack.sleep(settings.loadBefore());
      for (int kill = 1; kill <= settings.kills(); kill++) {
        Stack.sleep(Duration.ofMillis(ThreadLocalRandom.current().nextLong(2000, 6000)));
        service.kill();
        long killedAt = System.nanoTime();
        FaultHarness.say(
            "  kill %d/%d: SIGKILL with %d facts acknowledged, %d delivered",
            kill, settings.kills(), acked.size(), idsByFact.size());
        stack.startAndAwait(service);
        details.add(
            String.format(
                "kill %d: back up after %.1f s", kill, (System.nanoTime() - killedAt) / 1e9));
      }
      Stack.sleep(settings.loadAfter());
      sending.set(false);
      sender.join();
      // The known end: every acknowledged fact has arrived, or the timeout.
      long deadline = System.nanoTime() + settings.markerTimeout().toNanos();
      while (System.nanoTime() < deadline && !idsByFact.keySet().containsAll(acked)) {
        Stack.sleep(Duration.ofMillis(200));
      }
      List<String> missing =
          acked.stream().filter(f -> !idsByFact.containsKey(f)).limit(5).toList();
      long missingCount = acked.stream().filter(f -> !idsByFact.containsKey(f)).count();
      long severalIds = idsByFact.values().stream().filter(ids -> ids.size() > 1).count();
      long resent = arrivalsById.values().stream().mapToLong(n -> n.get() - 1).sum();
      String figures =
          String.format(
              "%d facts acknowledged, %d missing, %d under more than one webhook-id; %d re-sent under the same webhook-id",
              acked.size(), missingCount, severalIds, resent);
      if (!missing.isEmpty()) {
        details.add("missing, e.g. " + missing);
      }
      return new Verdict(
          name, missingCount == 0 && severalIds == 0 && !acked.isEmpty(), figures, details);
    } finally {
      sending.set(false);
      receiver.stop(0);
      stack.stopServices();
    }
  }
}
