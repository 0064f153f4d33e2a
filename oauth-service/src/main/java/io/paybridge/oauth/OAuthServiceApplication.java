package io.paybridge.oauth;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.scheduling.annotation.EnableScheduling;

/** Merchant onboarding: GoCardless OAuth connect, token vault, verification status. */
@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
public class OAuthServiceApplication {

  public static void main(String[] args) {
    SpringApplication.run(OAuthServiceApplication.class, args);
  }
}
