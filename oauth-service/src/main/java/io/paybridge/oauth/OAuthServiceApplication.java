package io.paybridge.oauth;

import java.time.Clock;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Bean;
import org.springframework.scheduling.annotation.EnableScheduling;

/** Merchant onboarding: GoCardless OAuth connect, token vault, verification status. */
@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
public class OAuthServiceApplication {

  public static void main(String[] args) {
    SpringApplication.run(OAuthServiceApplication.class, args);
  }

  /** The one clock of the service, so tests can move time and every component agrees on it. */
  @Bean
  Clock clock() {
    return Clock.systemUTC();
  }
}
