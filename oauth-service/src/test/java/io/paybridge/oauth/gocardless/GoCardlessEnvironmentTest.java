package io.paybridge.oauth.gocardless;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.paybridge.oauth.OAuthServiceApplication;
import io.paybridge.platform.testsupport.boot.ServiceStartup;
import io.paybridge.platform.web.gocardless.LiveConfigurationRefusedException;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * oauth-service's GoCardless settings from the one environment setting, and what it refuses to
 * start with in live mode: its start-up with its own application.yml and the variables a deployment
 * sets (deploy/README.md), stopped once the environment is prepared.
 */
class GoCardlessEnvironmentTest {

  private static final String SECRET = ServiceStartup.randomSecret();
  private static final ServiceStartup STARTUP =
      new ServiceStartup(
          OAuthServiceApplication.class, LiveConfigurationRefusedException.class, SECRET);

  @Test
  void liveStartsWithGoCardlessLiveUrlsAndTheSecretStoresCredentials() {
    var gocardless = gocardlessSettings(STARTUP.start(live()));
    // docs/gocardless/API.md §1.1
    assertThat(gocardless.apiUrl()).isEqualTo("https://api.gocardless.com");
    assertThat(gocardless.connectUrl()).isEqualTo("https://connect.gocardless.com");
    assertThat(gocardless.authorizeUrl())
        .isEqualTo("https://connect.gocardless.com/oauth/authorize");
    assertThat(gocardless.verificationUrl("OR1", "CR1")).isEqualTo("https://verify.gocardless.com");
    assertThat(gocardless.clientSecret()).isEqualTo(SECRET);
  }

  @Test
  void withoutTheSettingItIsTheSandbox() {
    var variables = live();
    variables.remove("PAYBRIDGE_GOCARDLESS_ENVIRONMENT");
    var gocardless = gocardlessSettings(STARTUP.start(variables));
    assertThat(gocardless.apiUrl()).isEqualTo("https://api-sandbox.gocardless.com");
    assertThat(gocardless.connectUrl()).isEqualTo("https://connect-sandbox.gocardless.com");
  }

  @Test
  void theSimulatorsUrlsAreGivenExplicitly() {
    var variables = live();
    variables.put("PAYBRIDGE_GOCARDLESS_ENVIRONMENT", "simulator");
    variables.put("PAYBRIDGE_GOCARDLESS_API_URL", "http://gocardless-simulator:8089");
    variables.put("PAYBRIDGE_GOCARDLESS_CONNECT_URL", "http://gocardless-simulator:8089");
    variables.put("PAYBRIDGE_GOCARDLESS_AUTHORIZE_URL", "http://localhost:8089/oauth/authorize");
    var gocardless = gocardlessSettings(STARTUP.start(variables));
    assertThat(gocardless.apiUrl()).isEqualTo("http://gocardless-simulator:8089");
    assertThat(gocardless.connectUrl()).isEqualTo("http://gocardless-simulator:8089");
    assertThat(gocardless.authorizeUrl()).isEqualTo("http://localhost:8089/oauth/authorize");
  }

  @Test
  void liveRefusesABrowserFacingSimulator() {
    var variables = live();
    variables.put("PAYBRIDGE_GOCARDLESS_AUTHORIZE_URL", "http://localhost:8089/oauth/authorize");
    STARTUP.assertRefused(
        variables,
        "paybridge.gocardless.authorize-url points at this machine",
        "paybridge.oauth.gocardless.authorize-url points at this machine");
  }

  @Test
  void theSimulatorWithoutUrlsIsNotConfigured() {
    var variables = live();
    variables.put("PAYBRIDGE_GOCARDLESS_ENVIRONMENT", "simulator");
    var environment = STARTUP.start(variables);
    assertThatThrownBy(() -> gocardlessSettings(environment))
        .rootCause()
        .hasMessageContaining("paybridge.oauth.gocardless.api-url and connect-url are not set");
  }

  @Test
  void liveRefusesSandboxCredentials() {
    var variables = live();
    variables.put("PAYBRIDGE_OAUTH_GOCARDLESS_CLIENT_SECRET", "sandbox_" + SECRET);
    STARTUP.assertRefused(
        variables,
        "paybridge.oauth.gocardless.client-secret looks like a GoCardless sandbox credential");
  }

  @Test
  void liveRefusesTheSimulator() {
    var variables = live();
    variables.put("PAYBRIDGE_OAUTH_GOCARDLESS_API_URL", "http://localhost:8089");
    STARTUP.assertRefused(
        variables,
        "paybridge.oauth.gocardless.api-url is not https",
        "paybridge.oauth.gocardless.api-url points at this machine");
  }

  @Test
  void liveRefusesThePackagedLocalCallback() {
    var variables = live();
    variables.remove("PAYBRIDGE_OAUTH_GOCARDLESS_REDIRECT_URI");
    STARTUP.assertRefused(
        variables,
        "paybridge.oauth.gocardless.redirect-uri is not https",
        "paybridge.oauth.gocardless.redirect-uri points at this machine");
  }

  @Test
  void liveRefusesMissingEncryptionKeysAndSigningKey() {
    var variables = live();
    variables.remove("PAYBRIDGE_OAUTH_TOKENENCRYPTION_KEYS_KEY1");
    variables.remove("PAYBRIDGE_OAUTH_CONNECT_STATE_SIGNING_KEY");
    STARTUP.assertRefused(
        variables,
        "paybridge.oauth.token-encryption.keys is not set",
        "paybridge.oauth.connect.state-signing-key is not set");
  }

  @Test
  void liveRefusesALocalIssuer() {
    var variables = live();
    variables.put("PAYBRIDGE_ISSUER_URI", "http://127.0.0.1:8180/realms/paybridge");
    STARTUP.assertRefused(
        variables,
        "paybridge.security.jwt.issuer-uri is not https",
        "paybridge.security.jwt.issuer-uri points at this machine");
  }

  @Test
  void liveRefusesTheLocalProfile() {
    var variables = live();
    variables.put("SPRING_PROFILES_ACTIVE", "local");
    STARTUP.assertRefused(variables, "the 'local' profile is active");
  }

  /** What the production overlay gives oauth-service (deploy/k8s), with fresh secrets. */
  private static Map<String, String> live() {
    var variables = new HashMap<String, String>();
    variables.put("PAYBRIDGE_GOCARDLESS_ENVIRONMENT", "live");
    variables.put("PAYBRIDGE_ISSUER_URI", "https://idp.example.com/realms/paybridge");
    variables.put("PAYBRIDGE_OAUTH_GOCARDLESS_CLIENT_ID", ServiceStartup.randomSecret());
    variables.put("PAYBRIDGE_OAUTH_GOCARDLESS_CLIENT_SECRET", SECRET);
    variables.put(
        "PAYBRIDGE_OAUTH_GOCARDLESS_REDIRECT_URI", "https://payments.example.com/oauth/callback");
    variables.put("PAYBRIDGE_OAUTH_CONNECT_STATE_SIGNING_KEY", ServiceStartup.randomSecret());
    variables.put("PAYBRIDGE_OAUTH_TOKENENCRYPTION_KEYS_KEY1", ServiceStartup.randomSecret());
    variables.put("PAYBRIDGE_OAUTH_TOKEN_ENCRYPTION_INITIAL_ACTIVE_KEY_ID", "key1");
    return variables;
  }

  private static GoCardlessProperties gocardlessSettings(ConfigurableEnvironment environment) {
    return Binder.get(environment)
        .bind("paybridge.oauth.gocardless", GoCardlessProperties.class)
        .get();
  }
}
