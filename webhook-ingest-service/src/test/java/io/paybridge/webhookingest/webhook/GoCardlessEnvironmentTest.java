package io.paybridge.webhookingest.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import io.paybridge.platform.testsupport.boot.ServiceStartup;
import io.paybridge.platform.web.gocardless.LiveConfigurationRefusedException;
import io.paybridge.webhookingest.WebhookIngestApplication;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;

/**
 * What webhook-ingest-service refuses to start with in live mode (its webhook secrets; with
 * recovery on, also recovery's client secret, issuer and GoCardless's URL): its start-up with its
 * own application.yml and the variables a deployment sets, stopped once the environment is
 * prepared.
 */
class GoCardlessEnvironmentTest {

  private static final String SECRET = ServiceStartup.randomSecret();
  private static final ServiceStartup STARTUP =
      new ServiceStartup(
          WebhookIngestApplication.class, LiveConfigurationRefusedException.class, SECRET);

  @Test
  void liveStartsWithSecretsFromTheSecretStore() {
    var rotating = live();
    rotating.put(
        "PAYBRIDGE_WEBHOOKS_GOCARDLESS_SECRETS", SECRET + "," + ServiceStartup.randomSecret());
    var webhooks =
        Binder.get(STARTUP.start(rotating))
            .bind("paybridge.webhooks.gocardless", WebhookProperties.class)
            .get();
    assertThat(webhooks.secrets()).hasSize(2).first().isEqualTo(SECRET);
  }

  @Test
  void liveRefusesNoSecret() {
    var variables = live();
    variables.remove("PAYBRIDGE_WEBHOOKS_GOCARDLESS_SECRETS");
    STARTUP.assertRefused(variables, "paybridge.webhooks.gocardless.secrets is not set");
  }

  @Test
  void liveRefusesASandboxLookingSecretAmongSeveral() {
    var variables = live();
    variables.put(
        "PAYBRIDGE_WEBHOOKS_GOCARDLESS_SECRETS",
        SECRET + ",sandbox_" + ServiceStartup.randomSecret());
    STARTUP.assertRefused(
        variables,
        "paybridge.webhooks.gocardless.secrets looks like a GoCardless sandbox credential");
  }

  @Test
  void liveRefusesTheExampleFilesPlaceholder() {
    var variables = live();
    // .env.example's value
    variables.put("PAYBRIDGE_WEBHOOKS_GOCARDLESS_SECRETS", "change-me");
    STARTUP.assertRefused(
        variables, "paybridge.webhooks.gocardless.secrets still holds a placeholder");
  }

  @Test
  void liveWithRecoveryDemandsItsClientSecretAndTheIssuer() {
    var variables = live();
    variables.put("PAYBRIDGE_RECOVERY_ENABLED", "true");
    STARTUP.assertRefused(
        variables,
        "spring.security.oauth2.client.registration.oauth-service.client-secret is not set",
        "paybridge.security.jwt.issuer-uri is not set");
  }

  @Test
  void liveWithRecoveryStartsWithItsSettingsAndReadsLiveGoCardless() {
    var variables = liveWithRecovery();
    var environment = STARTUP.start(variables);
    // docs/gocardless/API.md §1.1: the live REST API.
    assertThat(environment.getProperty("paybridge.gocardless.base-url"))
        .isEqualTo("https://api.gocardless.com");
    String registration = "spring.security.oauth2.client.registration.oauth-service.";
    assertThat(environment.getProperty(registration + "client-id"))
        .isEqualTo("webhook-ingest-service");
    assertThat(environment.getProperty(registration + "scope")).isEqualTo("merchant-tokens:read");
    assertThat(environment.getProperty(registration + "client-secret")).isEqualTo(SECRET);
    assertThat(
            environment.getProperty(
                "spring.security.oauth2.client.provider.paybridge-idp.token-uri"))
        .isEqualTo("https://idp.example.com/paybridge/token");
  }

  @Test
  void liveWithRecoveryRefusesASandboxApiAndAPlainIdp() {
    var variables = liveWithRecovery();
    variables.put("PAYBRIDGE_GOCARDLESS_BASE_URL", "https://api-sandbox.gocardless.com");
    variables.put("PAYBRIDGE_TOKEN_URI", "http://idp.example.com/paybridge/token");
    STARTUP.assertRefused(
        variables,
        "paybridge.gocardless.base-url is a GoCardless sandbox URL",
        "spring.security.oauth2.client.provider.paybridge-idp.token-uri is not https");
  }

  @Test
  void liveWithoutRecoveryAsksForNoIdp() {
    var variables = live();
    variables.put("PAYBRIDGE_RECOVERY_ENABLED", "false");
    var environment = STARTUP.start(variables);
    assertThat(environment.containsProperty("paybridge.security.jwt.issuer-uri")).isFalse();
    assertThat(environment.containsProperty("paybridge.gocardless.base-url")).isFalse();
  }

  @Test
  void sandboxAndSimulatorAreNotChecked() {
    var variables = live();
    variables.put("PAYBRIDGE_GOCARDLESS_ENVIRONMENT", "simulator");
    variables.put("PAYBRIDGE_WEBHOOKS_GOCARDLESS_SECRETS", "change-me");
    assertThat(STARTUP.start(variables).getProperty("paybridge.webhooks.gocardless.secrets"))
        .isEqualTo("change-me");
  }

  private static Map<String, String> live() {
    var variables = new HashMap<String, String>();
    variables.put("PAYBRIDGE_GOCARDLESS_ENVIRONMENT", "live");
    variables.put("PAYBRIDGE_WEBHOOKS_GOCARDLESS_SECRETS", SECRET);
    return variables;
  }

  private static Map<String, String> liveWithRecovery() {
    var variables = live();
    variables.put("PAYBRIDGE_RECOVERY_ENABLED", "true");
    variables.put("PAYBRIDGE_ISSUER_URI", "https://idp.example.com/paybridge");
    variables.put("PAYBRIDGE_TOKEN_URI", "https://idp.example.com/paybridge/token");
    variables.put("PAYBRIDGE_WEBHOOK_INGEST_CLIENT_SECRET", SECRET);
    return variables;
  }
}
