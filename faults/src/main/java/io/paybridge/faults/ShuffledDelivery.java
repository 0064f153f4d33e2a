package io.paybridge.faults;

import com.sun.net.httpserver.HttpServer;
import io.paybridge.platform.events.EventHeaders;
import io.paybridge.platform.events.Topics;
import io.paybridge.simulator.GoCardlessSimulator;
import io.paybridge.simulator.SimulatorSettings;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * Scenario 6: oauth-service's consumers of {@code gocardless.organisations} and {@code
 * gocardless.creditors} given every event twice, shuffled, end in the same state as when given each
 * event once, in order.
 *
 * <p>Merchants are connected through oauth-service's API and the simulator's consent page, in pairs
 * with the same history: verification moving on ({@code creditors.updated} twice), a disconnection
 * ({@code organisations.disconnected}, {@code "id": null}), or both. The events are those the
 * simulator sent as webhooks (captured by a receiver here), published with the headers
 * webhook-ingest-service sets. The reference merchant of each pair gets each event once, in the
 * order GoCardless sent them, one at a time (the next only once the group committed the previous);
 * the other gets all of them twice in a shuffled order. Pass: every pair has the same status,
 * verification status and reasons, the same {@code merchants.connection} facts, and nothing was
 * dead-lettered.
 */
final class ShuffledDelivery {

  private static final ObjectMapper JSON = JsonMapper.builder().build();
  private static final String TEAM = "team-faults";
  private static final List<String> CASES = List.of("verification", "disconnection", "both");

  private final Stack stack;
  private final HttpClient http =
      HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
  private final List<String> webhookBodies = new CopyOnWriteArrayList<>();
  private String oauthUrl;
  private String token;

  private ShuffledDelivery(Stack stack) {
    this.stack = stack;
  }

  /** A connected merchant of the scenario. */
  record Merchant(String id, String organisationId, String creditorId, String history) {}

  static Verdict run(Stack stack) throws Exception {
    return new ShuffledDelivery(stack).run();
  }

