package io.paybridge.platform.testsupport.boot;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * One service's start-up as its tests of refused configurations run it ({@link
 * StartupEnvironment}): what it starts with, and what it refuses.
 *
 * @param application the service's application class
 * @param refusal the exception a refused configuration stops the start-up with
 * @param secret a secret the test gives the service, which no refusal may show
 */
public record ServiceStartup(
    Class<?> application, Class<? extends RuntimeException> refusal, String secret) {

  /** A fresh secret, as a secret store would hold one: 32 random bytes, Base64. */
  public static String randomSecret() {
    byte[] bytes = new byte[32];
    new SecureRandom().nextBytes(bytes);
    return Base64.getEncoder().encodeToString(bytes);
  }

  /** The service's environment prepared with {@code variables} as its environment variables. */
  public ConfigurableEnvironment start(Map<String, String> variables) {
    return StartupEnvironment.prepare(application, variables);
  }

  /**
   * The start-up with {@code variables} is refused with {@link #refusal}, whose message names every
   * one of {@code reasons} and does not contain {@link #secret}.
   */
  public void assertRefused(Map<String, String> variables, String... reasons) {
    assertThatThrownBy(() -> start(variables))
        .isInstanceOf(refusal)
        .hasMessageContainingAll(reasons)
        .message()
        .doesNotContain(secret);
  }
}
