package io.paybridge.billing;

import java.time.Clock;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Bean;

/** Billing requests, mandates and payments for teams' connected merchants; billing.* facts. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class BillingServiceApplication {

  public static void main(String[] args) {
    SpringApplication.run(BillingServiceApplication.class, args);
  }

  /** The one clock of the service, so tests can move time and every component agrees on it. */
  @Bean
  Clock clock() {
    return Clock.systemUTC();
  }
}