  private Verdict run() throws Exception {
    String name = "6 oauth-service given every event twice, shuffled";
    FaultHarness.say("scenario %s", name);
    var receiver = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
    receiver.createContext(
        "/",
        exchange -> {
          webhookBodies.add(
              new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
          exchange.sendResponseHeaders(204, -1);
          exchange.close();
        });
    receiver.start();
    int oauthPort = Stack.freePort();
    var simulator =
        GoCardlessSimulator.start(
            SimulatorSettings.defaults()
                .withPort(Stack.freePort())
                .withRedirectUris(List.of("http://localhost:" + oauthPort + "/oauth/callback"))
                .withWebhookEndpoint(
                    "http://localhost:" + receiver.getAddress().getPort() + "/",
                    SimulatorSettings.DEFAULT_WEBHOOK_SECRET));
    var oauth = stack.oauthService("scenario-6", simulator.baseUrl(), oauthPort);
    var details = new ArrayList<String>();
    try {
      stack.startAndAwait(oauth);
      oauthUrl = "http://localhost:" + oauthPort;
      token = stack.teamToken(TEAM);
      var dlt =
          new TopicAudit(
              stack.kafka.bootstrapServers(),
              List.of(
                  Stack.deadLetterTopic(Topics.GOCARDLESS_ORGANISATIONS),
                  Stack.deadLetterTopic(Topics.GOCARDLESS_CREDITORS)));

      // Pairs of merchants with the same history: [reference, shuffled].
      var pairs = new ArrayList<Merchant[]>();
      for (int i = 0; i < stack.settings.merchantCases(); i++) {
        for (String history : CASES) {
          pairs.add(new Merchant[] {connect(simulator, history), connect(simulator, history)});
        }
      }
      FaultHarness.say("  %d merchants connected in %d pairs", pairs.size() * 2, pairs.size());
      webhookBodies.clear(); // what the connections sent is not part of the histories
      for (var pair : pairs) {
        for (var merchant : pair) {
          makeHistory(simulator, merchant);
        }
      }
      var events = awaitEvents(pairs);

      try (var producer = IngestRecords.producer(stack.kafka.bootstrapServers())) {
        // Reference: each event once, in GoCardless's order, the next only after the previous
        // one was consumed.
        int delivered = 0;
        for (var pair : pairs) {
          for (var event : events.get(pair[0].organisationId())) {
            var sent = producer.send(IngestRecords.record(event)).get(30, TimeUnit.SECONDS);
            awaitConsumed(
                Map.of(new TopicPartition(sent.topic(), sent.partition()), sent.offset() + 1));
            delivered++;
          }
        }
        // The other merchant of each pair: all its events twice, shuffled.
        var shuffled = new ArrayList<JsonNode>();
        for (var pair : pairs) {
          shuffled.addAll(events.get(pair[1].organisationId()));
          shuffled.addAll(events.get(pair[1].organisationId()));
        }
        long seed = System.nanoTime();
        Collections.shuffle(shuffled, new Random(seed));
        var ends = new HashMap<TopicPartition, Long>();
        for (var event : shuffled) {
          RecordMetadata sent =
              producer.send(IngestRecords.record(event)).get(30, TimeUnit.SECONDS);
          ends.merge(
              new TopicPartition(sent.topic(), sent.partition()), sent.offset() + 1, Math::max);
        }
        awaitConsumed(ends);
        details.add(
            String.format(
                "%d events once in order (reference), %d deliveries shuffled (seed %d)",
                delivered, shuffled.size(), seed));
      }

      // A last fact, committed after every consumer transaction above: once it is on the topic,
      // every fact those transactions published is too.
      var last = connect(simulator, "marker");
      var published = readFacts(last.id());

      var differences = new ArrayList<String>();
      for (var pair : pairs) {
        String reference = describe(pair[0], published);
        String shuffled = describe(pair[1], published);
        if (!reference.equals(shuffled)) {
          differences.add(
              pair[0].history() + ": in order " + reference + " / shuffled " + shuffled);
        }
        details.add(pair[0].history() + ": in order " + reference + "; shuffled " + shuffled);
      }
      long deadLettered =
          dlt.recordsSince(Stack.deadLetterTopic(Topics.GOCARDLESS_ORGANISATIONS))
              + dlt.recordsSince(Stack.deadLetterTopic(Topics.GOCARDLESS_CREDITORS));
      String figures =
          String.format(
              "%d of %d merchant pairs differ%s; %d records dead-lettered",
              differences.size(),
              pairs.size(),
              differences.isEmpty() ? "" : " (" + String.join("; ", differences) + ")",
              deadLettered);
      return new Verdict(name, differences.isEmpty() && deadLettered == 0, figures, details);
    } finally {
      stack.stopServices();
      simulator.close();
      receiver.stop(0);
    }
  }

  /** Connects a new organisation through oauth-service and the simulator's consent page. */
  private Merchant connect(GoCardlessSimulator simulator, String history) throws Exception {
    var created =
        JSON.readTree(
            send(
                HttpRequest.newBuilder(URI.create(oauthUrl + "/merchant-connections"))
                    .header("Authorization", "Bearer " + token)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{}")),
                201));
    String merchantId = created.get("merchantId").asString();
    var query = query(URI.create(created.get("authorisationUrl").asString()));
    var form = new LinkedHashMap<String, String>();
    for (String field : List.of("client_id", "redirect_uri", "scope", "state")) {
      form.put(field, query.getOrDefault(field, field.equals("scope") ? "read_write" : ""));
    }
    form.put("organisation", "new");
    form.put("organisation_name", "Faults " + history + " " + merchantId.substring(0, 8));
    form.put("email", "owner@" + merchantId.substring(0, 8).toLowerCase() + ".example.com");
    form.put("decision", "approve");
    var consent =
        http.send(
            HttpRequest.newBuilder(URI.create(simulator.baseUrl() + "/oauth/authorize"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(encode(form)))
                .build(),
            HttpResponse.BodyHandlers.discarding());
    String callback = consent.headers().firstValue("Location").orElseThrow();
    var answer =
        http.send(
            HttpRequest.newBuilder(URI.create(callback)).GET().build(),
            HttpResponse.BodyHandlers.discarding());
    if (answer.statusCode() != 303) {
      throw new IllegalStateException("OAuth callback answered " + answer.statusCode());
    }
    var merchant = merchant(merchantId);
    if (!"connected".equals(merchant.path("status").asString())) {
      throw new IllegalStateException("Merchant not connected: " + merchant);
    }
    return new Merchant(
        merchantId,
        merchant.get("organisationId").asString(),
        merchant.get("creditorId").asString(),
        history);
  }

  private JsonNode merchant(String id) throws Exception {
    return JSON.readTree(
        send(
            HttpRequest.newBuilder(URI.create(oauthUrl + "/merchants/" + id))
                .header("Authorization", "Bearer " + token)
                .GET(),
            200));
  }

  /** Makes GoCardless (the simulator) produce the merchant's history as webhooks. */
  private void makeHistory(GoCardlessSimulator simulator, Merchant merchant) throws Exception {
    if (!merchant.history().equals("disconnection")) {
      String apiToken = simulator.issueAccessToken(merchant.organisationId());
      for (String status : List.of("in_review", "successful")) {
        send(
            HttpRequest.newBuilder(
                    URI.create(
                        simulator.baseUrl()
                            + "/scenario_simulators/creditor_verification_status_"
                            + status
                            + "/actions/run"))
                .header("Authorization", "Bearer " + apiToken)
                .header("GoCardless-Version", "2015-07-06")
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"data\":{\"links\":{\"resource\":\"" + merchant.creditorId() + "\"}}}")),
            200);
        if (merchant.history().equals("both")) {
          break; // in review, then disconnected
        }
      }
    }
    if (!merchant.history().equals("verification")) {
      simulator.disconnect(merchant.organisationId());
    }
  }

