package io.paybridge.platform.web.security;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** Start-up refuses a service that does not say whose tokens, for whom, it accepts. */
class JwtSecurityAutoConfigurationTest {

  private final ApplicationContextRunner context =
      new ApplicationContextRunner()
          .withConfiguration(AutoConfigurations.of(JwtSecurityAutoConfiguration.class));

  @Test
  void withoutAnIssuerTheServiceDoesNotStartAndSaysWhy() {
    context
        .withPropertyValues("paybridge.security.jwt.audiences=oauth-service")
        .run(
            started ->
                assertThat(started)
                    .hasFailed()
                    .getFailure()
                    .rootCause()
                    .hasMessageContaining("paybridge.security.jwt.issuer-uri is not set"));
  }

  @Test
  void aSharedSecretAlgorithmIsRefusedEvenWhenConfigured() {
    context
        .withPropertyValues(
            "paybridge.security.jwt.issuer-uri=http://issuer.test/paybridge",
            "paybridge.security.jwt.audiences=oauth-service",
            "paybridge.security.jwt.algorithms=RS256,HS256")
        .run(
            started ->
                assertThat(started)
                    .hasFailed()
                    .getFailure()
                    .rootCause()
                    .hasMessageContaining("'HS256' is refused"));
  }
}
