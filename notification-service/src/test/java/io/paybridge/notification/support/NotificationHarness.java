package io.paybridge.notification.support;

import static org.assertj.core.api.Assertions.assertThat;

import io.paybridge.platform.events.EventHeaders;
import io.paybridge.platform.events.Topics;
import io.paybridge.platform.testsupport.EmbeddedKafkaServer;
import io.paybridge.platform.testsupport.IntegrationTest;
import io.paybridge.platform.testsupport.http.Http;
import io.paybridge.platform.testsupport.mail.TestSmtpServer;
import io.paybridge.platform.testsupport.oidc.TestIssuer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The base of every integration test: one application context for the suite on the embedded
 * PostgreSQL and Kafka, the JVM's OIDC issuer and SMTP server; facts are produced to Kafka as their
 * producers' relays write them (headers id, eventType, tenant).
 */
@IntegrationTest
public abstract class NotificationHarness {

  public static final String AUDIENCE = "notification-service";
  protected static final TestIssuer issuer = TestIssuer.get();
  protected static final TestSmtpServer smtp = TestSmtpServer.get();
  private static KafkaProducer<String, String> producer;

  static {
    // The listener subscribes by pattern: the topics exist before it starts.
    EmbeddedKafkaServer.shared()
        .createTopics(
            Topics.MERCHANTS_CONNECTION,
            Topics.BILLING_PAYMENT,
            Topics.BILLING_MANDATE,
            Topics.NOTIFICATIONS_DELIVERY);
  }

  @Autowired protected JdbcTemplate jdbc;
  @LocalServerPort protected int port;

  @DynamicPropertySource
  static void infrastructure(DynamicPropertyRegistry properties) {
    properties.add("paybridge.security.jwt.issuer-uri", issuer::issuerUri);
    properties.add("paybridge.security.jwt.audiences", () -> AUDIENCE);
    properties.add("spring.mail.host", smtp::host);
    properties.add("spring.mail.port", smtp::port);
  }

  protected String url(String path) {
    return "http://127.0.0.1:" + port + path;
  }

  protected static String token(String team) {
    return issuer.teamToken(team, AUDIENCE, "notifications:read", "notifications:write");
  }

  protected static String newTeam() {
    return "team-" + UUID.randomUUID().toString().substring(0, 8);
  }

  /** Creates a webhook endpoint; returns the answer (endpoint, secret). */
  protected JsonNode createWebhook(String team, String url, String... eventTypes) {
    return create(team, Map.of("url", url, "eventTypes", List.of(eventTypes)));
  }

  protected JsonNode createEmail(String team, String email, String... eventTypes) {
    return create(team, Map.of("email", email, "eventTypes", List.of(eventTypes)));
  }

  private JsonNode create(String team, Map<String, Object> body) {
    var response = Http.postJson(url("/notifications/endpoints"), token(team), toJson(body));
    assertThat(response.status()).as(response.body()).isEqualTo(201);
    return response.json();
  }

  protected static String toJson(Object value) {
    return tools.jackson.databind.json.JsonMapper.builder().build().writeValueAsString(value);
  }

  /** Publishes a fact as a producer's relay does; returns its id. */
  protected static String publish(String topic, String key, String type, String team, String json) {
    return publish(topic, key, UUID.randomUUID().toString(), type, team, json);
  }

  protected static synchronized String publish(
      String topic, String key, String id, String type, String team, String json) {
    if (producer == null) {
      var config = new Properties();
      config.put(
          ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, EmbeddedKafkaServer.shared().bootstrapServers());
      config.put(ProducerConfig.ACKS_CONFIG, "all");
      producer = new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
    }
    var record = new ProducerRecord<String, String>(topic, key, json);
    record.headers().add(EventHeaders.ID, id.getBytes(StandardCharsets.UTF_8));
    record.headers().add(EventHeaders.EVENT_TYPE, type.getBytes(StandardCharsets.UTF_8));
    record.headers().add(EventHeaders.TENANT, team.getBytes(StandardCharsets.UTF_8));
    try {
      producer.send(record).get();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    return id;
  }

  /** The deliveries of an endpoint (newest first), as its team reads them. */
  protected JsonNode deliveries(String team, String endpointId) {
    var response = Http.get(url("/notifications/deliveries?endpointId=" + endpointId), token(team));
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    return response.json();
  }

  protected JsonNode delivery(String team, String deliveryId) {
    var response = Http.get(url("/notifications/deliveries/" + deliveryId), token(team));
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    return response.json();
  }

  /** Waits until the endpoint has {@code count} deliveries and none is pending; returns them. */
  protected JsonNode awaitFinished(String team, String endpointId, int count, Duration timeout) {
    Awaitility.await()
        .atMost(timeout)
        .pollInterval(Duration.ofMillis(100))
        .until(
            () -> {
              JsonNode list = deliveries(team, endpointId);
              if (list.size() < count) {
                return false;
              }
              for (JsonNode d : list) {
                if (d.get("status").asString().equals("pending")) {
                  return false;
                }
              }
              return true;
            });
    return deliveries(team, endpointId);
  }
}
