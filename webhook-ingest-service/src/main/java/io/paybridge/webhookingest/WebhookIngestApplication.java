package io.paybridge.webhookingest;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** Receives GoCardless's signed webhooks and publishes every event to Kafka exactly once. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class WebhookIngestApplication {

  public static void main(String[] args) {
    SpringApplication.run(WebhookIngestApplication.class, args);
  }
}
