package io.paybridge.billing;

import static org.assertj.core.api.Assertions.assertThat;

import io.paybridge.platform.gocardless.GoCardlessProperties;
import io.paybridge.platform.testsupport.boot.ServiceStartup;
import io.paybridge.platform.web.gocardless.LiveConfigurationRefusedException;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * billing-service's GoCardless API from the one environment setting, and what it refuses to start
 * with in live mode: its start-up with its own application.yml and the variables a deployment sets
 * (deploy/README.md), stopped once the environment is prepared.
 */
class GoCardlessEnvironmentTest {

  private static final String SECRET = ServiceStartup.randomSecret();
  private static final ServiceStartup STARTUP =
      new ServiceStartup(
          BillingServiceApplication.class, LiveConfigurationRefusedException.class, SECRET);

  @Test
  void liveStartsWithGoCardlessLiveApi() {
    var gocardless = gocardlessSettings(STARTUP.start(live()));
    // docs/gocardless/API.md §1.1
    assertThat(gocardless.baseUrl()).hasToString("https://api.gocardless.com/");
    assertThat(gocardless.environment()).isEqualTo("live");
  }

  @Test
  void withoutTheSettingItIsTheSandbox() {
    var variables = live();
    variables.remove("PAYBRIDGE_GOCARDLESS_ENVIRONMENT");
    var gocardless = gocardlessSettings(STARTUP.start(variables));
    assertThat(gocardless.baseUrl()).hasToString("https://api-sandbox.gocardless.com/");
    assertThat(gocardless.environment()).isEqualTo("sandbox");
  }

  @Test
  void theSimulatorsApiIsGivenExplicitly() {
    var variables = live();
    variables.put("PAYBRIDGE_GOCARDLESS_ENVIRONMENT", "simulator");
    variables.put("PAYBRIDGE_GOCARDLESS_API_URL", "http://gocardless-simulator:8089");
    var gocardless = gocardlessSettings(STARTUP.start(variables));
    assertThat(gocardless.baseUrl()).hasToString("http://gocardless-simulator:8089/");
    assertThat(gocardless.environment()).isEqualTo("simulator");
  }

  @Test
  void liveRefusesTheSimulatorsApi() {
    var variables = live();
    variables.put("PAYBRIDGE_GOCARDLESS_BASE_URL", "http://127.0.0.1:8089/");
    STARTUP.assertRefused(
        variables,
        "paybridge.gocardless.base-url is not https",
        "paybridge.gocardless.base-url points at this machine");
  }

  @Test
  void liveRefusesTheSandboxApi() {
    var variables = live();
    variables.put("PAYBRIDGE_GOCARDLESS_API_URL", "https://api-sandbox.gocardless.com");
    STARTUP.assertRefused(
        variables,
        "paybridge.gocardless.api-url is a GoCardless sandbox URL",
        "paybridge.gocardless.base-url is a GoCardless sandbox URL");
  }

  @Test
  void liveRefusesAMissingClientSecret() {
    var variables = live();
    variables.remove("PAYBRIDGE_BILLING_CLIENT_SECRET");
    STARTUP.assertRefused(
        variables,
        "spring.security.oauth2.client.registration.oauth-service.client-secret is not set");
  }

  @Test
  void liveRefusesMissingPersonalDataKeys() {
    var variables = live();
    variables.remove("PAYBRIDGE_BILLING_ERASURE_PSEUDONYM_KEY");
    variables.remove("PAYBRIDGE_BILLING_PERSONALDATAENCRYPTION_KEYS_K1");
    STARTUP.assertRefused(
        variables,
        "paybridge.billing.erasure.pseudonym-key is not set",
        "paybridge.billing.personal-data-encryption.keys is not set");
  }

  @Test
  void liveRefusesALocalTokenEndpointAndIssuer() {
    var variables = live();
    variables.put("PAYBRIDGE_TOKEN_URI", "http://localhost:8180/paybridge/token");
    variables.put("PAYBRIDGE_ISSUER_URI", "https://localhost:8180/paybridge");
    STARTUP.assertRefused(
        variables,
        "spring.security.oauth2.client.provider.paybridge-idp.token-uri is not https",
        "spring.security.oauth2.client.provider.paybridge-idp.token-uri points at this machine",
        "paybridge.security.jwt.issuer-uri points at this machine");
  }

  /** What the production overlay gives billing-service (deploy/k8s), with a fresh secret. */
  private static Map<String, String> live() {
    var variables = new HashMap<String, String>();
    variables.put("PAYBRIDGE_GOCARDLESS_ENVIRONMENT", "live");
    variables.put("PAYBRIDGE_ISSUER_URI", "https://idp.example.com/realms/paybridge");
    variables.put(
        "PAYBRIDGE_TOKEN_URI",
        "https://idp.example.com/realms/paybridge/protocol/openid-connect/token");
    variables.put("PAYBRIDGE_OAUTH_SERVICE_URL", "http://oauth-service:8081");
    variables.put("PAYBRIDGE_BILLING_CLIENT_SECRET", SECRET);
    variables.put("PAYBRIDGE_BILLING_ERASURE_PSEUDONYM_KEY", ServiceStartup.randomSecret());
    variables.put(
        "PAYBRIDGE_BILLING_PERSONALDATAENCRYPTION_KEYS_K1", ServiceStartup.randomSecret());
    variables.put("PAYBRIDGE_BILLING_PERSONAL_DATA_ENCRYPTION_ACTIVE_KEY_ID", "k1");
    return variables;
  }

  private static GoCardlessProperties gocardlessSettings(ConfigurableEnvironment environment) {
    return Binder.get(environment).bind("paybridge.gocardless", GoCardlessProperties.class).get();
  }
}
