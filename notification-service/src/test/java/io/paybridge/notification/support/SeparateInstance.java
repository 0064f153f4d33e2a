package io.paybridge.notification.support;

import io.paybridge.notification.NotificationServiceApplication;
import io.paybridge.platform.testsupport.EmbeddedKafkaServer;
import io.paybridge.platform.testsupport.EmbeddedPostgresServer;
import io.paybridge.platform.testsupport.mail.TestSmtpServer;
import io.paybridge.platform.testsupport.oidc.TestIssuer;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * An instance of the service of its own (not the suite's shared context), on a database of its own,
 * so that the suite's instance cannot take its deliveries: for restarts and replicas. Its
 * deliveries come from the API (the Kafka listeners do not start) and its relay does not run.
 */
public final class SeparateInstance {

  private SeparateInstance() {}

  /** Starts an instance on {@code database}; {@code extra} properties come last and win. */
  public static ConfigurableApplicationContext start(String database, Map<String, String> extra) {
    var smtp = TestSmtpServer.get();
    var properties = new LinkedHashMap<String, String>();
    properties.put("spring.datasource.url", EmbeddedPostgresServer.shared().jdbcUrl(database));
    properties.put("spring.datasource.username", EmbeddedPostgresServer.USER);
    properties.put("spring.datasource.password", EmbeddedPostgresServer.PASSWORD);
    properties.put(
        "spring.kafka.bootstrap-servers", EmbeddedKafkaServer.shared().bootstrapServers());
    properties.put("spring.kafka.listener.auto-startup", "false");
    properties.put("paybridge.outbox.relay-enabled", "false");
    // Replication slots are the cluster's, not the database's.
    properties.put("paybridge.outbox.slot-name", database + "_outbox");
    properties.put("paybridge.security.jwt.issuer-uri", TestIssuer.get().issuerUri());
    properties.put("paybridge.security.jwt.audiences", NotificationHarness.AUDIENCE);
    properties.put("spring.mail.host", smtp.host());
    properties.put("spring.mail.port", Integer.toString(smtp.port()));
    properties.put("server.port", "0");
    properties.put("management.server.port", "0");
    properties.putAll(extra);
    // As command-line arguments: above the application's own files.
    return new SpringApplicationBuilder(NotificationServiceApplication.class)
        .profiles("test")
        .run(
            properties.entrySet().stream()
                .map(e -> "--" + e.getKey() + "=" + e.getValue())
                .toArray(String[]::new));
  }

  /** {@code http://127.0.0.1:<port>} of an instance's API. */
  public static String baseUrl(ConfigurableApplicationContext instance) {
    return "http://127.0.0.1:" + instance.getEnvironment().getProperty("local.server.port");
  }
}
