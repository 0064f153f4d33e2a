package io.paybridge.webhookingest;

import java.time.Clock;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Bean;

/** Receives GoCardless's signed webhooks and publishes every event to Kafka exactly once. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class WebhookIngestApplication {

  public static void main(String[] args) {
    SpringApplication.run(WebhookIngestApplication.class, args);
  }

  /** The one clock of the service, so tests can move time and every component agrees on it. */
  @Bean
  Clock clock() {
    return Clock.systemUTC();
  }
}