  /** The events each organisation's webhooks carried, in the order they were sent. */
  private Map<String, List<JsonNode>> awaitEvents(List<Merchant[]> pairs) throws Exception {
    var expected = new HashMap<String, Integer>();
    for (var pair : pairs) {
      for (var merchant : pair) {
        expected.put(
            merchant.organisationId(),
            switch (merchant.history()) {
              case "verification" -> 2;
              case "disconnection" -> 1;
              default -> 2;
            });
      }
    }
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (true) {
      var events = new HashMap<String, List<JsonNode>>();
      for (String body : webhookBodies) {
        for (JsonNode event : JSON.readTree(body).path("events")) {
          String organisation = event.path("links").path("organisation").asString();
          events.computeIfAbsent(organisation, o -> new ArrayList<>()).add(event);
        }
      }
      boolean complete =
          expected.entrySet().stream()
              .allMatch(e -> events.getOrDefault(e.getKey(), List.of()).size() >= e.getValue());
      if (complete) {
        return events;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("The simulator's webhooks did not arrive: " + events);
      }
      Thread.sleep(200);
    }
  }

  /** Until the group {@code oauth-service} committed at least these offsets. */
  private void awaitConsumed(Map<TopicPartition, Long> offsets) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    try (var admin = stack.kafka.admin()) {
      while (System.nanoTime() < deadline) {
        var committed =
            admin
                .listConsumerGroupOffsets(Stack.OAUTH)
                .partitionsToOffsetAndMetadata()
                .get(10, TimeUnit.SECONDS);
        boolean done =
            offsets.entrySet().stream()
                .allMatch(
                    e -> {
                      var c = committed.get(e.getKey());
                      return c != null && c.offset() >= e.getValue();
                    });
        if (done) {
          return;
        }
        Thread.sleep(100);
      }
    }
    throw new IllegalStateException("oauth-service did not consume up to " + offsets + " in 90 s");
  }

  /**
   * Every merchants.connection fact, by merchant id, once the fact of {@code lastMerchant} is read.
   */
  private Map<String, List<String>> readFacts(String lastMerchant) throws Exception {
    var properties = new Properties();
    properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafka.bootstrapServers());
    properties.put(ConsumerConfig.GROUP_ID_CONFIG, "faults-facts-" + UUID.randomUUID());
    properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    var byMerchant = new HashMap<String, List<String>>();
    try (var consumer =
        new KafkaConsumer<>(properties, new StringDeserializer(), new StringDeserializer())) {
      consumer.subscribe(List.of(Topics.MERCHANTS_CONNECTION));
      long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
      while (!byMerchant.containsKey(lastMerchant) && System.nanoTime() < deadline) {
        for (var record : consumer.poll(Duration.ofMillis(200))) {
          var type = record.headers().lastHeader(EventHeaders.EVENT_TYPE);
          JsonNode fact = JSON.readTree(record.value());
          String summary =
              (type == null ? "?" : new String(type.value(), StandardCharsets.UTF_8))
                  + fields(fact, "verificationStatus", "reason");
          byMerchant.computeIfAbsent(record.key(), k -> new ArrayList<>()).add(summary);
        }
      }
    }
    if (!byMerchant.containsKey(lastMerchant)) {
      throw new IllegalStateException("oauth-service's facts did not reach merchants.connection");
    }
    return byMerchant;
  }

  /** The merchant's final state and the facts published about it after it connected. */
  private String describe(Merchant merchant, Map<String, List<String>> facts) throws Exception {
    var view = merchant(merchant.id());
    var published = new ArrayList<>(facts.getOrDefault(merchant.id(), List.of()));
    Collections.sort(published);
    return view.path("status").asString()
        + fields(view, "verificationStatus", "disconnectReason", "failureReason")
        + " facts "
        + published;
  }

  private static String fields(JsonNode node, String... names) {
    var shown = new ArrayList<String>();
    for (String name : names) {
      JsonNode value = node.path(name);
      if (!value.isMissingNode() && !value.isNull()) {
        shown.add(name + "=" + value.asString());
      }
    }
    return shown.isEmpty() ? "" : "(" + String.join(",", shown) + ")";
  }

  private String send(HttpRequest.Builder request, int expected) throws Exception {
    var response =
        http.send(
            request.timeout(Duration.ofSeconds(15)).build(), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != expected) {
      throw new IllegalStateException(
          response.request().uri() + " answered " + response.statusCode() + ": " + response.body());
    }
    return response.body();
  }

  private static Map<String, String> query(URI uri) {
    return java.util.Arrays.stream(uri.getRawQuery().split("&"))
        .map(p -> p.split("=", 2))
        .collect(
            Collectors.toMap(
                p -> URLDecoder.decode(p[0], StandardCharsets.UTF_8),
                p -> p.length > 1 ? URLDecoder.decode(p[1], StandardCharsets.UTF_8) : "",
                (a, b) -> a));
  }

  private static String encode(Map<String, String> form) {
    return form.entrySet().stream()
        .map(
            e ->
                URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)
                    + "="
                    + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"));
  }

  private static byte[] bytes(String value) {
    return value.getBytes(StandardCharsets.UTF_8);
  }
}
