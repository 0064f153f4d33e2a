package io.paybridge.webhookingest.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.paybridge.platform.testsupport.boot.StartupEnvironment;
import io.paybridge.platform.web.gocardless.LiveConfigurationRefusedException;
import io.paybridge.webhookingest.WebhookIngestApplication;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * What webhook-ingest-service refuses to start with in live mode (its webhook secrets): its
 * start-up with its own application.yml and the variables a deployment sets, stopped once the
 * environment is prepared.
 */
class GoCardlessEnvironmentTest {

  private static final String SECRET = random();

  @Test
  void liveStartsWithSecretsFromTheSecretStore() {
    var rotating = live();
    rotating.put("PAYBRIDGE_WEBHOOKS_GOCARDLESS_SECRETS", SECRET + "," + random());
    var webhooks =
        Binder.get(start(rotating))
            .bind("paybridge.webhooks.gocardless", WebhookProperties.class)
            .get();
    assertThat(webhooks.secrets()).hasSize(2).first().isEqualTo(SECRET);
  }

  @Test
  void liveRefusesNoSecret() {
    var variables = live();
    variables.remove("PAYBRIDGE_WEBHOOKS_GOCARDLESS_SECRETS");
    assertRefused(variables, "paybridge.webhooks.gocardless.secrets is not set");
  }

  @Test
  void liveRefusesASandboxLookingSecretAmongSeveral() {
    var variables = live();
    variables.put("PAYBRIDGE_WEBHOOKS_GOCARDLESS_SECRETS", SECRET + ",sandbox_" + random());
    assertRefused(
        variables,
        "paybridge.webhooks.gocardless.secrets looks like a GoCardless sandbox credential");
  }

  @Test
  void liveRefusesTheExampleFilesPlaceholder() {
    var variables = live();
    // .env.example's value
    variables.put("PAYBRIDGE_WEBHOOKS_GOCARDLESS_SECRETS", "change-me");
    assertRefused(variables, "paybridge.webhooks.gocardless.secrets still holds a placeholder");
  }

  @Test
  void sandboxAndSimulatorAreNotChecked() {
    var variables = live();
    variables.put("PAYBRIDGE_GOCARDLESS_ENVIRONMENT", "simulator");
    variables.put("PAYBRIDGE_WEBHOOKS_GOCARDLESS_SECRETS", "change-me");
    assertThat(start(variables).getProperty("paybridge.webhooks.gocardless.secrets"))
        .isEqualTo("change-me");
  }

  private static Map<String, String> live() {
    var variables = new HashMap<String, String>();
    variables.put("PAYBRIDGE_GOCARDLESS_ENVIRONMENT", "live");
    variables.put("PAYBRIDGE_WEBHOOKS_GOCARDLESS_SECRETS", SECRET);
    return variables;
  }

  private static ConfigurableEnvironment start(Map<String, String> variables) {
    return StartupEnvironment.prepare(WebhookIngestApplication.class, variables);
  }

  private static void assertRefused(Map<String, String> variables, String... reasons) {
    assertThatThrownBy(() -> start(variables))
        .isInstanceOf(LiveConfigurationRefusedException.class)
        .hasMessageContainingAll(reasons)
        .message()
        .doesNotContain(SECRET);
  }

  private static String random() {
    byte[] bytes = new byte[32];
    new SecureRandom().nextBytes(bytes);
    return Base64.getEncoder().encodeToString(bytes);
  }
}
